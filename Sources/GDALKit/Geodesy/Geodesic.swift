import CGEOS
import CPROJ

/// Geodesic computations on an ellipsoid through PROJ's GeographicLib routines
/// (`geod_polygonarea`, `geod_inverse`), the same code pyproj's `Geod` runs.
///
/// A value; safe to use from any thread. Coordinates are lon/lat in degrees.
public struct Geodesic: @unchecked Sendable {
    private var g = geod_geodesic()
    public let ellipsoid: Ellipsoid
    private let lonLat: LonLatArea
    public static let largeRingSpan = 1.0

    public init(_ ellipsoid: Ellipsoid) {
        self.ellipsoid = ellipsoid
        lonLat = LonLatArea(ellipsoid)
        geod_init(&g, ellipsoid.semiMajor, ellipsoid.flattening)
    }

    /// The area in m² enclosed by a ring of lon/lat points (closed or not), unsigned.
    public func ringArea(_ ring: [Coordinate]) -> Double {
        var points = ring
        if points.count > 1, points.first == points.last { points.removeLast() }
        guard points.count >= 3 else { return 0 }
        var lats = points.map(\.y)
        var lons = points.map(\.x)
        var area = 0.0, perimeter = 0.0
        var copy = g
        geod_polygonarea(&copy, &lats, &lons, Int32(points.count), &area, &perimeter)
        return abs(area)
    }

    /// The area in m² of a polygonal shape: each shell minus its holes.
    public func area(_ shape: Shape) -> Double {
        shape.polygons.reduce(0) { total, rings in
            guard let shell = rings.first else { return total }
            return total + ringArea(shell) - rings.dropFirst().reduce(0) { $0 + ringArea($1) }
        }
    }

    /// The area in m² of a polygonal geometry in lon/lat on this ellipsoid: each polygon's
    /// shell minus its holes, edges geodesic. Reads the rings straight from GEOS.
    public func area(_ geometry: Geometry) -> Double { area(geometry, asDrawn: false) }

    /// The area in m² of a polygonal geometry as LandWatch measures zones: a ring spanning at
    /// most `largeRingSpan` degrees with geodesic edges (as before: close to how a ring drawn in
    /// a projected CRS such as EPSG:4527 is meant), a larger one with its edges straight in
    /// lon/lat (`LonLatArea`), as a geographic CRS draws it and GEOS cuts it, where geodesic
    /// edges bow away from the parallels (and a whole-world box encloses nothing). On long
    /// diagonal edges the two readings differ (3.4e-4 on the sample towns' longest).
    public func areaAsDrawn(_ geometry: Geometry) -> Double { area(geometry, asDrawn: true) }

    private func area(_ geometry: Geometry, asDrawn: Bool) -> Double {
        let h = GEOSContext.current.handle
        return geometry.shellsMinusHoles { ringArea(h, $0, asDrawn: asDrawn) }
    }

    private func ringArea(_ h: GEOSContextHandle_t, _ ring: OpaquePointer, asDrawn: Bool) -> Double {
        guard let seq = GEOSGeom_getCoordSeq_r(h, ring) else { return 0 }
        var size: UInt32 = 0
        GEOSCoordSeq_getSize_r(h, seq, &size)
        guard size >= 4 else { return 0 }
        var lons = [Double](repeating: 0, count: Int(size))
        var lats = [Double](repeating: 0, count: Int(size))
        GEOSCoordSeq_copyToArrays_r(h, seq, &lons, &lats, nil, nil)
        if asDrawn, max(lons.max()! - lons.min()!, lats.max()! - lats.min()!) > Geodesic.largeRingSpan {
            return lonLat.ringArea(zip(lons.dropLast(), lats.dropLast()).map { Coordinate($0, $1) })
        }
        var area = 0.0, perimeter = 0.0
        var copy = g
        // The closing point repeats the first: leave it out.
        geod_polygonarea(&copy, &lats, &lons, Int32(size) - 1, &area, &perimeter)
        return abs(area)
    }

    /// The geodesic distance in metres between two lon/lat points.
    public func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        var copy = g
        geod_inverse(&copy, a.y, a.x, b.y, b.x, &s12, &azi1, &azi2)
        return s12
    }
}

/// Area units the bureaus report in.
public enum AreaUnit {
    /// Square metres in one 亩 (mu): 10000/15.
    public static let squareMetresPerMu = 10_000.0 / 15.0
    public static let squareMetresPerHectare = 10_000.0
}
