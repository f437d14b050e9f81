import Foundation
import GDALKit
@testable import LandWatchCore
import Testing
import TestSupport

@Suite struct TableWriterTests {
    let table = Table(title: "coverage", zh: "覆盖统计", columns: [
        Column("zone", en: "Zone", zh: "镇街"),
        Column("count", en: "Patches", zh: "图斑数"),
        Column("area_mu", en: "Area (mu)", zh: "面积(亩)", decimals: 2),
    ], rows: [
        [.text("黄村镇"), .int(12), .number(1234.5)],
        [.text("Total, all"), .int(3), .null],
    ])

    @Test func jsonHasExactKeysAndNumbers() {
        let json = TableWriter.render([table], format: .json, language: .zh)
        #expect(json == """
        [
          {"zone": "黄村镇", "count": 12, "area_mu": 1234.5},
          {"zone": "Total, all", "count": 3, "area_mu": null}
        ]

        """)
    }

    @Test func csvHasBOMAndQuotes() {
        let csv = TableWriter.render([table], format: .csv, language: .zh)
        #expect(csv == "\u{FEFF}镇街,图斑数,面积(亩)\r\n黄村镇,12,1234.50\r\n\"Total, all\",3,\r\n")
    }

    /// Names a spreadsheet would run as formulas stay text in CSV and XLSX (read back through GDAL).
    @Test func formulasInTextAreNeutralised() throws {
        let t = Table(title: "zones", zh: "镇街", columns: [Column("zone", en: "Zone", zh: "镇街"), Column("n", en: "N", zh: "数")],
                      rows: [[.text("=1+2"), .int(-3)], [.text("@SUM(A1:A9)"), .int(1)], [.text("-x"), .int(2)], [.text("黄村镇"), .int(4)]])
        let csv = TableWriter.render([t], format: .csv, language: .en)
        #expect(csv == "\u{FEFF}Zone,N\r\n'=1+2,-3\r\n'@SUM(A1:A9),1\r\n'-x,2\r\n黄村镇,4\r\n")
        let path = Fixtures.temporaryDirectory("formulas") + "/zones.xlsx"
        try TableWriter.write([t], format: .xlsx, language: .en, to: path)
        let rows = try Dataset(path: path).layer(at: 0).readAll()
        #expect(rows.map { $0["Zone"]?.description ?? "" } == ["'=1+2", "'@SUM(A1:A9)", "'-x", "黄村镇"])
        #expect(rows.first?["N"]?.number == -3)
    }

    @Test func alignedTableCountsChineseAsDoubleWidth() {
        let text = TableWriter.render([table], format: .table, language: .zh)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(displayWidth("黄村镇") == 6)
        // The dashes under the header give each column's display range; in every line each cell
        // sits inside its range, text flush left, numbers flush right, Chinese counted double.
        let ranges = columnRanges(lines[1])
        #expect(ranges.count == 3)
        func cells(_ line: String) -> [String] {
            var column = 0, out = Array(repeating: "", count: ranges.count)
            for ch in line {
                if let i = ranges.firstIndex(where: { $0.contains(column) }) { out[i].append(ch) }
                column += displayWidth(String(ch))
            }
            return out
        }
        let expected = [["镇街", "图斑数", "面积(亩)"], ["黄村镇", "12", "1234.50"], ["Total, all", "3", ""]]
        for (line, want) in zip([lines[0], lines[2], lines[3]], expected) {
            let got = cells(line)
            #expect(got.map { $0.trimmingCharacters(in: .whitespaces) } == want, "\(line)")
            // Flush left for the zone, flush right for the numbers (a range's last column is filled).
            #expect(got[0].hasPrefix(want[0]), "\(line)")
            for i in 1..<3 where !want[i].isEmpty { #expect(got[i].hasSuffix(want[i]) && displayWidth(got[i]) == ranges[i].count, "\(line)") }
        }
    }

    @Test func markdownAlignsNumbersRight() {
        let md = TableWriter.render([table], format: .md, language: .en)
        #expect(md.hasPrefix("| Zone | Patches | Area (mu) |\n| --- | ---: | ---: |\n| 黄村镇 | 12 | 1234.50 |"))
    }

    @Test func xlsxOpensWithGDALAndHoldsTheNumbers() throws {
        let path = Fixtures.temporaryDirectory() + "/t.xlsx"
        try TableWriter.write([table], format: .xlsx, language: .zh, to: path)
        let input = try VectorInput(LayerSource(path: path), options: .landWatch())
        // A Chinese workbook has Chinese sheet names; an English one English names.
        #expect(input.layer.name == "覆盖统计")
        let english = Fixtures.temporaryDirectory() + "/en.xlsx"
        try TableWriter.write([table], format: .xlsx, language: .en, to: english)
        #expect(try Dataset(path: english).layerNames == ["coverage"])
        let rows = try input.layer.readAll()
        #expect(rows.count == 2)
        #expect(rows[0]["镇街"] == .string("黄村镇"))
        #expect(rows[0]["面积(亩)"]?.number == 1234.5)
    }

    /// The workbook an office hands on: bold frozen header with a filter, columns as wide as their
    /// text, numbers with their column's decimals (as the text tables show them). The parts are
    /// stored uncompressed, so their XML is read straight from the file's bytes.
    @Test func xlsxIsFormattedForTheOffice() throws {
        let path = Fixtures.temporaryDirectory() + "/office.xlsx"
        try TableWriter.write([table], format: .xlsx, language: .zh, to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(bytes.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
        #expect(text.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(text.contains("<autoFilter ref=\"A1:C3\"/>"))
        #expect(text.contains("<font><b/>") && text.contains("<c r=\"A1\" t=\"s\" s=\"1\">"))
        // 面积(亩) has 2 decimals: 1234.5 is stored and shown as 1234.50, as in the text table.
        #expect(text.contains("formatCode=\"0.00\"") && text.contains("<c r=\"C2\" s=\"4\"><v>1234.50</v></c>"))
        // "Total, all" is 10 characters wide, 黄村镇 6: column A is 13 wide (text + 3).
        #expect(text.contains("<col min=\"1\" max=\"1\" width=\"13\" customWidth=\"1\"/>"))
        // The same tables give the same bytes.
        let again = Fixtures.temporaryDirectory() + "/again.xlsx"
        try TableWriter.write([table], format: .xlsx, language: .zh, to: again)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == bytes)
    }

    @Test func sheetNamesAreWhatExcelAllows() {
        #expect(XLSXWorkbook.sheetNames(["a/b", "a/b", String(repeating: "长", count: 40)])
            == ["a_b", "a_b 2", String(repeating: "长", count: 31)])
    }
}

/// The display-column ranges of the runs of dashes in a table's rule line.
func columnRanges(_ rule: String) -> [Range<Int>] {
    var ranges: [Range<Int>] = [], start: Int?
    for (i, ch) in rule.enumerated() {
        if ch == "-" { start = start ?? i } else if let s = start { ranges.append(s..<i); start = nil }
    }
    if let s = start { ranges.append(s..<rule.count) }
    return ranges
}
