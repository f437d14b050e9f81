import Foundation

/// Tables as an Office Open XML workbook an office hands on: one sheet per table, named in the
/// table's language; a bold header row that stays in view (frozen) with a filter on it; columns
/// as wide as their text (Chinese counted double); numbers stored rounded to their column's
/// decimals and shown with exactly those decimals, as the HTML bulletin and the text tables
/// show them; text that a spreadsheet would run as a formula kept as text.
enum XLSXWorkbook {
    static func bytes(_ tables: [Table], language: Language) -> [UInt8] {
        var strings = SharedStrings()
        let names = sheetNames(tables.map { $0.title(language) })
        let sheets = tables.map { sheet($0, language: language, strings: &strings) }
        var zip = ZipArchive()
        zip.add("[Content_Types].xml", Array(contentTypes(sheets: tables.count).utf8))
        zip.add("_rels/.rels", Array(rootRelationships.utf8))
        zip.add("xl/workbook.xml", Array(workbook(names, tables: tables).utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(workbookRelationships(sheets: tables.count).utf8))
        zip.add("xl/styles.xml", Array(styles.utf8))
        zip.add("xl/sharedStrings.xml", Array(strings.xml.utf8))
        for (i, sheet) in sheets.enumerated() { zip.add("xl/worksheets/sheet\(i + 1).xml", Array(sheet.utf8)) }
        return zip.bytes
    }

    // MARK: Sheets

    /// Cell styles: 0 general, 1 the bold header, 2 + d a number with d decimals (d ≤ 6).
    static let maxDecimals = 6

    private static func sheet(_ t: Table, language: Language, strings: inout SharedStrings) -> String {
        let lastColumn = columnName(max(t.columns.count, 1) - 1)
        var widths = t.columns.map { displayWidth($0.header(language)) }
        var rows = "<row r=\"1\">"
        for (i, column) in t.columns.enumerated() {
            rows += "<c r=\"\(columnName(i))1\" t=\"s\" s=\"1\"><v>\(strings.index(column.header(language)))</v></c>"
        }
        rows += "</row>"
        for (r, row) in t.rows.enumerated() {
            let n = r + 2
            rows += "<row r=\"\(n)\">"
            for (i, (column, cell)) in zip(t.columns, row).enumerated() {
                let ref = "\(columnName(i))\(n)"
                let decimals = min(column.decimals, maxDecimals)
                switch cell {
                case .int(let v):
                    rows += "<c r=\"\(ref)\" s=\"2\"><v>\(v)</v></c>"
                    widths[i] = max(widths[i], String(v).count)
                case .number(let v) where v.isFinite:
                    let shown = FixedPoint.format(v, decimals: decimals)
                    rows += "<c r=\"\(ref)\" s=\"\(2 + decimals)\"><v>\(shown)</v></c>"
                    widths[i] = max(widths[i], shown.count)
                default:
                    let text = SpreadsheetText.safe(column.text(cell, language))
                    guard !text.isEmpty else { continue }
                    rows += "<c r=\"\(ref)\" t=\"s\"><v>\(strings.index(text))</v></c>"
                    widths[i] = max(widths[i], displayWidth(text))
                }
            }
            rows += "</row>"
        }
        let cols = widths.enumerated().map { i, w in
            "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(min(max(w + 3, 8), 60))\" customWidth=\"1\"/>"
        }.joined()
        return xmlHeader + "<worksheet xmlns=\"\(mainNamespace)\">"
            + "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
            + "<sheetFormatPr defaultRowHeight=\"15\"/>"
            + (cols.isEmpty ? "" : "<cols>\(cols)</cols>")
            + "<sheetData>\(rows)</sheetData>"
            + "<autoFilter ref=\"A1:\(lastColumn)\(t.rows.count + 1)\"/>"
            + "</worksheet>"
    }

    /// `A`, `B`, … `Z`, `AA` …
    static func columnName(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// Sheet names as Excel allows them: at most 31 characters, none of `[]:*?/\`, unique.
    static func sheetNames(_ titles: [String]) -> [String] {
        var used = Set<String>()
        return titles.map { title in
            let clean = String(title.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
            var name = clean.isEmpty ? "Sheet" : clean
            var k = 2
            while !used.insert(name.lowercased()).inserted {
                name = String(clean.prefix(28)) + " \(k)"
                k += 1
            }
            return name
        }
    }

    // MARK: Workbook parts

    private static let xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private static func contentTypes(sheets: Int) -> String {
        let sheetTypes = (0..<sheets).map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        return xmlHeader + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + sheetTypes
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
            + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
            + "</Types>"
    }

    private static let rootRelationships = xmlHeader + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"\(relationshipNamespace)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"

    private static func workbook(_ names: [String], tables: [Table]) -> String {
        let sheets = names.enumerated().map { i, name in
            "<sheet name=\"\(Markup.escape(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }.joined()
        // Excel keeps each sheet's filter range under this hidden name.
        let filters = zip(names, tables).enumerated().map { i, pair in
            let (name, t) = pair
            let range = "'\(name.replacingOccurrences(of: "'", with: "''"))'!$A$1:$\(columnName(max(t.columns.count, 1) - 1))$\(t.rows.count + 1)"
            return "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(i)\" hidden=\"1\">\(Markup.escape(range))</definedName>"
        }.joined()
        return xmlHeader + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
            + "<bookViews><workbookView/></bookViews><sheets>\(sheets)</sheets>"
            + (filters.isEmpty ? "" : "<definedNames>\(filters)</definedNames>") + "</workbook>"
    }

    private static func workbookRelationships(sheets: Int) -> String {
        var out = xmlHeader + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for i in 0..<sheets {
            out += "<Relationship Id=\"rId\(i + 1)\" Type=\"\(relationshipNamespace)/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        out += "<Relationship Id=\"rId\(sheets + 1)\" Type=\"\(relationshipNamespace)/styles\" Target=\"styles.xml\"/>"
        out += "<Relationship Id=\"rId\(sheets + 2)\" Type=\"\(relationshipNamespace)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        return out + "</Relationships>"
    }

    private static let styles: String = {
        // Built-in format 1 is "0"; 164 + d - 1 is "0.0…0" with d decimals.
        let formats = (1...maxDecimals).map { "<numFmt numFmtId=\"\(163 + $0)\" formatCode=\"0.\(String(repeating: "0", count: $0))\"/>" }.joined()
        let numberStyles = (0...maxDecimals).map {
            "<xf numFmtId=\"\($0 == 0 ? 1 : 163 + $0)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        }.joined()
        return xmlHeader + "<styleSheet xmlns=\"\(mainNamespace)\">"
            + "<numFmts count=\"\(maxDecimals)\">\(formats)</numFmts>"
            + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
            + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
            + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
            + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
            + "<cellXfs count=\"\(maxDecimals + 3)\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
            + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\(numberStyles)</cellXfs>"
            + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"
    }()

    /// The workbook's text, each string once.
    private struct SharedStrings {
        private var order: [String] = []
        private var indexes: [String: Int] = [:]

        mutating func index(_ s: String) -> Int {
            if let i = indexes[s] { return i }
            indexes[s] = order.count
            order.append(s)
            return order.count - 1
        }

        var xml: String {
            XLSXWorkbook.xmlHeader + "<sst xmlns=\"\(XLSXWorkbook.mainNamespace)\" count=\"\(order.count)\" uniqueCount=\"\(order.count)\">"
                + order.map { "<si><t xml:space=\"preserve\">\(Markup.escape($0))</t></si>" }.joined() + "</sst>"
        }
    }
}
