import Foundation
import GDALKit
import Testing
import TestSupport

@Suite struct DatasetTests {
    @Test func missingFileNamesThePath() throws {
        let error = #expect(throws: GDALError.self) { try VectorInput(LayerSource(path: "/nonexistent/towns.shp"), options: ReadOptions()) }
        #expect(error?.description == "cannot open \"/nonexistent/towns.shp\": no such file")
    }

    @Test func unreadableFileCarriesGDALsMessage() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/notes.xyz"
        try "just some text\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: GDALError.self) { try Dataset(path: path) }
        // GDAL's own words for a format it does not know.
        #expect(error?.message.contains("not recognized as a supported file format") == true)
        #expect(error?.context == "cannot open \"\(path)\"")
    }

    @Test func missingLayerListsTheLayers() throws {
        let error = #expect(throws: GDALError.self) {
            try VectorInput(LayerSource(parsing: Fixtures.data("daxing_towns.gpkg") + "#roads"), options: ReadOptions())
        }
        #expect(error?.description.contains("its layers are towns") == true)
    }

    @Test func layerSourceSyntax() {
        let s = LayerSource(parsing: "survey.gpkg#readings@GCJ-02")
        #expect(s.path == "survey.gpkg" && s.layer == "readings" && s.crs == "GCJ-02")
        let t = LayerSource(parsing: "towns.shp@EPSG:4490")
        #expect(t.path == "towns.shp" && t.layer == nil && t.crs == "EPSG:4490")
        // A path that exists as given is never split.
        let dir = Fixtures.temporaryDirectory()
        let odd = dir + "/a#b@c.csv"
        _ = FileManager.default.createFile(atPath: odd, contents: Data("x,y\n1,2\n".utf8))
        #expect(LayerSource(parsing: odd).path == odd)
    }

    @Test func readsFeaturesAsValues() throws {
        let input = try VectorInput(LayerSource(path: Fixtures.data("daxing_towns.gpkg")), options: ReadOptions())
        let features = try input.layer.readAll()
        // 22 jurisdictions: Daxing's 14 towns and 8 streets (ogrinfo -so reports Feature Count: 22).
        #expect(features.count == 22)
        #expect(features.contains { $0["name"] == .string("黄村镇") })
        #expect(features.allSatisfy { $0.geometry?.kind == .multiPolygon })
    }

    @Test func writerLeavesNoFileWhenNotCommitted() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/half.gpkg"
        do {
            let writer = try VectorWriter(path: path)
            let layer = try writer.addLayer("x", crs: try CRS.wgs84, geometryKind: .point, fields: [.init("v", .integer)])
            try layer.insert([.integer(1)], geometry: try Geometry(wkt: "POINT (116 39)"))
            // Dropped without commit, as when a run fails half-way.
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(left.isEmpty)
    }

    @Test func writtenShapefileRoundTripsChineseText() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/patches.shp"
        try Fixtures.writePolygons(path, crs: try CRS.cgcs2000,
                                   [("施工工地", "POLYGON ((116 39, 116.01 39, 116.01 39.01, 116 39))")],
                                   options: ["ENCODING": "CP936"])
        let input = try VectorInput(LayerSource(path: path), options: ReadOptions())
        #expect(input.encoding == TextEncoding(name: "CP936", source: ".cpg"))
        #expect(try input.layer.readAll().first?["name"] == .string("施工工地"))
    }

    /// Without a label, text that is not UTF-8 is read with the caller's fallback, and refused
    /// (naming the first bad byte, 0xB2 being GBK's first byte of 拆) without one.
    @Test func gbkWithoutCpgFallsBackToTheCallersEncoding() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/patches.shp"
        try Fixtures.writePolygons(path, crs: try CRS.cgcs2000,
                                   [("拆迁拆违", "POLYGON ((116 39, 116.01 39, 116.01 39.01, 116 39))")],
                                   options: ["ENCODING": "CP936"])
        try FileManager.default.removeItem(atPath: dir + "/patches.cpg")
        // GDAL wrote GBK bytes with code-page byte 0x4D (CP936) in the header; blank it as many
        // Chinese tools do, so that only the bytes themselves tell.
        let dbf = dir + "/patches.dbf"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dbf))
        bytes[29] = 0
        try bytes.write(to: URL(fileURLWithPath: dbf))
        let input = try VectorInput(LayerSource(path: path), options: ReadOptions(fallbackEncoding: "GB18030"))
        #expect(input.encoding == TextEncoding(name: "GB18030", source: "fallback"))
        #expect(try input.layer.readAll().first?["name"] == .string("拆迁拆违"))
        #expect(throws: LayerProblem("\"\(path)\"", .notUTF8(byte: 0xB2, offset: nil))) {
            try VectorInput(LayerSource(path: path), options: ReadOptions())
        }
    }

    /// A layer used after its writer committed (and so closed) the dataset stops with a message,
    /// rather than handing GDAL a freed layer.
    @Test func aLayerOfAClosedDatasetCannotBeUsed() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("closed-\(getpid()).gpkg").path
            let writer = try VectorWriter(path: path)
            let layer = try writer.addLayer("t", crs: nil, geometryKind: nil, fields: [.init("n", .integer)])
            try writer.commit()
            _ = layer.name
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("was used after the dataset was closed"), "\(stderr)")
    }
}
