import GDALKit
import Testing

@Suite struct GeodesicTests {
    let wgs84 = Geodesic(.wgs84)

    // Published values: GeographicLib's planimeter tests (testgeodesic.c, Planimeter0), WGS84.
    @Test func polarCapArea() {
        let ring = [Coordinate(0, 89), Coordinate(90, 89), Coordinate(180, 89), Coordinate(270, 89)]
        #expect(abs(wgs84.ringArea(ring) - 24_952_305_678.0) < 1)
    }

    @Test func equatorialDiamondArea() {
        let ring = [Coordinate(-1, 0), Coordinate(0, -1), Coordinate(1, 0), Coordinate(0, 1)]
        #expect(abs(wgs84.ringArea(ring) - 24_619_419_146.0) < 1)
    }

    @Test func octantArea() {
        let ring = [Coordinate(0, 90), Coordinate(0, 0), Coordinate(90, 0)]
        #expect(abs(wgs84.ringArea(ring) - 63_758_202_715_511.0) < 1)
    }

    @Test func holesAreSubtracted() throws {
        let shell = [Coordinate(116, 39), Coordinate(116.1, 39), Coordinate(116.1, 39.1), Coordinate(116, 39.1), Coordinate(116, 39)]
        let hole = [Coordinate(116.02, 39.02), Coordinate(116.04, 39.02), Coordinate(116.04, 39.04), Coordinate(116.02, 39.04), Coordinate(116.02, 39.02)]
        let g = try Geometry(shape: .polygon([shell, hole]))
        #expect(abs(wgs84.area(g) - (wgs84.ringArea(shell) - wgs84.ringArea(hole))) < 1e-6)
    }

    @Test func distanceAlongAMeridian() {
        // One degree of latitude from 39°N to 40°N on WGS84:
        // pyproj Geod(ellps="WGS84").inv(116, 39, 116, 40)[2] = 111025.04554650886 m.
        #expect(abs(wgs84.distance(Coordinate(116, 39), Coordinate(116, 40)) - 111_025.04554650886) < 1e-6)
    }
}
