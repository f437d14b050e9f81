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

    @Test func geojsonHasPiecesAndLines() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try Fixtures.run(base + ["--within", "500", "--geojson", dir + "/overlap.geojson", "-o", dir + "/o.csv"])
        #expect(r.code == 0)
        let input = try VectorInput(LayerSource(path: dir + "/overlap.geojson"))
        let features = try input.layer.readAll()
        // 14 overlap pieces and 42 shortest lines.
        #expect(features.filter { $0.geometry?.kind.isPolygonal == true }.count == 14)
        #expect(features.filter { $0.geometry?.kind == .lineString }.count == 42)
    }

    @Test func classesNeedAClassField() throws {
        let r = try Fixtures.run(["overlap", "Data/contaminated_plots.gpkg", "--sensitive", "Data/sensitive_landuse.geojson", "--classes", "学校"])
        #expect(r.code == 64)
        #expect(r.err == "landwatch: error: --classes needs --class-field (see 'landwatch overlap --help')\n")
    }
}
