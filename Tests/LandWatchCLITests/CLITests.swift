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
        // One line, ending with where the command's help is.
        #expect(r.err == "landwatch: error: info writes table or json (see 'landwatch info --help')\n")
    }

    /// No output lands on an input or another output, whatever the spelling of its path, and
    /// an extension that names another format is refused; nothing is written, inputs unchanged.
    @Test func outputsNeverOverwriteInputs() throws {
        let dir = Fixtures.temporaryDirectory("outputs")
        for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
            try FileManager.default.copyItem(atPath: "Data/bare_land_202610." + ext, toPath: dir + "/patches." + ext)
        }
        try FileManager.default.copyItem(atPath: "Data/daxing_towns.gpkg", toPath: dir + "/towns.gpkg")
        try FileManager.default.copyItem(atPath: "Data/enterprises.csv", toPath: dir + "/e.csv")
        let before = try ["patches.dbf", "towns.gpkg", "e.csv"].map { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)) }
        let coverage = ["coverage", dir + "/patches.shp", "--zones", dir + "/towns.gpkg"]
        let cases: [([String], String)] = [
            (["--zones-out", dir + "/./towns.gpkg"], "\(dir)/./towns.gpkg would overwrite the input \(dir)/towns.gpkg: write to another file"),
            (["--geojson", dir + "/patches.dbf"], "\(dir)/patches.dbf: features are written as .geojson, .json, .gpkg, .fgb, .shp"),
            (["--geojson", dir + "/../\((dir as NSString).lastPathComponent)/patches.shp"], "would overwrite the input \(dir)/patches.shp"),
            (["-o", dir + "/x.xls"], "-o \(dir)/x.xls: a table is written as .csv, .json, .md, .txt, .xlsx"),
            (["-o", dir + "/x.geojson"], "-o \(dir)/x.geojson: a table is written as"),
            (["--format", "csv", "-o", dir + "/x.xlsx"], "--format csv does not match -o \(dir)/x.xlsx, which names xlsx"),
            (["-o", dir + "/z.json", "--zones-out", dir + "/z.json"], "\(dir)/z.json and \(dir)/z.json are the same file"),
        ]
        for (options, message) in cases {
            let r = try Fixtures.run(coverage + options)
            #expect(r.code == 64, "\(options)")
            #expect(r.err.hasPrefix("landwatch: error: ") && r.err.contains(message) && r.err.split(separator: "\n").count == 1, "\(r.err)")
        }
        let csv = try Fixtures.run(["coverage", dir + "/e.csv", "--zones", dir + "/towns.gpkg", "-o", dir + "/e.csv"])
        #expect(csv.code == 64 && csv.err.contains("would overwrite the input \(dir)/e.csv"))
        let ledger = try Fixtures.run(["ledger", "status", "--ledger", dir + "/towns.gpkg", "--geojson", dir + "/towns.gpkg"])
        #expect(ledger.code == 64 && ledger.err.contains("would overwrite the input \(dir)/towns.gpkg"))
        let after = try ["patches.dbf", "towns.gpkg", "e.csv"].map { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)) }
        #expect(after == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.xls") && !FileManager.default.fileExists(atPath: dir + "/z.json"))
    }

    /// Each message says what was wrong and how to put it right, in one line (#15 items 17–19, 23).
    @Test func messagesSayWhatWasWrong() throws {
        let dir = Fixtures.temporaryDirectory("messages")
        try "e,n,v\n116.4,39.7,3\n".write(toFile: dir + "/en.csv", atomically: true, encoding: .utf8)
        let vocs = ["hotspots", "Data/vocs_survey_202610_gcj02.csv@GCJ-02", "--value", "tvoc", "--time-field", "time"]
        let cases: [([String], Int32, String)] = [
            (["coverage", dir + "/en.csv", "--zones", "Data/daxing_towns.gpkg"], 65,
             "\"\(dir)/en.csv\" layer \"en\" has no coordinate columns: its columns are e, n, v; name them with --x-field and --y-field"),
            (["coverage", "Data/enterprises.csv", "--x-field", "经度", "--y-field", "lat", "--zones", "Data/daxing_towns.gpkg"], 65,
             "\"Data/enterprises.csv\" layer \"enterprises\" has no column \"lat\" (the y column): its columns are 名称, 行业, 经度, 纬度; name the y column with --y-field"),
            (vocs + ["--from", "garbage"], 64, "--from garbage: give an ISO date or time, e.g. 2026-10-08 or 2026-10-08T09:00"),
            (vocs + ["--from", "2026-10-20", "--to", "2026-10-01"], 64, "--from 2026-10-20 is after --to 2026-10-01"),
            // The readings' first and last times: the smallest and largest `time` in the file (Python: min/max of the
            // column, 2026-10-08T09:09:06+08:00 and 2026-10-20T09:54:45+08:00), as GDAL reads the zone: +08.
            (vocs + ["--from", "2027-01-01"], 65,
             "no reading within --from 2027-01-01; the readings run from 2026-10-08T09:09:06+08 to 2026-10-20T09:54:45+08"),
            (["sample-data", "--out", "README.md"], 74, "\"README.md\" is a file, not a folder: give a folder to write into"),
            (["sample-data", "--out", dir + "/s", "--scale", "-1"], 64, "--scale -1 is read as two options: write --scale=-1"),
            (["ledger", "close", "X", "--ledger", dir + "/l.gpkg", "--reason", "covered", "--date", "2026-1-5"], 64,
             "give a day as YYYY-MM-DD, e.g. 2026-10-25 (see 'landwatch ledger close --help')"),
        ]
        for (arguments, code, message) in cases {
            let r = try Fixtures.run(arguments)
            #expect(r.code == code, "\(arguments): \(r.err)")
            #expect(r.err.hasPrefix("landwatch: error: ") && r.err.contains(message) && r.err.split(separator: "\n").count == 1,
                    "\(arguments): \(r.err)")
        }
        // A window at the precision both bounds share: from 10:00 to the end of that day.
        #expect(try Fixtures.run(vocs + ["--from", "2026-10-10T10", "--to", "2026-10-10", "--min-readings", "1"]).code != 64)
        // `info` describes a raster, as `coverage` reads it.
        let raster = try Fixtures.run(["info", "Data/bare_class_202610.tif"])
        #expect(raster.code == 0 && raster.out.contains("size:    948 × 951 pixels, 1 band (Byte)"), "\(raster.err)")
        // `info` on a table without geometry does not ask for a .prj.
        #expect(try Fixtures.run(["info", dir + "/en.csv"]).out.contains("CRS:        none (a table without geometry)"))
        // sample-data counts the files it wrote, a Shapefile's five included.
        let sample = try Fixtures.run(["sample-data", "--out", dir + "/sample", "--scale", "0.05"])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/sample").count
        #expect(sample.code == 0 && sample.err.contains("wrote \(files) files to"), "\(sample.err)")
    }
}
