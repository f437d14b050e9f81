import Foundation
import Testing
import TestSupport

/// Runs of the built `landwatch` binary, as a user would.
@Suite struct CLITests {
    @Test func versionNamesTheLibraries() throws {
        let r = try Fixtures.run(["--version"])
        #expect(r.code == 0)
        #expect(r.out.hasPrefix("landwatch 0.1.0 (GDAL 3."))
        #expect(r.out.contains("GEOS 3.") && r.out.contains("PROJ 9."))
    }

    @Test func infoPrintsTheLayer() throws {
        let r = try Fixtures.run(["info", "Data/bare_land_202610.shp"])
        #expect(r.code == 0)
        #expect(r.out.contains("  CRS:        EPSG:4490 (China Geodetic Coordinate System 2000) [declared]"))
        #expect(r.out.contains("  features:   1302"))
        #expect(r.out.contains("  encoding:   CP936 (.cpg)"))
    }

    @Test func infoJSON() throws {
        let r = try Fixtures.run(["info", "Data/daxing_towns.gpkg", "--format", "json"])
        #expect(r.code == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]]
        #expect(parsed?.first?["features"] as? Int == 22)
        #expect(parsed?.first?["crs"] as? String == "EPSG:4527")
    }

    @Test func fileAndDataErrorsAreOneLineWithTheirCodes() throws {
        // A missing file is a file error (74, as the README says), a file GDAL cannot read a data error (65).
        let r = try Fixtures.run(["info", "Data/no_such_layer.shp"])
        #expect(r.code == 74)
        #expect(r.err == "landwatch: error: cannot open \"Data/no_such_layer.shp\": no such file\n")
        #expect(r.out.isEmpty)
        let text = Fixtures.temporaryDirectory("codes") + "/notes.txt"
        try "just words\n".write(toFile: text, atomically: true, encoding: .utf8)
        let unreadable = try Fixtures.run(["info", text])
        #expect(unreadable.code == 65 && unreadable.err.split(separator: "\n").count == 1, "\(unreadable.err)")
    }

    @Test func usageErrorIsDistinct() throws {
        let r = try Fixtures.run(["info", "Data/daxing_towns.gpkg", "--format", "xlsx"])
        #expect(r.code == 64)
        #expect(r.err.hasPrefix("landwatch: error: info writes table or json\n"))
    }
}
