import GDALKit
import Testing
import TestSupport

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

    /// Rings as drawn in lon/lat, edges straight in lon/lat. The whole-world box is the WGS84
    /// surface: 8 × pyproj's Geod area of the octant (0,0)-(90,0)-(0,90) = 510,065,621,724,088.44
    /// m². The 90° × 60° box: pyproj's Geod on the box with 20,000 points per edge,
    /// 55,154,240,093,932.7 m² (chords still cut the parallels: 1.3e-7 short of the limit).
    @Test func ringsAsDrawnInLonLat() throws {
        let lonLat = LonLatArea(.wgs84)
        let world = [Coordinate(-180, -90), Coordinate(180, -90), Coordinate(180, 90), Coordinate(-180, 90)]
        #expect(abs(lonLat.ringArea(world) - 510_065_621_724_088.44) / 5.1e14 < 1e-12)
        let box = [Coordinate(0, 0), Coordinate(90, 0), Coordinate(90, 60), Coordinate(0, 60)]
        #expect(abs(lonLat.ringArea(box) - 55_154_240_093_932.7) / 5.5e13 < 3e-7)
        // A small box: its top and bottom edges bow the same way, so the two readings agree to 1e-6.
        let small = [Coordinate(116.3, 39.7), Coordinate(116.4, 39.7), Coordinate(116.4, 39.8), Coordinate(116.3, 39.8)]
        #expect(abs(lonLat.ringArea(small) - wgs84.ringArea(small)) / wgs84.ringArea(small) < 1e-6)
        let g = try Geometry(shape: .polygon([world + [world[0]]]))
        #expect(wgs84.area(g) < 1 && abs(wgs84.areaAsDrawn(g) - 510_065_621_724_088.44) < 1)
    }

    @Test func holesAreSubtracted() throws {
        let shell = [Coordinate(116, 39), Coordinate(116.1, 39), Coordinate(116.1, 39.1), Coordinate(116, 39.1), Coordinate(116, 39)]
        let hole = [Coordinate(116.02, 39.02), Coordinate(116.04, 39.02), Coordinate(116.04, 39.04), Coordinate(116.02, 39.04), Coordinate(116.02, 39.02)]
        let g = try Geometry(shape: .polygon([shell, hole]))
        #expect(abs(wgs84.area(g) - (wgs84.ringArea(shell) - wgs84.ringArea(hole))) < 1e-6)
    }

    /// The rings `measure` keeps give exactly (bit for bit) the area `area` streams from GEOS, so
    /// that a union measured on them agrees with its pieces' areas; a feature wider than the
    /// projection's reach keeps none. Shells, a hole, two parts, a ring too short to count.
    @Test func keptRingsMeasureExactlyTheArea() throws {
        let areas = EllipsoidalArea(.grs80, centre: Coordinate(116.4, 39.7))
        let shell = [Coordinate(116.40, 39.70), Coordinate(116.41, 39.70), Coordinate(116.412, 39.708), Coordinate(116.40, 39.709), Coordinate(116.40, 39.70)]
        let hole = [Coordinate(116.402, 39.702), Coordinate(116.404, 39.704), Coordinate(116.405, 39.702), Coordinate(116.402, 39.702)]
        let other = [Coordinate(116.42, 39.71), Coordinate(116.43, 39.71), Coordinate(116.43, 39.72), Coordinate(116.42, 39.71)]
        for shape in [Shape.polygon([shell]), .polygon([shell, hole]), .multiPolygon([[shell, hole], [other]])] {
            let g = try Geometry(shape: shape)
            let (area, planar) = areas.measure(g)
            #expect(area == areas.area(g) && planar?.area == area, "\(shape)")
            #expect(planar?.rings.map(\.isShell) == shape.polygons.flatMap { $0.indices.map { $0 == 0 } })
        }
        let wide = try Geometry(shape: .polygon([[Coordinate(116, 39), Coordinate(116.2, 39), Coordinate(116.2, 39.2), Coordinate(116, 39)]]))
        #expect(areas.measure(wide).planar == nil && areas.measure(wide).area == areas.area(wide))
    }

    @Test func distanceAlongAMeridian() {
        // One degree of latitude from 39°N to 40°N on WGS84:
        // pyproj Geod(ellps="WGS84").inv(116, 39, 116, 40)[2] = 111025.04554650886 m.
        #expect(abs(wgs84.distance(Coordinate(116, 39), Coordinate(116, 40)) - 111_025.04554650886) < 1e-6)
    }
}

@Suite struct LocalFrameTests {
    /// Gauss's mid-latitude distance against GeographicLib's geodesic (through PROJ), for random
    /// pairs up to 5 km apart around Beijing (pyproj
    /// Geod over random 5 km lines puts the formula's worst relative error at 2.7e-8), on both ellipsoids LandWatch meets.
    @Test(arguments: [Ellipsoid.wgs84, Ellipsoid.grs80])
    func distanceMatchesTheGeodesic(ellipsoid: Ellipsoid) {
        let geodesic = Geodesic(ellipsoid)
        var rng = TestRandom()
        for _ in 0..<2_000 {
            let a = Coordinate(Double.random(in: 115.5...117.5, using: &rng), Double.random(in: 39...41, using: &rng))
            let b = Coordinate(a.x + Double.random(in: -0.04...0.04, using: &rng), a.y + Double.random(in: -0.03...0.03, using: &rng))
            let frame = LocalFrame(ellipsoid, latitude: a.y)
            let reference = geodesic.distance(a, b)
            #expect(abs(frame.distance(a, b) - reference) <= 5e-8 * reference + 1e-9, "\(rng.replay)")
        }
    }

    /// Metres per degree against the geodesic over a small step from the latitude.
    @Test func metresPerDegreeMatchTheGeodesic() {
        let geodesic = Geodesic(.grs80)
        let frame = LocalFrame(.grs80, latitude: 39.5)
        let step = 1e-4
        let east = geodesic.distance(Coordinate(116, 39.5), Coordinate(116 + step, 39.5)) / step
        let north = geodesic.distance(Coordinate(116, 39.5 - step / 2), Coordinate(116, 39.5 + step / 2)) / step
        #expect(abs(frame.metresPerDegreeX - east) < 1e-6 * east)
        #expect(abs(frame.metresPerDegreeY - north) < 1e-6 * north)
    }
}
