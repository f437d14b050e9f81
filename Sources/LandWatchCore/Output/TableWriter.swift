import Foundation
import GDALKit

/// The formats a table can be written in.
public enum TableFormat: String, Sendable, CaseIterable {
    case table, csv, json, md, xlsx

    /// The format an output path's extension implies, if any.
    public static func from(path: String) -> TableFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "json": return .json
        case "md", "markdown": return .md
        case "xlsx": return .xlsx
        case "txt": return .table
        default: return nil
        }
    }
}

/// Renders tables: aligned text (CJK-aware), CSV (UTF-8 with BOM for Excel), JSON (exact keys,
/// numbers as numbers), Markdown, and XLSX (`XLSXWorkbook`: one formatted sheet per table).
public enum TableWriter {
    /// The table as text in a text format.
    public static func render(_ tables: [Table], format: TableFormat, language: Language) -> String {
        String(decoding: bytes(tables, format: format, language: language), as: UTF8.self)
    }

    /// The table as UTF-8 text in a text format.
    static func bytes(_ tables: [Table], format: TableFormat, language: Language) -> [UInt8] {
        switch format {
        case .json:
            var out: [UInt8] = []
            if tables.count == 1 {
                jsonRows(tables[0], into: &out)
                return out + "\n".utf8
            }
            out += "{".utf8
            for (i, t) in tables.enumerated() {
                out += (i == 0 ? "\n" : ",\n").utf8
                JSONValue.escape(t.title, into: &out)
                out += ": ".utf8
                jsonRows(t, into: &out)
            }
            return out + "\n}\n".utf8
        case .csv:
            var out: [UInt8] = [0xEF, 0xBB, 0xBF]
            for (i, t) in tables.enumerated() {
                if i > 0 { out += "\n".utf8 }
                csv(t, language, into: &out)
            }
            return out
        case .md: return Array(tables.map { markdown($0, language) }.joined(separator: "\n").utf8)
        case .table, .xlsx: return Array(tables.map { aligned($0, language) }.joined(separator: "\n").utf8)
        }
    }

    /// Writes tables to a file (atomically) or, with no path, prints them to stdout. The tables
    /// are torn down on another thread afterwards (a million rows of cells take longer to free
    /// than to write).
    public static func write(_ tables: consuming [Table], format: TableFormat, language: Language, to path: String?) throws {
        let written = Result { try writeNow(tables, format: format, language: language, to: path) }
        Parallel.releaseInBackground(consume tables)
        try written.get()
    }

