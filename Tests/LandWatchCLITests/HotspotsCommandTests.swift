import Foundation
import Testing
import TestSupport

@Suite struct HotspotsCommandTests {
    @Test func clustersHaveExactlyTheDocumentedKeys() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try Fixtures.run(["hotspots", "Data/vocs_survey_202610_gcj02.csv@GCJ-02", "--value", "tvoc", "--zones", "Data/daxing_towns.gpkg",
                                  "--sources", "Data/enterprises.csv", "--format", "json", "--geojson", dir + "/cells.geojson",
                                  "--clusters-geojson", dir + "/clusters.geojson"])
        #expect(r.code == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        #expect(Set(rows[0].keys) == ["cluster", "zone", "cells", "readings", "max_value", "mean_value", "peak_lon", "peak_lat",
                                      "confidence", "sources"])
        let sources = try #require(rows[0]["sources"] as? [[String: Any]])
        #expect(Set(sources[0].keys) == ["name", "distance_m", "centre_distance_m"])
        // Ranked by peak value.
        #expect(rows.map { $0["cluster"] as? Int } == Array(1...rows.count))
        #expect(r.err.contains("cells of 500 m in EPSG:32650 from 8000 readings; distance band 707.1 m"))
        let cells = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/cells.geojson"))) as? [String: Any])
        let analysis = try #require(cells["analysis"] as? [String: Any])
        #expect(analysis["crs"] as? String == "EPSG:32650" && analysis["cell_m"] as? Double == 500)
        let first = try #require((cells["features"] as? [[String: Any]])?.first?["properties"] as? [String: Any])
        #expect(Set(first.keys) == ["value", "readings", "gi_z", "gi_p", "gi_bin", "cx", "cy"])
        let clusters = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/clusters.geojson"))) as? [String: Any])
        #expect((clusters["features"] as? [Any])?.count == rows.count)
    }

    @Test func withoutZonesThereIsNoZoneColumn() throws {
        let r = try Fixtures.run(["hotspots", "Data/vocs_survey_202610_gcj02.csv@GCJ-02", "--value", "tvoc", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        #expect(r.code == 0 && !rows.isEmpty)
        #expect(rows.allSatisfy { $0["zone"] == nil && $0["cluster"] != nil && $0["sources"] != nil })
        let text = try Fixtures.run(["hotspots", "Data/vocs_survey_202610_gcj02.csv@GCJ-02", "--value", "tvoc"])
        #expect(!text.out.contains("outside all zones") && !text.out.contains("Zone"))
    }

    @Test func zoneFieldNeedsZones() throws {
        for command in [["hotspots", "Data/vocs_survey_202610_gcj02.csv@GCJ-02", "--value", "tvoc"],
                        ["overlap", "Data/contaminated_plots.gpkg", "--sensitive", "Data/sensitive_landuse.geojson"]] {
            let r = try Fixtures.run(command + ["--zone-field", "name"])
            #expect(r.code == 64 && r.err.hasPrefix("landwatch: error: --zone-field goes with --zones"))
        }
    }

    @Test func timeWindowNeedsATimeField() throws {
        let r = try Fixtures.run(["hotspots", "Data/vocs_survey_202610_gcj02.csv@GCJ-02", "--value", "tvoc", "--from", "2026-10-10"])
        #expect(r.code == 64 && r.err.hasPrefix("landwatch: error: --from and --to need --time-field"))
        let windowed = try Fixtures.run(["hotspots", "Data/vocs_survey_202610_gcj02.csv@GCJ-02", "--value", "tvoc",
                                         "--time-field", "time", "--from", "2026-10-08", "--to", "2026-10-12", "--format", "json"])
        #expect(windowed.code == 0)
        // 4509 of the 8000 readings are dated outside 8–12 October (Python's csv module on the file).
        #expect(windowed.err.contains("\"Data/vocs_survey_202610_gcj02.csv\" layer \"vocs_survey_202610_gcj02\": 4509 readings skipped: 4509 outside the period asked for\n"))
    }

    /// A blank reading is skipped and counted, never taken as 0 and never silent.
    @Test func blankReadingsAreCountedInOneLine() throws {
        let dir = Fixtures.temporaryDirectory()
        var lines = try String(contentsOfFile: "Data/vocs_survey_202610_gcj02.csv", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        for i in [1, 2, 3] { lines[i] = lines[i].split(separator: ",").dropLast().joined(separator: ",") + "," }
        lines[4] = lines[4].split(separator: ",").dropLast().joined(separator: ",") + ", "
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/r.csv", atomically: true, encoding: .utf8)
        let r = try Fixtures.run(["hotspots", dir + "/r.csv@GCJ-02", "--value", "tvoc", "--format", "json"])
        #expect(r.code == 0)
        #expect(r.err.contains("layer \"r\": 4 readings skipped: 4 with no \"tvoc\" value\n"))
        #expect(!r.err.contains("GDAL reported"))
    }
}
