import GDALKit
import LandWatchCore

/// Minimal RFC 4180 CSV reading (quotes, doubled quotes, CRLF), with a UTF-8 BOM ignored.
enum CSVText {
    /// A small CSV a bureau hands in (UTF-8, or in `encoding`, or else GB18030 as Excel saves it
    /// on Chinese Windows): its rows, header first, and the column of each name asked for
    /// (headers compared trimmed and in lower case). A missing required column is refused.
    static func read(_ path: String, encoding: String?, required: [String], optional: [String]) throws
        -> (rows: [[String]], columns: [String: Int]) {
        let decoded: (text: String, encoding: TextEncoding)?
        do {
            decoded = try TextFile.read(path, encoding: encoding, fallback: InputPolicy.fallbackEncoding)
        } catch {
            throw LandWatchError.from(error)
        }
        guard let text = decoded?.text else { throw LandWatchError.io("cannot open \"\(path)\": no such file") }
        let rows = parse(text)
        let header = rows.first?.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? []
        var columns: [String: Int] = [:]
        for name in required + optional { columns[name] = header.firstIndex(of: name) }
        guard required.allSatisfy({ columns[$0] != nil }) else {
            let extra = optional.isEmpty ? "" : " (and \(optional.joined(separator: ", ")))"
            throw LandWatchError.data("\"\(path)\" needs the columns \(required.joined(separator: ", "))\(extra)")
        }
        return (rows, columns)
    }

    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        chars.append("\n")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.append(c)
            }
            i += 1
        }
        if rows.last == [""] { rows.removeLast() }
        return rows
    }
}
