import Foundation
import GDALKit
import Testing
import TestSupport

/// `landwatch overlap` as a planning-bureau user runs it.
@Suite struct OverlapCommandTests {
    let base = ["overlap", "Data/contaminated_plots.gpkg", "--sensitive", "Data/sensitive_landuse.geojson",
                "--class-field", "landuse", "--id-field", "plot_id", "--sensitive-id-field", "parcel_id"]

    func rows(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test func pairsHaveExactlyTheDocumentedKeys() throws {
        let r = try Fixtures.run(base + ["--within", "500", "--zones", "Data/daxing_towns.gpkg", "--keep", "risk", "--format", "json"])
        #expect(r.code == 0)
        let pairs = try rows(r.out)
        // 56 pairs within 500 m (Benchmarks/reference/overlap_reference.json).
        #expect(pairs.count == 56)
        #expect(Set(pairs[0].keys) == ["plot", "parcel", "class", "overlap_m2", "plot_share_pct", "distance_m", "zone", "risk"])
    }

    @Test func overlapsOnlyByDefault() throws {
        let pairs = try rows(try Fixtures.run(base + ["--format", "json"]).out)
        // 14 of the 56 pairs overlap or touch (distance 0).
        #expect(pairs.count == 14 && pairs.allSatisfy { $0["distance_m"] as? Double == 0 })
    }

    @Test func summaryListsEveryPlot() throws {
        let r = try Fixtures.run(base + ["--within", "500", "--summary", "--format", "json", "--classes", "学校,居住用地"])
        let plots = try rows(r.out)
        #expect(plots.count == 40)
        #expect(plots[0].keys.contains("学校_within_300m") && plots[0].keys.contains("居住用地_overlap_m2"))
        #expect(!plots[0].keys.contains("医院_overlap_m2"))
        // Clean plots are listed with nulls.
        #expect(plots.contains { $0["nearest_parcel"] is NSNull && $0["within"] as? Int == 0 })
    }

    /// Pieces and lines go to two files, so that QGIS opens each as one layer (a mixed file is
    /// split into sublayers, and opened whole draws no polygons).
    @Test func geojsonHasPiecesAndLinesInTwoFiles() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try Fixtures.run(base + ["--within", "500", "--geojson", dir + "/overlap.geojson", "-o", dir + "/o.csv"])
        #expect(r.code == 0)
        #expect(r.err.contains("shortest lines in \(dir)/overlap_lines.geojson"))
        let pieces = try VectorInput(LayerSource(path: dir + "/overlap.geojson"), options: .landWatch()).layer.readAll()
        let lines = try VectorInput(LayerSource(path: dir + "/overlap_lines.geojson"), options: .landWatch()).layer.readAll()
        // 14 overlap pieces and 42 shortest lines: overlap_reference.json's totals (GeoPandas) give
        // 56 pairs within 500 m, 14 of them overlapping; the 42 others are apart.
        #expect(pieces.count == 14 && pieces.allSatisfy { $0.geometry?.kind.isPolygonal == true })
        #expect(lines.count == 42 && lines.allSatisfy { $0.geometry?.kind == .lineString })
    }

    @Test func classesNeedAClassField() throws {
        let r = try Fixtures.run(["overlap", "Data/contaminated_plots.gpkg", "--sensitive", "Data/sensitive_landuse.geojson", "--classes", "学校"])
        #expect(r.code == 64)
        #expect(r.err == "landwatch: error: --classes needs --class-field (see 'landwatch overlap --help')\n")
    }
}
