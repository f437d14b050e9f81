import Foundation

/// A ZIP archive of stored (uncompressed) entries, as an XLSX workbook is: written whole in
/// memory, entries in the order added, every timestamp 1980-01-01 so that the same content
/// gives the same bytes.
///
/// A value; not shared between threads.
struct ZipArchive {
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    mutating func add(_ name: String, _ content: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = ZipArchive.crc32(content)
        let offset = UInt32(body.count)
        // Version 2.0, flag 0x0800 (UTF-8 names), stored, time 0, date 1980-01-01.
        func common(_ out: inout [UInt8]) {
            out.le16(20); out.le16(0x0800); out.le16(0); out.le16(0); out.le16(0x21)
            out.le32(crc); out.le32(UInt32(content.count)); out.le32(UInt32(content.count))
            out.le16(UInt16(nameBytes.count)); out.le16(0)
        }
        body.le32(0x0403_4B50)
        common(&body)
        body += nameBytes
        body += content
        directory.le32(0x0201_4B50)
        directory.le16(20)
        common(&directory)
        directory.le16(0); directory.le16(0); directory.le16(0); directory.le32(0); directory.le32(offset)
        directory += nameBytes
        count += 1
    }

    /// The archive's bytes: the entries, the central directory, its end record.
    var bytes: [UInt8] {
        var out = body + directory
        out.le32(0x0605_4B50)
        out.le16(0); out.le16(0); out.le16(UInt16(count)); out.le16(UInt16(count))
        out.le32(UInt32(directory.count)); out.le32(UInt32(body.count)); out.le16(0)
        return out
    }

    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (ISO 3309, as ZIP uses it).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

private extension Array where Element == UInt8 {
    mutating func le16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func le32(_ v: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((v >> UInt32(shift)) & 0xFF)) } }
}
