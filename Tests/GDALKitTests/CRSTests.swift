import GDALKit
import Testing

@Suite struct CRSTests {
    @Test func describesAuthorityAndName() throws {
        let crs = try CRS("EPSG:4527")
        #expect(crs.authority == "EPSG:4527")
        #expect(crs.name == "CGCS2000 / 3-degree Gauss-Kruger zone 39")
        #expect(!crs.isGeographic)
        #expect(try crs.geographic().authority == "EPSG:4490")
    }

    @Test func refusesWhatPROJCannotBuild() {
        #expect(throws: GDALError.self) { try CRS("EPSG:999999") }
    }

    @Test func transformsInLonLatOrder() throws {
        // EPSG:4326 declares lat/lon axis order; LandWatch always passes lon/lat.
        // Expected: pyproj Transformer.from_crs(4326, 4527, always_xy=True).transform(116.4, 39.65)
        // = (39448502.879658535, 4390840.14361155).
        let t = try CoordinateTransform(from: CRS.wgs84, to: CRS("EPSG:4527"))
        let p = try t.transform(Coordinate(116.4, 39.65))
        #expect(abs(p.x - 39_448_502.879658535) < 1e-3)
        #expect(abs(p.y - 4_390_840.14361155) < 1e-3)
    }

    @Test func reprojectsProjectedToGeographic() throws {
        // Expected: pyproj Transformer.from_crs(4527, 4490, always_xy=True).transform(39450000, 4390000)
        // = (116.41750578888946, 39.64252222061206).
        let t = try CoordinateTransform(from: CRS("EPSG:4527"), to: CRS.cgcs2000)
        let p = try t.transform(Coordinate(39_450_000, 4_390_000))
        #expect(abs(p.x - 116.41750578888946) < 1e-9)
        #expect(abs(p.y - 39.64252222061206) < 1e-9)
    }

    @Test func gcj02ConvertsToWGS84() throws {
        let gcj = try CRS("GCJ-02")
        #expect(gcj.isGCJ02 && gcj.isGeographic && gcj.name == "GCJ-02")
        let t = try CoordinateTransform(from: gcj, to: CRS.wgs84)
        let w = try t.transform(GCJ02.fromWGS84(Coordinate(116.4, 39.65)))
        // The inverse undoes the forward offset to 1e-9 degrees (about 0.1 mm).
        #expect(abs(w.x - 116.4) < 1e-9 && abs(w.y - 39.65) < 1e-9)
    }
}
