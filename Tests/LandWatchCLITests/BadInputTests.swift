import Foundation
import GDALKit
import Testing
import TestSupport

/// The corpus of bad inputs: each case's exact answer (README, "Bad input"). Files are built
/// here; `landwatch` runs as a user runs it.
@Suite struct BadInputTests {
    let dir = Fixtures.temporaryDirectory("bad")
    let zones = ["--zones", Fixtures.data("daxing_towns.gpkg")]

    func file(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func shapefileCopy(_ name: String = "patches") throws -> String {
        for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
            try FileManager.default.copyItem(atPath: Fixtures.data("bare_land_202610.\(ext)"), toPath: dir + "/\(name).\(ext)")
        }
        return dir + "/\(name).shp"
    }

    static func collection(_ features: [String]) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[" + features.map { "{\"type\":\"Feature\",\"properties\":{},\"geometry\":\($0)}" }
            .joined(separator: ",") + "]}"
    }

    static let square = "{\"type\":\"Polygon\",\"coordinates\":[[[116.30,39.70],[116.31,39.70],[116.31,39.71],[116.30,39.71],[116.30,39.70]]]}"

    /// Runs a command; the error line must be the only stderr line and say `expected`.
    /// `warnings`: reading warnings may come before the one error line.
    func refused(_ args: [String], _ expected: String, code: Int32 = 65, warnings: Bool = false) throws {
        let r = try Fixtures.run(args)
        #expect(r.code == code, "\(args): \(r.err)")
        let lines = r.err.split(separator: "\n").filter { !warnings || !$0.hasPrefix("landwatch: warning: ") }
        #expect(lines.count == 1 && lines[0].hasPrefix("landwatch: error: ") && lines[0].contains(expected), "\(r.err)")
        #expect(!r.err.contains("ERROR ") && !r.err.contains("Fatal error"))
    }

    /// Runs a command that must succeed with a warning saying `expected`.
    func warned(_ args: [String], _ expected: String) throws {
        let r = try Fixtures.run(args)
        #expect(r.code == 0, "\(args): \(r.err)")
        #expect(r.err.contains("landwatch: warning: ") && r.err.contains(expected), "\(r.err)")
    }

    // MARK: Files

    /// `serve --public-url` must be an address people open; anything else is said before the
    /// server starts, not silently left without its origin check.
    @Test func servePublicURLIsAnAddress() throws {
        for bad in ["ledger.example", "ftp://ledger.example", "https://"] {
            try refused(["serve", "--zones", Fixtures.data("daxing_towns.gpkg"), "--public-url", bad], "--public-url is the address people open", code: 64)
        }
    }

