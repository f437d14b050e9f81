import CGDAL
import Foundation

/// Text formats (GeoJSON, CSV) must reach GDAL as UTF-8. A file that is not is decoded with the
/// encoding given, else with the caller's fallback, else refused naming its first bad byte.
/// A decoded copy lives in GDAL's in-memory file system for the life of the process.
public enum TextFile {
    /// The file as GDAL should read it: nil when it is UTF-8 already, else the path of a UTF-8
    /// copy in GDAL's in-memory file system.
    static func utf8Copy(_ path: String, encoding: String?, fallback: String?) throws -> (TextEncoding, String?) {
        guard let data = FileManager.default.contents(atPath: path) else { return (TextEncoding(name: "UTF-8", source: "format"), nil) }
        let (used, text) = try decode([UInt8](data), path: path, encoding: encoding, fallback: fallback)
        return (used, try text.map { try memoryCopy($0, of: path) })
    }

    /// A whole text file as a string: UTF-8 when it is, else decoded with `encoding`, else with
    /// `fallback`. Missing file: nil.
    public static func read(_ path: String, encoding: String?, fallback: String?) throws -> (text: String, encoding: TextEncoding)? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let (used, text) = try decode([UInt8](data), path: path, encoding: encoding, fallback: fallback)
        return (text ?? String(decoding: data, as: UTF8.self), used)
    }

    /// The encoding the bytes are in and, when it is not UTF-8, their text decoded. Bytes that
    /// are not UTF-8 are refused when UTF-8 was given or there is no fallback.
    private static func decode(_ bytes: [UInt8], path: String, encoding: String?, fallback: String?) throws -> (TextEncoding, String?) {
        if let encoding, encoding.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            return (TextEncoding(name: encoding, source: "given"), try recoded(bytes, from: encoding, path: path))
        }
        guard let bad = firstInvalidUTF8(bytes) else { return (TextEncoding(name: "UTF-8", source: fallback == nil ? "format" : "detected"), nil) }
        guard encoding == nil, let fallback else {
            throw LayerProblem("\"\(path)\"", .notUTF8(byte: bytes[bad], offset: bad))
        }
        return (TextEncoding(name: fallback, source: "fallback"), try recoded(bytes, from: fallback, path: path))
    }

    /// The offset of the first byte that breaks UTF-8, or nil.
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var i = 0
        while i < b.count {
            let c = b[i]
            let n: Int
            if c < 0x80 { n = 0 } else if c & 0xE0 == 0xC0, c >= 0xC2 { n = 1 } else if c & 0xF0 == 0xE0 { n = 2 }
            else if c & 0xF8 == 0xF0, c <= 0xF4 { n = 3 } else { return i }
            guard i + n < b.count else { return i }
            for k in 1...max(1, n) where n > 0 && b[i + k] & 0xC0 != 0x80 { return i }
            i += n + 1
        }
        return nil
    }

    /// The bytes decoded from `encoding` by GDAL (iconv).
    private static func recoded(_ bytes: [UInt8], from encoding: String, path: String) throws -> String {
        GDALRuntime.ensure()
        var input = bytes + [0]
        CPLErrorReset()
        guard let out = input.withUnsafeMutableBufferPointer({ buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { CPLRecode($0, encoding, "UTF-8") }
        }) else {
            throw GDALError(context: "cannot decode \"\(path)\" as \(encoding)", message: String(cString: CPLGetLastErrorMsg()))
        }
        defer { VSIFree(out) }
        if GDALCall.failed() { throw GDALCall.error("cannot decode \"\(path)\" as \(encoding)") }
        return String(cString: out)
    }

    /// Text as a file in GDAL's in-memory file system, named after the original.
    private static func memoryCopy(_ text: String, of path: String) throws -> String {
        let bytes = Array(text.utf8)
        let memPath = "/vsimem/landwatch/\(UUID().uuidString)/" + (path as NSString).lastPathComponent
        guard let copy = VSIMalloc(max(bytes.count, 1)) else { throw GDALError(context: "out of memory decoding \"\(path)\"", message: "") }
        bytes.withUnsafeBytes { if let base = $0.baseAddress { memcpy(copy, base, bytes.count) } }
        guard let handle = VSIFileFromMemBuffer(memPath, copy.assumingMemoryBound(to: GByte.self), vsi_l_offset(bytes.count), 1) else {
            VSIFree(copy)
            throw GDALError(context: "cannot decode \"\(path)\"", message: "")
        }
        VSIFCloseL(handle)
        return memPath
    }
}
