import Foundation

/// The area on the ellipsoid of a ring whose edges are straight in lon/lat: as a polygon drawn
/// in a geographic CRS is meant, and as GEOS cuts it. Exact at any size (a whole-world box is
/// the ellipsoid's surface), by Green's theorem on the authalic strip: the area between the
/// equator and latitude φ per radian of longitude is S(φ) = a²·q(φ)/2 (Snyder 1987, eq. 3-12),
/// and each edge contributes ∫ S(φ) dλ along it, integrated with 5-point Gauss–Legendre on
/// pieces at most 0.5° of latitude long.
///
/// A value; safe to use from any thread.
public struct LonLatArea: Sendable {
    private let a2: Double, e: Double, e2: Double

    public init(_ ellipsoid: Ellipsoid) {
        a2 = ellipsoid.semiMajor * ellipsoid.semiMajor
        e2 = ellipsoid.flattening * (2 - ellipsoid.flattening)
        e = e2.squareRoot()
    }

    /// S(φ) in m² per radian of longitude, φ in degrees.
    func strip(_ latitude: Double) -> Double {
        let s = sin(latitude * .pi / 180)
        let q = (1 - e2) * (s / (1 - e2 * s * s) + atanh(e * s) / e)
        return a2 * q / 2
    }

    /// The unsigned area in m² of a ring of lon/lat points (closed or not). Longitudes are
    /// taken as given, not wrapped: an edge from -180 to 180 goes all the way round.
    public func ringArea(_ ring: [Coordinate]) -> Double {
        guard ring.count >= 3 else { return 0 }
        let nodes = [-0.906179845938664, -0.538469310105683, 0, 0.538469310105683, 0.906179845938664]
        let weights = [0.236926885056189, 0.478628670499366, 0.568888888888889, 0.478628670499366, 0.236926885056189]
        var sum = 0.0
        for i in 0..<ring.count {
            let p = ring[i], q = ring[(i + 1) % ring.count]
            let dLon = (q.x - p.x) * .pi / 180
            guard dLon != 0 else { continue }
            // The mean of S along the edge, latitude linear in the edge's parameter.
            let pieces = max(1, Int((abs(q.y - p.y) / 0.5).rounded(.up)))
            var mean = 0.0
            for k in 0..<pieces {
                let lo = p.y + (q.y - p.y) * Double(k) / Double(pieces)
                let hi = p.y + (q.y - p.y) * Double(k + 1) / Double(pieces)
                for (x, w) in zip(nodes, weights) { mean += w / 2 * strip((lo + hi) / 2 + x * (hi - lo) / 2) }
            }
            sum += dLon * mean / Double(pieces)
        }
        return abs(sum)
    }
}
