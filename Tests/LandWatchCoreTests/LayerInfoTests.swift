import GDALKit
import LandWatchCore
import Testing
import TestSupport

@Suite struct LayerInfoTests {
    func info(_ argument: String) throws -> LayerInfo {
        let infos = try LayerInfo.inspect(LayerSource(parsing: argument))
        #expect(infos.count == 1)
        return infos[0]
    }

    // Feature counts: `ogrinfo -so -al FILE` on the committed Data/ files.
    @Test func towns() throws {
        let i = try info(Fixtures.data("daxing_towns.gpkg"))
        #expect(i.driver == "GPKG" && i.layer == "towns")
        #expect(i.crs?.authority == "EPSG:4527")
        #expect(i.featureCount == 22)
        #expect(i.geometryType == "Multi Polygon")
        #expect(i.invalidGeometries == 0)
        // The district lies around 116.4°E 39.65°N.
        let e = try #require(i.lonLatExtent)
        #expect(e.minX > 116.1 && e.maxX < 116.8 && e.minY > 39.4 && e.maxY < 39.9)
    }

    @Test func cp936ShapefileShowsChinese() throws {
        let i = try info(Fixtures.data("bare_land_202610.shp"))
        #expect(i.crs?.authority == "EPSG:4490")
        #expect(i.featureCount == 1302)
        #expect(i.encoding == TextEncoding(name: "CP936", source: ".cpg"))
        #expect(i.fields.map(\.name) == ["tbbh", "lx", "mj", "jcrq", "bz"])
        #expect(i.invalidGeometries > 0)  // the self-intersecting patches vendors deliver
        let input = try VectorInput(LayerSource(path: Fixtures.data("bare_land_202610.shp")), options: .landWatch())
        let types = Set(try input.layer.readAll().compactMap { $0["lx"]?.description })
        #expect(types == ["施工工地", "拆迁拆违", "农田", "园林绿地", "未利用地"])
    }

    /// A folder holding one GBK Shapefile without .cpg is read as that file: its encoding found
    /// (GB18030, a superset of GBK) or overridden, never taken as UTF-8.
    @Test func folderTakesTheFilesPath() throws {
        let dir = Fixtures.temporaryDirectory() + "/delivery"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for ext in ["shp", "shx", "dbf", "prj"] {
            try FileManager.default.copyItem(atPath: Fixtures.data("bare_land_202610." + ext), toPath: dir + "/patches." + ext)
        }
        #expect(try info(dir).encoding == TextEncoding(name: "GB18030", source: "fallback"))
        #expect(try info(dir + "#patches").encoding == TextEncoding(name: "GB18030", source: "fallback"))
        let overridden = try LayerInfo.inspect(LayerSource(path: dir), options: ReadOptions(encoding: "GBK"))
        #expect(overridden.first?.encoding == TextEncoding(name: "GBK", source: "given"))
        let input = try VectorInput(LayerSource(path: dir), options: .landWatch())
        let types = Set(try input.layer.readAll().compactMap { $0["lx"]?.description })
        #expect(types == ["施工工地", "拆迁拆违", "农田", "园林绿地", "未利用地"])
    }

    /// A classified raster: `gdalinfo -hist` gives the same counts for values 1 to 4 (its 256
    /// buckets of a Byte band); gdalinfo gives the size, pixel size and corners.
    @Test func rasterShowsItsClasses() throws {
        let r = try RasterInfo.inspect(Fixtures.data("bare_class_202610.tif"))
        #expect(r.driver == "GTiff" && r.crs?.authority == "EPSG:4490")
        #expect(r.width == 948 && r.height == 951 && r.bands == 1 && r.dataType == "Byte" && r.noData == 0)
        #expect(abs(r.pixelSize.0 - 0.0005) < 1e-12 && abs(r.pixelSize.1 - 0.0004) < 1e-12)
        #expect(abs(r.extent.minX - 116.2215) < 1e-9 && abs(r.extent.maxY - 39.8528) < 1e-9)
        #expect(r.classes?.map(\.value) == [1, 2, 3, 4])
        #expect(r.classes?.map(\.pixels) == [2966, 509872, 2121, 9759])
        #expect(r.text(.en).contains("  classes: 1 (2966), 2 (509872), 3 (2121), 4 (9759)\n"))
    }

    @Test func geojsonAndCSV() throws {
        let parcels = try info(Fixtures.data("sensitive_landuse.geojson"))
        #expect(parcels.crs?.authority == "EPSG:4326" && parcels.featureCount == 451)
        let enterprises = try info(Fixtures.data("enterprises.csv"))
        #expect(enterprises.crsSource == "lon/lat columns" && enterprises.featureCount == 124)
        #expect(enterprises.fields.map(\.name) == ["名称", "行业"])
        let readings = try info(Fixtures.data("vocs_survey_202610_gcj02.csv") + "@GCJ-02")
        #expect(readings.crs?.name == "GCJ-02" && readings.crsSource == "override" && readings.featureCount == 8000)
        // GCJ-02 is offset north-east of WGS84 in Beijing: the lon/lat extent moves back.
        #expect(try #require(readings.lonLatExtent).minX < readings.extent!.minX)
    }

    @Test func layerWithoutCRSIsReportedNotRefused() throws {
        let dir = Fixtures.temporaryDirectory()
        try Fixtures.writePolygons(dir + "/noprj.shp", crs: try CRS.cgcs2000,
                                   [("a", "POLYGON ((116 39, 116.01 39, 116.01 39.01, 116 39))")])
        try FileManager.default.removeItem(atPath: dir + "/noprj.prj")
        let i = try info(dir + "/noprj.shp")
        #expect(i.crs == nil && i.crsSource == "none")
        #expect(i.lonLatExtent == nil)
        // Reading it for analysis asks for a CRS.
        let input = try VectorInput(LayerSource(path: dir + "/noprj.shp"), options: .landWatch())
        let error = #expect(throws: LayerProblem.self) { try input.load(into: CRS.wgs84) }
        #expect(error?.kind == .noCRS)
        // The advice names the setting in plain words; the command line names its option (BadInputTests).
        #expect(error.map { LandWatchError.from($0).description }?.contains("has no CRS: give one with the CRS to assume EPSG:4490") == true)
    }

    @Test func jsonHasTheSameFacts() throws {
        let json = try info(Fixtures.data("contaminated_plots.gpkg")).json.serialized()
        #expect(json.contains("\"crs\":\"EPSG:4527\""))
        #expect(json.contains("\"features\":40"))
        #expect(json.contains("{\"name\":\"risk\",\"type\":\"string\"}"))
    }
}

import Foundation
