import Foundation
import GDALKit
import Testing
import TestSupport

/// `landwatch coverage` as a user runs it.
@Suite struct CoverageCommandTests {
    let patches = "Data/bare_land_202610.shp"
    let zones = ["--zones", "Data/daxing_towns.gpkg"]

    func json(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test func jsonHasExactlyTheDocumentedKeys() throws {
        let r = try Fixtures.run(["coverage", patches] + zones + ["--format", "json"])
        #expect(r.code == 0)
        let rows = try json(r.out)
        #expect(rows.count == 23)  // 22 zones and the row of patches outside every zone
        #expect(Set(rows[0].keys) == ["zone", "zone_area_m2", "count", "touching", "area_m2", "area_mu", "area_ha", "coverage_pct"])
        #expect(rows.last?["zone"] is NSNull)
        // The repair warning counts what was repaired (22 self-intersecting patches).
        #expect(r.err.contains("22 invalid geometries repaired (make-valid)"))
    }

    @Test func classFieldAddsClassRowsAndTotals() throws {
        let r = try Fixtures.run(["coverage", patches] + zones + ["--class-field", "lx", "--format", "json"])
        let rows = try json(r.out)
        // 22 zones × (5 classes + a total) + the outside rows (total and its classes).
        #expect(rows.filter { $0["class"] is NSNull && !($0["zone"] is NSNull) }.count == 22)
        #expect(rows.filter { $0["class"] as? String == "施工工地" && !($0["zone"] is NSNull) }.count == 22)
    }

    @Test func pointsHaveDensityAndValues() throws {
        let r = try Fixtures.run(["coverage", "Data/vocs_survey_202610_gcj02.csv@GCJ-02"] + zones + ["--value", "tvoc", "--format", "json"])
        #expect(r.code == 0)
        let rows = try json(r.out)
        #expect(Set(rows[0].keys) == ["zone", "zone_area_m2", "count", "density_km2", "mean", "max"])
        #expect(rows.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 8000)
    }

    /// Readings blank, 10 and 20 at one place: three points, a mean of 15 and a maximum of 20
    /// (by hand), one warning; a readings CSV of lon, lat, value is not taken for a raster grid.
    @Test func blankValuesAreSkippedAndCounted() throws {
        let dir = Fixtures.temporaryDirectory()
        try "lon,lat,tvoc\n116.40,39.70,\n116.40,39.70,10\n116.40,39.70,20\n".write(toFile: dir + "/r.csv", atomically: true, encoding: .utf8)
        let r = try Fixtures.run(["coverage", dir + "/r.csv"] + zones + ["--value", "tvoc", "--format", "json"])
        #expect(r.code == 0)
        let row = try #require(try json(r.out).first { ($0["count"] as? Int ?? 0) > 0 })
        #expect(row["count"] as? Int == 3 && row["mean"] as? Double == 15 && row["max"] as? Double == 20)
        #expect(r.err == "landwatch: warning: \"\(dir)/r.csv\" layer \"r\": 1 feature has no \"tvoc\" value: counted as points, left out of the mean and maximum\n")
    }

    @Test func xlsxHoldsTheSameNumbersAsJSON() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try Fixtures.run(["coverage", patches] + zones + ["-o", dir + "/coverage.xlsx", "--lang", "zh"])
        #expect(r.code == 0)
        let fromJSON = try json(try Fixtures.run(["coverage", patches] + zones + ["--format", "json"]).out)
        let sheet = try VectorInput(LayerSource(path: dir + "/coverage.xlsx"), options: .landWatch()).layer.readAll()
        #expect(sheet.count == fromJSON.count)
        for (row, expected) in zip(sheet, fromJSON) where !(expected["zone"] is NSNull) {
            #expect(row["镇街"]?.description == expected["zone"] as? String)
            #expect(row["面积(m²)"]?.number == expected["area_m2"] as? Double)
            #expect(row["图斑数"]?.number == (expected["count"] as? Int).map(Double.init))
        }
    }

    @Test func piecesAndZonesAreRFC7946() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try Fixtures.run(["coverage", patches] + zones + ["--geojson", dir + "/pieces.geojson",
                                                                  "--zones-out", dir + "/towns.geojson", "-o", dir + "/t.csv"])
        #expect(r.code == 0)
        for file in ["pieces.geojson", "towns.geojson"] {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(doc["type"] as? String == "FeatureCollection")
            #expect(doc["crs"] == nil)
            let features = try #require(doc["features"] as? [[String: Any]])
            #expect(!features.isEmpty)
            for f in features {
                let g = try #require(f["geometry"] as? [String: Any])
                let polygons: [[[[Double]]]] = g["type"] as? String == "Polygon"
                    ? [try #require(g["coordinates"] as? [[[Double]]])]
                    : try #require(g["coordinates"] as? [[[[Double]]]])
                for rings in polygons {
                    for (i, ring) in rings.enumerated() {
                        // Shells counter-clockwise, holes clockwise; lon/lat; closed.
                        #expect((signedArea(ring) > 0) == (i == 0))
                        #expect(ring.first! == ring.last!)
                        #expect(ring.allSatisfy { abs($0[0] - 116.4) < 1 && abs($0[1] - 39.65) < 1 })
                    }
                }
            }
            // At most 7 decimals.
            #expect(text.range(of: "[0-9]\\.[0-9]{8,}", options: .regularExpression) == nil)
        }
        let towns = try VectorInput(LayerSource(path: dir + "/towns.geojson"), options: .landWatch()).layer.readAll()
        #expect(towns.count == 22 && towns.allSatisfy { $0["coverage_pct"]?.number != nil })
    }

