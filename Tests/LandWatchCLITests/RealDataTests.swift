import Foundation
import Testing
import TestSupport

/// Public real-world files beside the project (../shared/realdata, not copied in): every command
/// as a user would run it. The suite runs where the folder is present (developers' machines, CI).
let realDataRoot = Fixtures.root.deletingLastPathComponent().appendingPathComponent("shared/realdata").path

/// Under CI the folder must be there: a missing one fails instead of skipping the suite.
@Test(.enabled(if: TestRun.underCI, "runs under CI=true, where ../shared/realdata must be there")) func realDataIsThereUnderCI() {
    guard ProcessInfo.processInfo.environment["CI"] == "true" else { return }
    #expect(FileManager.default.fileExists(atPath: realDataRoot), "\(realDataRoot) is missing: CI runs the real-data tests")
}

@Suite(.enabled(if: FileManager.default.fileExists(atPath: realDataRoot),
                "../shared/realdata is not beside the project: the real-data tests are skipped"))
struct RealDataTests {
    let r = realDataRoot

    @Test func beijingDistrictsWithoutPrjInGCJ02() throws {
        let districts = r + "/beijing_districts_noprj_gcj02/beijing_districts.shp"
        let stations = r + "/air_stations/kdd2018_beijing_aq_stations.csv"
        let refused = try Fixtures.run(["coverage", stations, "--zones", districts])
        #expect(refused.code == 65 && refused.err.contains("has no CRS") && refused.err.contains("usually GCJ-02 (@GCJ-02)"))
        let ok = try Fixtures.run(["coverage", stations, "--zones", districts + "@GCJ-02", "--format", "json"])
        #expect(ok.code == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(ok.out.utf8)) as? [[String: Any]])
        // SOURCES.md: three KDD stations lie in Daxing; the district is about 1,050 km².
        let daxing = try #require(rows.first { $0["zone"] as? String == "大兴区" })
        #expect(daxing["count"] as? Int == 3)
        #expect(abs((daxing["zone_area_m2"] as? Double ?? 0) / 1e6 - 1050) < 5)
        #expect(try Fixtures.run(["info", districts]).out.contains("UTF-8 (detected)"))
    }

    @Test func gbkShapefilesWithAndWithoutCpg() throws {
        let with = try Fixtures.run(["info", r + "/gbk_shapefiles/gbk_shp/daxing_points_cp936.shp"])
        #expect(with.out.contains("CP936 (.cpg)"))
        let without = try Fixtures.run(["coverage", r + "/gbk_shapefiles/gbk_shp_nocpg/daxing_points_cp936.shp@GCJ-02",
                                        "--zones", Fixtures.data("daxing_towns.gpkg"), "--format", "json"])
        #expect(without.code == 0)
        #expect(try Fixtures.run(["info", r + "/gbk_shapefiles/gbk_shp_nocpg/daxing_points_cp936.shp"]).out.contains("GB18030 (fallback)"))
    }

    @Test func daxingOutlineAndPointsInGCJ02() throws {
        let outline = r + "/daxing_adcode_gcj02/fence_110115.json@GCJ-02"
        let points = r + "/daxing_adcode_gcj02/daxing_town_village_points_gcj02.geojson"
        // Both in GCJ-02: every town and village point falls in the district.
        let same = try #require(try JSONSerialization.jsonObject(with: Data(Fixtures.run(["coverage", points + "@GCJ-02", "--zones", outline,
            "--format", "json"]).out.utf8)) as? [[String: Any]])
        #expect(same.count == 1 && same[0]["count"] as? Int == 239)
        // Taken as WGS84, the ~545 m offset pushes points near the border out.
        let mixed = try #require(try JSONSerialization.jsonObject(with: Data(Fixtures.run(["coverage", points, "--zones", outline,
            "--format", "json"]).out.utf8)) as? [[String: Any]])
        #expect(mixed.last?["zone"] is NSNull && (mixed.last?["count"] as? Int ?? 0) > 0)
    }

    @Test func nonUTF8GeoJSON() throws {
        let sjis = r + "/geometry_suites/ogr2osm_encoding/shift-jis.geojson"
        let refused = try Fixtures.run(["info", sjis])
        #expect(refused.code == 65 && refused.err.contains("is not UTF-8 (byte 0x90 at offset 114)"))
        let decoded = try Fixtures.run(["info", sjis, "--encoding", "SHIFT_JIS"])
        let utf8 = try Fixtures.run(["info", r + "/geometry_suites/ogr2osm_encoding/utf8.geojson"])
        #expect(decoded.code == 0 && utf8.code == 0)
    }

    @Test(.tags(.slow), .fullRun) func geometrySuitesEachGetAnAnswer() throws {
        // geojsonhint's good and bad files, turf's fixtures, the antimeridian suite.
        let suites = r + "/geometry_suites"
        let files = (FileManager.default.enumerator(atPath: suites)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".geojson") || $0.hasSuffix(".json") }.sorted()
        #expect(files.count > 50)
        for name in files {
            let result = try Fixtures.run(["info", suites + "/" + name])
            // A description, or one error line: never a crash or GDAL's own ERROR text.
            #expect(result.code == 0 || (result.code == 65 && result.err.split(separator: "\n").count == 1), "\(name): \(result.err)")
            #expect(!result.err.contains("ERROR "), "\(name)")
        }
    }
}
