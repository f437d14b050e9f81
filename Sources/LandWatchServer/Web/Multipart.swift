import Foundation

/// A multipart/form-data body (RFC 7578) split into its parts: enough for a form's text fields
/// and files. Parts past `maximumParts` are refused, not read.
struct MultipartForm {
    struct Part {
        let name: String
        let filename: String?
        let bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    let parts: [Part]
    static let maximumParts = 32

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…` header.
    static func boundary(of contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for item in contentType.split(separator: ";").dropFirst() {
            let kv = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let b = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return b.isEmpty || b.count > 70 ? nil : b
            }
        }
        return nil
    }

    init?(_ body: [UInt8], boundary: String) {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [Part] = []
        var cursor = MultipartForm.find(delimiter, in: body, from: 0)
        while let start = cursor {
            var p = start + delimiter.count
            if body.count >= p + 2 && body[p] == 0x2D && body[p + 1] == 0x2D { break } // "--": the end
            guard body.count >= p + 2, body[p] == 0x0D, body[p + 1] == 0x0A else { return nil }
            p += 2
            guard let headerEnd = MultipartForm.find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: p),
                  let next = MultipartForm.find([0x0D, 0x0A] + delimiter, in: body, from: headerEnd + 4) else { return nil }
            let headers = String(decoding: body[p..<headerEnd], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let name = MultipartForm.parameter("name", in: String(disposition)) else { return nil }
            parts.append(Part(name: name, filename: MultipartForm.parameter("filename", in: String(disposition)),
                              bytes: Array(body[(headerEnd + 4)..<next])))
            guard parts.count <= MultipartForm.maximumParts else { return nil }
            cursor = next + 2
        }
        self.parts = parts
    }

    func text(_ name: String) -> String? { parts.first { $0.name == name && $0.filename == nil }?.text }
    /// The files sent under a name; a part with neither a file name nor bytes (a file field left
    /// empty) is none, an empty file with a name is one (and is refused as a photo).
    func files(_ name: String) -> [Part] {
        parts.filter { $0.name == name && $0.filename != nil && !($0.filename!.isEmpty && $0.bytes.isEmpty) }
    }

    private static func parameter(_ key: String, in header: String) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let kv = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2, kv[0].lowercased() == key {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
