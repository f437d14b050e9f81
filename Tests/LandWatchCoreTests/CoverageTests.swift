import Foundation
import GDALKit
import LandWatchCore
import Testing
import TestSupport

/// Coverage against independent numbers. The sample-data figures come from
/// Benchmarks/reference/coverage_reference.py (GeoPandas overlay of the make-valid patches with
/// the zones reprojected to EPSG:4490, areas from pyproj's Geod on the CGCS2000 ellipsoid),
/// committed as coverage_reference.json; the edge cases from coverage_cases.py.
@Suite struct CoverageTests {
    static let reference = Fixtures.root.appendingPathComponent("Benchmarks/reference")

    func referenceJSON(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Self.reference.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func zones(_ path: String = Fixtures.data("daxing_towns.gpkg")) throws -> Zones {
        try Zones.load(LayerSource(path: path), field: nil, options: ReadOptions.landWatch())
    }

    func coverage(_ path: String, zones: Zones, classField: String? = nil) throws -> CoverageResult {
        try PolygonCoverage.compute(VectorInput(LayerSource(path: path), options: .landWatch()), zones: zones, classField: classField, keepPieces: true)
    }

    @Test func sampleDataMatchesGeoPandas() throws {
        let result = try coverage(Fixtures.data("bare_land_202610.shp"), zones: zones(), classField: "lx")
        let ref = try referenceJSON("coverage_reference.json")
        let refZones = try #require(ref["zones"] as? [[String: Any]])
        #expect(result.rows.count == refZones.count + 1)
        for expected in refZones {
            let row = try #require(result.rows.first { $0.zone == expected["zone"] as? String })
            #expect(row.count == expected["count"] as? Double, "\(row.zone!)")
            #expect(row.touching == expected["touching"] as? Int, "\(row.zone!)")
            #expect(relative(row.area!, expected["area_m2"] as! Double) < 1e-6, "\(row.zone!)")
            #expect(relative(row.zoneArea!, expected["zone_area_m2"] as! Double) < 1e-6, "\(row.zone!)")
        }
        // Inline, for the reader: 黄村镇 40 patches, 297,949.084 m² of bare land (reference JSON).
        let huangcun = try #require(result.rows.first { $0.zone == "黄村镇" })
        #expect(huangcun.count == 40 && abs(huangcun.area! - 297_949.084) < 0.01)
        // Four patches lie outside the district.
        #expect(result.rows.last?.zone == nil && result.rows.last?.count == 4)
        // Counts add up to the number of features; 22 bowties were repaired, none dropped.
        #expect(result.rows.reduce(0) { $0 + $1.count } == 1302)
        #expect(result.report.repaired == 22 && result.report.skipped == 0)
        for expected in try #require(ref["by_class"] as? [[String: Any]]) {
            let row = try #require(result.classRows.first {
                $0.zone == expected["zone"] as? String && $0.className == expected["class"] as? String
            })
            #expect(row.count == expected["count"] as? Double)
            #expect(row.touching == expected["touching"] as? Int)
            #expect(relative(row.area!, expected["area_m2"] as! Double) < 1e-6)
        }
    }

    @Test func pointsMatchGeoPandas() throws {
        let result = try PointCoverage.compute(VectorInput(LayerSource(path: Fixtures.data("enterprises.csv")), options: .landWatch()),
                                               zones: zones(), valueField: nil)
        let expected = try #require(try referenceJSON("coverage_reference.json")["points"] as? [[String: Any]])
        for e in expected {
            #expect(result.rows.first { $0.zone == e["zone"] as? String }?.count == e["count"] as? Double)
        }
        #expect(result.rows.allSatisfy { $0.zone != nil })
    }

    /// Raster figures from Benchmarks/reference/raster_reference.py: exactextract's coverage
    /// fractions, each pixel weighted by its geodesic area (pyproj Geod, CGCS2000 ellipsoid).
    @Test func rasterMatchesExactExtract() throws {
        let result = try RasterCoverage.compute(LayerSource(path: Fixtures.data("bare_class_202610.tif")), zones: zones(),
                                                values: [1, 3], options: ReadOptions.landWatch())
        let expected = try #require(try referenceJSON("raster_reference.json")["zones"] as? [[String: Any]])
        for e in expected {
            let row = try #require(result.rows.first { $0.zone == e["zone"] as? String })
            // exactextract keeps fractions as 32-bit floats: 1e-6 relative.
            #expect(relative(row.count, e["count"] as! Double) < 1e-6, "\(row.zone!)")
            #expect(row.touching == e["touching"] as? Int, "\(row.zone!)")
            #expect(relative(row.area!, e["area_m2"] as! Double) < 1e-6, "\(row.zone!)")
        }
    }

    @Test func rasterFractionsOnASyntheticGrid() throws {
        // A 10 × 10 grid of 0.01° pixels from (116.0, 40.0), all class 1; the zone spans columns
        // 2.5–6.5 and rows 3.25–7.25: 4 × 4 = 16 whole-pixel equivalents over 25 pixels.
        // Area: raster_reference.json "synthetic", 15,182,154.416164398 m².
        let dir = Fixtures.temporaryDirectory()
        try Raster.writeByteGeoTIFF(dir + "/grid.tif", width: 10, height: 10, geoTransform: [116, 0.01, 0, 40, 0, -0.01],
                                    crs: CRS.cgcs2000, noData: 0, values: [UInt8](repeating: 1, count: 100))
        try Fixtures.writePolygons(dir + "/zone.gpkg", crs: CRS.cgcs2000,
                                   [("Z", "POLYGON((116.025 39.9275, 116.065 39.9275, 116.065 39.9675, 116.025 39.9675, 116.025 39.9275))")])
        let result = try RasterCoverage.compute(LayerSource(path: dir + "/grid.tif"), zones: zones(dir + "/zone.gpkg"),
                                                values: [1], options: ReadOptions.landWatch())
        #expect(abs(result.rows[0].count - 16) < 1e-9)
        #expect(result.rows[0].touching == 25)
        #expect(relative(result.rows[0].area!, 15_182_154.416164398) < 1e-9)
    }

    // MARK: Edge cases, by name

    /// Zones A and B share the meridian 116.32; C is empty. Patches as in coverage_cases.py.
    static let zoneWKT = [
        ("A", "POLYGON((116.30 39.70, 116.32 39.70, 116.32 39.72, 116.30 39.72, 116.30 39.70))"),
        ("B", "POLYGON((116.32 39.70, 116.34 39.70, 116.34 39.72, 116.32 39.72, 116.32 39.70))"),
        ("C", "POLYGON((116.50 39.70, 116.51 39.70, 116.51 39.71, 116.50 39.71, 116.50 39.70))"),
    ]
    static let holed = "POLYGON((116.302 39.712, 116.306 39.712, 116.306 39.716, 116.302 39.716, 116.302 39.712),(116.303 39.713, 116.304 39.713, 116.304 39.714, 116.303 39.714, 116.303 39.713))"
    static let patchWKT = [
        ("across", "POLYGON((116.315 39.705, 116.325 39.705, 116.325 39.708, 116.315 39.708, 116.315 39.705))"),
        ("holed", holed),
        ("multipart", "MULTIPOLYGON(((116.333 39.701, 116.334 39.701, 116.334 39.702, 116.333 39.702, 116.333 39.701)),((116.336 39.701, 116.338 39.701, 116.338 39.703, 116.336 39.703, 116.336 39.701)))"),
        ("bowtie", "POLYGON((116.331 39.715, 116.333 39.717, 116.333 39.715, 116.331 39.717, 116.331 39.715))"),
        ("duplicate", holed),
        ("outside", "POLYGON((116.40 39.80, 116.401 39.80, 116.401 39.801, 116.40 39.801, 116.40 39.80))"),
    ]

    func edgeCaseFiles(patchCRS: Int) throws -> (zones: Zones, patches: String) {
        let dir = Fixtures.temporaryDirectory()
        try Fixtures.writePolygons(dir + "/zones.gpkg", crs: try CRS.cgcs2000, Self.zoneWKT)
        let t = try CoordinateTransform(from: CRS.cgcs2000, to: CRS(epsg: patchCRS))
        let patches = try Self.patchWKT.map { name, wkt in (name, try t.transform(Geometry(wkt: wkt)).wkt) }
        try Fixtures.writePolygons(dir + "/patches.gpkg", crs: try CRS(epsg: patchCRS), patches)
        return (try zones(dir + "/zones.gpkg"), dir + "/patches.gpkg")
    }

    @Test(arguments: [4490, 4326, 4527])
    func edgeCases(patchCRS: Int) throws {
        let (zones, patches) = try edgeCaseFiles(patchCRS: patchCRS)
        let result = try coverage(patches, zones: zones, classField: "name")
        let a = try #require(result.rows.first { $0.zone == "A" })
        let b = try #require(result.rows.first { $0.zone == "B" })
        let c = try #require(result.rows.first { $0.zone == "C" })
        // Everything from coverage_cases.json. The tie rule, the same in both: pieces whose areas
        // differ by at most 1e-9 of the larger tie, and a tie goes to the earlier zone
        // (`Zones.tieTolerance`; the reference records that choice as
        // `assigned_zone_if_tie_tolerant`, beside strict '>''s `assigned_zone`). "across" splits
        // 142,824.92897 / 142,824.92897 m², a tie: it counts in A.
        let cases = try referenceJSON("coverage_cases.json")
        let refZones = try #require(cases["zones"] as? [[String: Any]])
        let patchesJSON = try #require(cases["patches"] as? [[String: Any]])
        let assigned = patchesJSON.compactMap { ($0["assigned_zone_if_tie_tolerant"] ?? $0["assigned_zone"]) as? String }
        for (row, ref) in [(a, refZones[0]), (b, refZones[1])] {
            #expect(row.zone == ref["zone"] as? String)
            #expect(relative(row.area!, ref["area_m2"] as! Double) < 1e-6)
            #expect(relative(row.zoneArea!, ref["zone_area_m2"] as! Double) < 1e-9)
            #expect(row.touching == ref["touching"] as? Int)
            #expect(Int(row.count) == assigned.filter { $0 == row.zone }.count, "\(row.zone!)")
        }
        #expect(a.count == 3 && b.count == 2)  // across, holed, duplicate in A; multipart, bowtie in B
        // A zone with nothing in it, and the patch outside every zone.
        #expect(c.count == 0 && c.touching == 0 && c.area == 0)
        #expect(result.rows.last?.zone == nil && result.rows.last?.count == 1)
        #expect(result.report.repaired == 1)
        // The pieces: "across" cut in two, each piece's area the reference's.
        let acrossRef = try #require(patchesJSON.first { $0["patch"] as? String == "across" }?["piece_area_m2"] as? [String: Double])
        let across = result.pieces.filter { $0.fid == 1 }
        #expect(across.count == 2 && across.allSatisfy { relative($0.area, acrossRef[zones.zones[$0.zone].name]!) < 1e-6 })
        // Per class, the duplicate patch still counts once in the area.
        let holedRef = try #require(patchesJSON.first { $0["patch"] as? String == "holed" }?["area_m2"] as? Double)
        let holedRow = try #require(result.classRows.first { $0.zone == "A" && $0.className == "holed" })
        #expect(relative(holedRow.area!, holedRef) < 1e-6)
    }

    /// Zones too large for a local frame: edges straight in lon/lat, as drawn. The whole-world
    /// box is the WGS84 surface: 8 × pyproj's Geod area of the octant (0,0)-(90,0)-(0,90),
    /// 510,065,621,724,088.44 m². A 2.5° × 1.2° box: pyproj's Geod on the box with 5000 points
    /// per edge (its edges then follow the parallels), 28,607,794,634.496 m².
    @Test func largeZonesAreMeasuredWithTheirEdgesAsDrawn() throws {
        let dir = Fixtures.temporaryDirectory("large-zones")
        let world = "POLYGON ((-180 -90, 180 -90, 180 90, -180 90, -180 -90))"
        let box = "POLYGON ((116 39, 118.5 39, 118.5 40.2, 116 40.2, 116 39))"
        try Fixtures.writePolygons(dir + "/zones.gpkg", crs: try CRS.wgs84, [("world", world)])
        try Fixtures.writePolygons(dir + "/box.gpkg", crs: try CRS.wgs84, [("box", box)])
        let worldResult = try coverage(dir + "/zones.gpkg", zones: try zones(dir + "/zones.gpkg"))
        let row = try #require(worldResult.rows.first)
        #expect(relative(row.zoneArea!, 510_065_621_724_088.44) < 1e-12)
        #expect(row.count == 1 && row.coveragePct == 100 && worldResult.rows.count == 1)
        let boxRow = try #require(try coverage(dir + "/box.gpkg", zones: try zones(dir + "/box.gpkg")).rows.first)
        #expect(relative(boxRow.zoneArea!, 28_607_794_634.496) < 1e-9)
        #expect(boxRow.coveragePct == 100)
    }

    /// A tiny zone whose covered area, measured another exact way, comes out a few parts in 1e5
    /// above the zone's own: covered as a whole, never more.
    @Test func coverageIsCappedAtTheZone() {
        let row = CoverageRow(zone: "tiny", className: nil, zoneArea: 0.5, count: 1, touching: 1, area: 0.500007)
        #expect(row.area == 0.5 && row.coveragePct == 100)
        #expect(CoverageRow(zone: "z", className: nil, zoneArea: 2, count: 1, touching: 1, area: 1).coveragePct == 50)
    }

    @Test func zoneFieldDefaultsAndErrors() throws {
        #expect(try zones().field == "name")
        let dir = Fixtures.temporaryDirectory()
        let writer = try VectorWriter(path: dir + "/z.gpkg")
        let layer = try writer.addLayer("z", crs: try CRS.cgcs2000, geometryKind: .polygon,
                                        fields: [.init("code", .string), .init("XZQMC", .string)])
        try layer.insert([.string("1"), .string("甲镇")], geometry: try Geometry(wkt: Self.zoneWKT[0].1))
        try writer.commit()
        // XZQMC is recognised, whatever its case.
        let z = try zones(dir + "/z.gpkg")
        #expect(z.field == "XZQMC" && z.zones[0].name == "甲镇")
        let error = #expect(throws: LandWatchError.self) {
            try Zones.load(LayerSource(path: dir + "/z.gpkg"), field: "镇名", options: ReadOptions.landWatch())
        }
        #expect(error?.description == "\"\(dir)/z.gpkg\" layer \"z\" has no field \"镇名\": its fields are code, XZQMC")
    }

    @Test func pointOnASharedBorderCountsOnce() throws {
        let (zones, _) = try edgeCaseFiles(patchCRS: 4490)
        let dir = Fixtures.temporaryDirectory()
        try "id,lon,lat,tvoc\n1,116.32,39.71,10\n2,116.31,39.71,30\n3,116.60,39.71,5\n".write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        let result = try PointCoverage.compute(VectorInput(LayerSource(parsing: dir + "/p.csv@EPSG:4490"), options: .landWatch()), zones: zones, valueField: "tvoc")
        let a = try #require(result.rows.first { $0.zone == "A" })
        // The border point goes to A, the first zone that covers it: A holds 2 points, B none.
        #expect(a.count == 2 && a.mean == 20 && a.max == 30)
        #expect(result.rows.first { $0.zone == "B" }?.count == 0)
        #expect(result.rows.last?.zone == nil && result.rows.last?.count == 1)
        #expect(abs(a.density! - 2 / (a.zoneArea! / 1e6)) < 1e-12)
    }

    @Test func textInAValueFieldNamesTheFeature() throws {
        let (zones, _) = try edgeCaseFiles(patchCRS: 4490)
        let dir = Fixtures.temporaryDirectory()
        try "id,lon,lat,tvoc\n1,116.31,39.71,10\n2,116.31,39.71,n/a\n".write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        let error = #expect(throws: LandWatchError.self) {
            try PointCoverage.compute(VectorInput(LayerSource(path: dir + "/p.csv"), options: .landWatch()), zones: zones, valueField: "tvoc")
        }
        #expect(error?.description.contains("feature 2 field \"tvoc\": \"n/a\" is not a number") == true)
    }
}

func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }
