import Foundation
import GDALKit
import LandWatchCore
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
        // Every line has the numeric columns ending at the same display column.
        #expect(Set(lines.filter { !$0.hasPrefix("-") && !$0.hasPrefix("镇街") }.map { displayWidth($0) }).count <= 2)
        #expect(lines[0].hasPrefix("镇街"))
        #expect(displayWidth("黄村镇") == 6)
    }

    @Test func markdownAlignsNumbersRight() {
        let md = TableWriter.render([table], format: .md, language: .en)
        #expect(md.hasPrefix("| Zone | Patches | Area (mu) |\n| --- | ---: | ---: |\n| 黄村镇 | 12 | 1234.50 |"))
    }

    @Test func xlsxOpensWithGDALAndHoldsTheNumbers() throws {
        let path = Fixtures.temporaryDirectory() + "/t.xlsx"
        try TableWriter.write([table], format: .xlsx, language: .zh, to: path)
        let input = try VectorInput(LayerSource(path: path))
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
}
