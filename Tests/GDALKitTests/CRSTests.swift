import Foundation
import GDALKit
import Synchronization
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

    /// Transforms made at once on many threads (as the readers of a layer's parts make them)
    /// agree: the pair known to need nothing stays so, the pair that changes still changes.
    @Test func transformsMadeOnManyThreadsAgree() throws {
        let (wgs84, cgcs2000, gk) = (try CRS.wgs84, try CRS.cgcs2000, try CRS("EPSG:4527"))
        let results = Mutex([(Bool, Coordinate)?](repeating: nil, count: 16))
        DispatchQueue.concurrentPerform(iterations: 16) { k in
            let outcome = try? (CoordinateTransform(from: wgs84, to: cgcs2000).isIdentity,
                                CoordinateTransform(from: gk, to: cgcs2000).transform(Coordinate(39_450_000, 4_390_000)))
            results.withLock { $0[k] = outcome }
        }
        for outcome in results.withLock({ $0 }) {
            let (unchanged, p) = try #require(outcome)
            // WGS84 and CGCS2000 lon/lat: PROJ has no shift between them (a ballpark transformation).
            #expect(unchanged)
            // pyproj, as in reprojectsProjectedToGeographic.
            #expect(abs(p.x - 116.41750578888946) < 1e-9 && abs(p.y - 39.64252222061206) < 1e-9)
        }
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