    @Test func zonesAsGeoPackage() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try Fixtures.run(["coverage", patches] + zones + ["--zones-out", dir + "/towns.gpkg", "-o", dir + "/t.json"])
        #expect(r.code == 0)
        let input = try VectorInput(LayerSource(path: dir + "/towns.gpkg"), options: .landWatch())
        #expect(input.crs?.authority == "EPSG:4490")
        #expect(try input.layer.readAll().count == 22)
    }

    /// Shapefiles are read back as QGIS reads them: by GDAL, which recodes the text after the
    /// `.cpg` (no ENCODING open option), and compared with the JSON of the same run.
    @Test(arguments: [(nil, "UTF-8", "UTF-8"), ("GBK", "936", "GBK")])
    func shapefilesKeepChineseNames(outEncoding: String?, cpg: String, bytes: String) throws {
        let dir = Fixtures.temporaryDirectory()
        let extra = outEncoding.map { ["--out-encoding", $0] } ?? []
        let r = try Fixtures.run(["coverage", patches] + zones + ["--zones-out", dir + "/towns.shp",
                                                                  "--geojson", dir + "/pieces.shp", "--format", "json"] + extra)
        #expect(r.code == 0)
        #expect(r.err.contains("towns.shp: a Shapefile's field names have at most 10 characters: zone_area_m2 is zone_area_, coverage_pct is coverage_p"))
        let expected = try json(r.out).filter { !($0["zone"] is NSNull) }
        #expect(try String(contentsOfFile: dir + "/towns.cpg", encoding: .utf8) == cpg)
        let towns = try Dataset(path: dir + "/towns.shp").layer(at: 0).readAll()
        let written = Dictionary(uniqueKeysWithValues: towns.map { ($0["zone"]?.description ?? "", $0["zone_area_"]?.number ?? 0) })
        #expect(Set(written.keys) == Set(expected.compactMap { $0["zone"] as? String }))
        for row in expected {
            // Areas as written, to the centimetre: a DBF stores them as text with 2 decimals.
            #expect(abs((written[row["zone"] as? String ?? ""] ?? 0) - (row["zone_area_m2"] as? Double ?? -1)) < 0.006)
        }
        let dbf = try #require(FileManager.default.contents(atPath: dir + "/towns.dbf"))
        let name = bytes == "GBK" ? Data([0xC0, 0xF1, 0xCF, 0xCD, 0xD5, 0xF2]) : Data("礼贤镇".utf8)  // 礼贤镇 in GBK: iconv
        #expect(dbf.range(of: name) != nil)
        let pieces = try Dataset(path: dir + "/pieces.shp").layer(at: 0).readAll()
        #expect(pieces.contains { $0["zone"]?.description == "礼贤镇" })
    }

    @Test func piecesAsGeoPackageKeepTheirSourceFid() throws {
        // A patch cut by a border gives pieces sharing its fid, which a GeoPackage key refused.
        let dir = Fixtures.temporaryDirectory()
        let r = try Fixtures.run(["coverage", patches] + zones + ["--geojson", dir + "/pieces.gpkg", "-o", dir + "/t.json"])
        #expect(r.code == 0)
        let pieces = try VectorInput(LayerSource(path: dir + "/pieces.gpkg"), options: .landWatch()).layer.readAll()
        let fids = pieces.compactMap { $0["fid"]?.number }
        #expect(fids.count == pieces.count && Set(fids).count < fids.count)
    }

    @Test func unknownFieldListsTheFields() throws {
        let r = try Fixtures.run(["coverage", patches] + zones + ["--class-field", "type"])
        #expect(r.code == 65)
        #expect(r.err == "landwatch: error: \"Data/bare_land_202610.shp\" layer \"bare_land_202610\" has no field \"type\": its fields are tbbh, lx, mj, jcrq, bz\n")
    }

    @Test func rasterNeedsValues() throws {
        let r = try Fixtures.run(["coverage", "Data/bare_class_202610.tif"] + zones)
        #expect(r.code == 64)
        #expect(r.err.contains("is a raster: give the covered classes with --values"))
    }
}

func signedArea(_ ring: [[Double]]) -> Double {
    var s = 0.0
    for i in 0..<(ring.count - 1) { s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] }
    return s / 2
}