    private static func writeNow(_ tables: [Table], format: TableFormat, language: Language, to path: String?) throws {
        if format == .xlsx {
            guard let path else { throw LandWatchError.usage("XLSX needs an output file: add -o FILE.xlsx") }
            try xlsx(tables, language: language, to: path)
            return
        }
        // Tens of megabytes for a million rows: handed to the file as they are, not copied.
        try bytes(tables, format: format, language: language).withUnsafeBytes { buffer in
            let text = buffer.baseAddress.map { Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: buffer.count, deallocator: .none) } ?? Data()
            if let path {
                try AtomicFile.write(text, to: path)
            } else {
                FileHandle.standardOutput.write(text)
            }
        }
    }

    /// Formats rows in consecutive chunks on every core (large tables), appended in row order.
    private static func formatRows(_ count: Int, into out: inout [UInt8], _ body: @Sendable (Range<Int>, inout [UInt8]) -> Void) {
        // `body` cannot throw, so neither can the map.
        let parts = try! Parallel.map(count: count, chunks: count < 20_000 ? 1 : Parallel.workers * 4) { range in
            var part: [UInt8] = []
            part.reserveCapacity(range.count * 64)
            body(range, &part)
            return part
        }
        out.reserveCapacity(out.count + parts.reduce(0) { $0 + $1.count })
        for part in parts { out += part }
    }

    /// The rows as a JSON array, one object per line, written straight from the cells (the same
    /// text `Table.json.serialized(pretty: true)` gives, without building the tree).
    static func jsonRows(_ t: Table, into out: inout [UInt8]) {
        guard !t.rows.isEmpty else {
            out += "[]".utf8
            return
        }
        let keys = t.columns.map { col -> [UInt8] in
            var k: [UInt8] = []
            JSONValue.escape(col.key, into: &k)
            return k + ": ".utf8
        }
        out += "[".utf8
        formatRows(t.rows.count, into: &out) { range, out in
            for r in range {
                out += (r == 0 ? "\n  {" : ",\n  {").utf8
                for (i, cell) in t.rows[r].enumerated() {
                    if i > 0 { out += ", ".utf8 }
                    out += keys[i]
                    switch cell {
                    case .null: out += "null".utf8
                    case .int(let v): FixedPoint.append(v, to: &out)
                    case .number(let v): JSONValue.append(v, decimals: t.columns[i].decimals, to: &out)
                    case .text(let s), .term(let s, _): JSONValue.escape(s, into: &out)
                    case .json(let v, _): v.write(into: &out)
                    case .flag(let on): out += (on ? "true" : "false").utf8
                    }
                }
                out.append(UInt8(ascii: "}"))
            }
        }
        out += "\n]".utf8
    }

    static func aligned(_ t: Table, _ language: Language) -> String {
        let headers = t.columns.map { $0.header(language) }
        let cells = t.rows.map { row in zip(t.columns, row).map { $0.text($1, language) } }
        let widths = headers.indices.map { i in
            ([headers[i]] + cells.map { $0[i] }).map(displayWidth).max() ?? 0
        }
        let numeric = t.columns.indices.map { i in t.rows.contains { $0[i].isNumeric } }
        func line(_ values: [String]) -> String {
            values.enumerated().map { i, v in
                let pad = String(repeating: " ", count: widths[i] - displayWidth(v))
                return numeric[i] ? pad + v : v + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = line(headers) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells { out += line(row) + "\n" }
        return out
    }

    static func csv(_ t: Table, _ language: Language, into out: inout [UInt8]) {
        @Sendable func field(_ s: String, into out: inout [UInt8]) {
            if s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
                out += ("\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"").utf8
            } else {
                out += s.utf8
            }
        }
        for (i, column) in t.columns.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            field(column.header(language), into: &out)
        }
        out += "\r\n".utf8
        formatRows(t.rows.count, into: &out) { range, out in
            for row in t.rows[range] {
                for (i, cell) in row.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    switch cell {
                    case .int(let v): FixedPoint.append(v, to: &out)
                    case .number(let v): FixedPoint.append(v, decimals: t.columns[i].decimals, to: &out)
                    case .text(let s): field(SpreadsheetText.safe(s), into: &out)
                    default: field(SpreadsheetText.safe(t.columns[i].text(cell, language)), into: &out)
                    }
                }
                out += "\r\n".utf8
            }
        }
    }

    static func markdown(_ t: Table, _ language: Language) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "| " + t.columns.map { esc($0.header(language)) }.joined(separator: " | ") + " |\n"
        out += "|" + t.columns.indices.map { i in t.rows.contains { $0[i].isNumeric } ? " ---: |" : " --- |" }.joined() + "\n"
        for row in t.rows {
            out += "| " + zip(t.columns, row).map { esc($0.text($1, language)) }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func xlsx(_ tables: [Table], language: Language, to path: String) throws {
        try AtomicFile.write(Data(XLSXWorkbook.bytes(tables, language: language)), to: path)
    }
}

/// Text for a spreadsheet cell: text that Excel or LibreOffice would take for a formula (a name
/// typed as `=1+2`, `@SUM(…)`, `+86…`, `-x`) gets a leading apostrophe, as spreadsheet exports do,
/// so that it stays text. Numbers are written as numbers and never pass through here.
public enum SpreadsheetText {
    public static func safe(_ s: String) -> String {
        // The characters that start a formula are all ASCII: the first byte tells.
        switch s.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
            return "'" + s
        default:
            return s
        }
    }
}

/// The width of text in a terminal: East Asian wide characters take two columns.
public func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { w, c in
        let v = c.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
        return w + (wide ? 2 : (v == 0xFEFF ? 0 : 1))
    }
}