    @Test func missingFileDirectoryEmptyFileUnknownFormat() throws {
        // A file that is not there is a file error (74); one GDAL cannot read is a data error (65).
        try refused(["info", dir + "/nope.shp"], "cannot open \"\(dir)/nope.shp\": no such file", code: 74)
        try refused(["coverage", Fixtures.data("bare_land_202610.shp"), "--zones", dir + "/nope.gpkg"], "no such file", code: 74)
        for out in ["x.xlsx", "x.csv", "x.md"] {
            try refused(["coverage", Fixtures.data("bare_land_202610.shp"), "--zones", Fixtures.data("daxing_towns.gpkg"), "-o", dir + "/missing-folder/" + out],
                        "cannot write \"\(dir)/missing-folder/\(out)\"", code: 74, warnings: true)
        }
        try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: true)
        try refused(["info", dir + "/folder"], "it is a folder holding no layer GDAL reads")
        try refused(["info", try file("empty.geojson", "")], "the file is empty")
        try refused(["info", try file("notes.txt", "just words\n")], "not recognized as a supported file format")
    }

    @Test func shapefileMissingShxOrDbf() throws {
        let shp = try shapefileCopy()
        try FileManager.default.removeItem(atPath: dir + "/patches.shx")
        try refused(["info", shp], "\"\(shp)\" lacks its .shx: a Shapefile comes as .shp, .shx and .dbf")
        try FileManager.default.copyItem(atPath: Fixtures.data("bare_land_202610.shx"), toPath: dir + "/patches.shx")
        try FileManager.default.removeItem(atPath: dir + "/patches.dbf")
        try refused(["coverage", shp] + zones, "lacks its .dbf")
    }

    @Test func brokenGeoJSON() throws {
        try refused(["info", try file("cut.geojson", String(Self.collection([Self.square]).dropLast(9)))], "Failed to read GeoJSON data")
        try refused(["info", try file("plain.json", "{\"hello\": [1, 2, 3]}")], "not recognized as a supported file format")
    }

    // MARK: CRS and coordinates

    @Test func noCRSAndCRSsPROJCannotBuild() throws {
        let shp = try shapefileCopy()
        try FileManager.default.removeItem(atPath: dir + "/patches.prj")
        try refused(["coverage", shp] + zones, "has no CRS: give one with --assume-crs EPSG:4490")
        #expect(try Fixtures.run(["coverage", shp, "--assume-crs", "EPSG:4490", "-o", dir + "/c.json"] + zones).code == 0)
        try "GEOGCS[\"nonsense".write(toFile: dir + "/patches.prj", atomically: true, encoding: .utf8)
        try refused(["coverage", shp] + zones, "its .prj holds a CRS that PROJ cannot read")
        try refused(["coverage", Fixtures.data("bare_land_202610.shp") + "@EPSG:999999"] + zones, "cannot build CRS \"EPSG:999999\"")
    }

    @Test func swappedAndOutOfRangeCoordinates() throws {
        try refused(["coverage", try file("swapped.csv", "lon,lat,v\n39.7,116.3,1\n")] + zones,
                    "feature 1: latitude and longitude look swapped (x 39.7, y 116.3)")
        try refused(["coverage", try file("far.csv", "lon,lat,v\n1163000,397000,1\n")] + zones,
                    "feature 1: vertex 1 (1163000.0, 397000.0) is outside lon/lat range")
        // The vertex at fault is named, not the first one.
        try refused(["coverage", try file("far.geojson", Self.collection([
            "{\"type\":\"Polygon\",\"coordinates\":[[[116.3,39.7],[116.31,39.7],[216.31,39.71],[116.3,39.7]]]}"]))] + zones,
                    "feature 0: vertex 3 (216.31, 39.71) is outside lon/lat range for EPSG:4326")
        // A NaN vertex in a projected layer: named, without GDAL's advice on its configuration.
        let projected = dir + "/nan-projected.gpkg"
        try Fixtures.writePolygons(projected, crs: try CRS(epsg: 4527), [
            ("a", "POLYGON ((39500000 4400000, 39500100 4400000, 39500100 NaN, 39500000 4400000))")])
        let r = try Fixtures.run(["coverage", projected] + zones)
        #expect(r.code == 65 && r.err.contains("feature 1 has NaN or infinite coordinates (vertex 3: 39500100.0, nan)"), "\(r.err)")
        #expect(!r.err.contains("OGR_ENABLE_PARTIAL_REPROJECTION") && r.err.split(separator: "\n").count == 1)
        // A coordinate CSV cannot hold NaN as a point: GDAL gives no geometry, counted.
        try warned(["coverage", try file("nan.csv", "lon,lat,v\nnan,39.7,1\n116.3,39.7,2\n"), "-o", dir + "/n.json"] + zones, "1 feature skipped (1 null)")
    }

    // MARK: Text encodings

    @Test func gbkWithoutCpgAndUTF8WithoutCodePage() throws {
        let shp = try shapefileCopy()
        try FileManager.default.removeItem(atPath: dir + "/patches.cpg")
        var dbf = try Data(contentsOf: URL(fileURLWithPath: dir + "/patches.dbf"))
        dbf[29] = 0
        try dbf.write(to: URL(fileURLWithPath: dir + "/patches.dbf"))
        let r = try Fixtures.run(["info", shp, "--format", "json"])
        #expect(r.out.contains("\"encoding\": \"GB18030\", \"encoding_source\": \"fallback\""))
        let classes = try Fixtures.run(["coverage", shp, "--class-field", "lx", "--format", "json"] + zones).out
        #expect(classes.contains("\"class\": \"施工工地\""))
        // --encoding overrides.
        #expect(try Fixtures.run(["info", shp, "--encoding", "GBK"]).out.contains("GBK (given)"))
        // A UTF-8 DBF with code-page byte 0 is detected as UTF-8.
        let utf8 = dir + "/utf8.shp"
        try Fixtures.writePolygons(utf8, crs: try CRS.cgcs2000, [("黄村镇", "POLYGON((116.3 39.7,116.31 39.7,116.31 39.71,116.3 39.7))")],
                                   options: ["ENCODING": "UTF-8"])
        try FileManager.default.removeItem(atPath: dir + "/utf8.cpg")
        #expect(try Fixtures.run(["info", utf8]).out.contains("UTF-8 (detected)"))
    }

    @Test func geoJSONThatIsNotUTF8() throws {
        let path = dir + "/gbk.geojson"
        // "黄村镇" in GBK: BB C6 B4 E5 D5 F2.
        let head = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\""
        let tail = "\"},\"geometry\":\(Self.square)}]}"
        try Data(Array(head.utf8) + [0xBB, 0xC6, 0xB4, 0xE5, 0xD5, 0xF2] + Array(tail.utf8)).write(to: URL(fileURLWithPath: path))
        try refused(["info", path], "\"\(path)\" is not UTF-8 (byte 0xBB at offset \(head.utf8.count)): give its encoding with --encoding")
        let ok = try Fixtures.run(["coverage", path, "--encoding", "GB18030", "--class-field", "name", "--format", "json"] + zones)
        #expect(ok.code == 0 && ok.out.contains("\"class\": \"黄村镇\""))
    }

    // MARK: Geometry

    @Test func nullEmptyWrongTypeAndMeasuredGeometries() throws {
        let path = try file("mixed.geojson", Self.collection(["null", "{\"type\":\"LineString\",\"coordinates\":[[116.3,39.7],[116.31,39.7]]}",
                                                              "{\"type\":\"Point\",\"coordinates\":[116.3,39.7]}", Self.square]))
        try warned(["coverage", path, "-o", dir + "/m.json"] + zones, "3 features skipped (1 null, 2 of the wrong geometry type)")
        // 3D and measured coordinates are measured in 2D: the same area as without them.
        let zm = try file("zm.geojson", Self.collection(["{\"type\":\"Polygon\",\"coordinates\":[[[116.30,39.70,12.5,3],[116.31,39.70,12.5,3],"
            + "[116.31,39.71,12.5,3],[116.30,39.71,12.5,3],[116.30,39.70,12.5,3]]]}"]))
        let flat = try Fixtures.run(["coverage", try file("flat.geojson", Self.collection([Self.square])), "--format", "json"] + zones).out
        let measured = try Fixtures.run(["coverage", zm, "--format", "json"] + zones)
        #expect(measured.code == 0 && measured.out == flat)
        // A layer whose only geometry is null says so, not "Unknown (any) geometries".
        try refused(["coverage", try file("null.geojson", Self.collection(["null"]))] + zones,
                    "layer \"null\" holds only null geometries: coverage measures polygons, points or rasters")
    }

    @Test func ringsUnclosedTooShortSelfIntersectingSpikedHolesOutside() throws {
        let unclosed = "{\"type\":\"Polygon\",\"coordinates\":[[[116.30,39.70],[116.31,39.70],[116.31,39.71],[116.30,39.71]]]}"
        let short = "{\"type\":\"Polygon\",\"coordinates\":[[[116.30,39.70],[116.31,39.70],[116.30,39.70]]]}"
        let bowtie = "{\"type\":\"Polygon\",\"coordinates\":[[[116.30,39.70],[116.31,39.71],[116.31,39.70],[116.30,39.71],[116.30,39.70]]]}"
        let spike = "{\"type\":\"Polygon\",\"coordinates\":[[[116.30,39.70],[116.31,39.70],[116.31,39.71],[116.305,39.71],[116.305,39.73],[116.305,39.71],[116.30,39.71],[116.30,39.70]]]}"
        let holeOutside = "{\"type\":\"Polygon\",\"coordinates\":[[[116.30,39.70],[116.31,39.70],[116.31,39.71],[116.30,39.71],[116.30,39.70]],[[116.32,39.70],[116.33,39.70],[116.33,39.71],[116.32,39.70]]]}"
        try warned(["coverage", try file("rings.geojson", Self.collection([unclosed, short, bowtie, spike, holeOutside])), "-o", dir + "/r.json"] + zones,
                   "4 invalid geometries repaired (make-valid); 1 feature skipped (1 with no area left after repair)")
        // The unclosed ring was closed and counts: every feature but the collapsed one is counted.
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json"))) as? [[String: Any]])
        #expect(rows.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 4)
    }

    /// GDAL's own chatter never reaches users: what matters is said in LandWatch's words.
    @Test func gdalChatterIsTranslatedOrKeptOut() throws {
        // A KML polygon whose ring is not closed: GDAL's advice on its configuration becomes a count.
        let kml = try file("unclosed.kml", "<?xml version=\"1.0\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><Placemark>"
            + "<Polygon><outerBoundaryIs><LinearRing><coordinates>116.3,39.7 116.31,39.7 116.31,39.71 116.3,39.71</coordinates>"
            + "</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>")
        let ring = try Fixtures.run(["coverage", kml, "-o", dir + "/k.json"] + zones)
        #expect(ring.code == 0)
        #expect(ring.err == "landwatch: warning: \"\(kml)\" layer \"unclosed\": 1 geometry with unclosed rings closed\n")
        // A GeoPackage 1.4 (written by a newer GDAL or QGIS) is read without a version warning.
        let newer = dir + "/towns14.gpkg"
        try FileManager.default.copyItem(atPath: Fixtures.data("daxing_towns.gpkg"), toPath: newer)
        do { _ = try Dataset(path: newer, update: true).execute("PRAGMA user_version = 10400") }
        let read = try Fixtures.run(["coverage", Fixtures.data("enterprises.csv"), "--zones", newer, "-o", dir + "/e.json"])
        #expect(read.code == 0 && read.err.isEmpty, "\(read.err)")
    }

    @Test func zonesThatOverlapLeaveGapsOrShareNames() throws {
        let z = dir + "/zones.gpkg"
        try Fixtures.writePolygons(z, crs: try CRS.cgcs2000, [
            ("A", "POLYGON((116.30 39.70, 116.32 39.70, 116.32 39.72, 116.30 39.72, 116.30 39.70))"),
            ("B", "POLYGON((116.319 39.70, 116.34 39.70, 116.34 39.72, 116.319 39.72, 116.319 39.70))"),
            ("C", "POLYGON((116.30 39.72, 116.34 39.72, 116.34 39.74, 116.30 39.74, 116.30 39.72),(116.31 39.725, 116.32 39.725, 116.32 39.735, 116.31 39.725))"),
            ("A", "POLYGON((116.36 39.70, 116.37 39.70, 116.37 39.71, 116.36 39.70))"),
        ])
        let r = try Fixtures.run(["coverage", try file("p.geojson", Self.collection([Self.square])), "--zones", z, "--format", "json"])
        #expect(r.code == 0)
        #expect(r.err.contains("1 zone name is used by several features, merged into one zone each: A"))
        #expect(r.err.contains("1 pairs of zones overlap, by 190"))
        #expect(r.err.contains("the zones leave 1 gap between them"))
        #expect(try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]]).count == 3)
    }

    // MARK: Sizes

    @Test func aLayerWithNoFeatures() throws {
        let r = try Fixtures.run(["coverage", try file("none.geojson", Self.collection([])), "--format", "json"] + zones)
        #expect(r.code == 0)
        #expect(r.out.components(separatedBy: "\"count\": 0").count - 1 == 22)
    }

    @Test(.tags(.slow), .fullRun) func oneHugePolygon() throws {
        // A circle of 1,000,000 vertices around 116.4°E 39.65°N, radius 0.05°.
        let n = 1_000_000
        var coords = (0..<n).map { i -> String in
            let t = 2 * Double.pi * Double(i) / Double(n)
            return "[\(116.4 + 0.05 * cos(t)),\(39.65 + 0.05 * sin(t))]"
        }
        coords.append(coords[0])
        let path = try file("huge.geojson", Self.collection(["{\"type\":\"Polygon\",\"coordinates\":[[" + coords.joined(separator: ",") + "]]}"]))
        let r = try Fixtures.run(["coverage", path, "--format", "json"] + zones)
        #expect(r.code == 0, "\(r.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        #expect(rows.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 1)
        // Its pieces add up to its area: pyproj's Geod(ellps="WGS84").polygon_area_perimeter on the
        // same million vertices gives 74,843,178.365 m² (the circle lies inside the district).
        let area = rows.reduce(0.0) { $0 + ($1["area_m2"] as? Double ?? 0) }
        #expect(abs(area - 74_843_178.365) / 74_843_178.365 < 1e-6, "\(area)")
    }

    // MARK: Faults

    /// Killed while the GeoJSON is being written (its temporary file is there, paused before
    /// the rename): the table written before it is whole, the GeoJSON is not there under its name.
    @Test(.tags(.slow), .fullRun) func aKilledRunLeavesNoHalfFile() throws {
        let target = dir + "/pieces.geojson"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.binary)
        process.arguments = ["coverage", Fixtures.data("bare_land_202610.shp"), "--geojson", target, "-o", dir + "/t.json"] + zones
        process.currentDirectoryURL = Fixtures.root
        process.environment = ProcessInfo.processInfo.environment.merging(["LANDWATCH_FAULT_PAUSE_BEFORE_RENAME": "30:pieces.geojson"]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        var waited = 0.0, temporary = false
        while !temporary && waited < 30 {
            temporary = try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.hasPrefix(".pieces.partial-") }
            if !temporary { Thread.sleep(forTimeInterval: 0.05); waited += 0.05 }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(temporary, "the GeoJSON's temporary file was never seen")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/t.json"))) is [Any])
    }
}

/// A million tiny polygons (5 m squares spread over the district): read, cut and counted.
@Suite(.tags(.slow), .fullRun) struct MillionPolygonsTest {
    @Test func aMillionTinyPolygons() throws {
        let dir = Fixtures.temporaryDirectory("million")
        let path = dir + "/tiny.fgb"
        let writer = try VectorWriter(path: path)
        let layer = try writer.addLayer("tiny", crs: try CRS.cgcs2000, geometryKind: .polygon, fields: [])
        let d = 0.00005
        for i in 0..<1_000_000 {
            let x = 116.25 + Double(i % 1000) * 0.0004, y = 39.50 + Double(i / 1000) * 0.0003
            try layer.insert([], geometry: try Geometry(shape: .polygon([[Coordinate(x, y), Coordinate(x + d, y), Coordinate(x + d, y + d),
                                                                           Coordinate(x, y + d), Coordinate(x, y)]])))
        }
        try writer.commit()
        let r = try Fixtures.run(["coverage", path, "--zones", Fixtures.data("daxing_towns.gpkg"), "--format", "json"])
        #expect(r.code == 0, "\(r.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        // Every square is counted once, in a zone or in the row outside.
        #expect(rows.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 1_000_000)
    }
}
