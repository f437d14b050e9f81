import CGEOS

/// A quick answer to `Geometry.isValid` for the commonest feature of all, a polygon without
/// holes whose one ring has a few dozen vertices: valid when no two of its edges meet except
/// neighbours at their shared vertex, and no neighbours fold back along one line. Every
/// orientation is decided in floating point only when the sign is certain (Shewchuk's error
/// bound for `orient2d`), so a yes here is the yes GEOS's exact predicates would give; anything
/// it cannot settle (holes, several parts, long rings, repeated or collinear vertices, signs
/// within rounding, a ring that does cross itself) is left to GEOS. Pure; any thread.
enum SimpleRingCheck {
    /// Rings with more vertices than this go to GEOS, whose indexed check is then the quicker.
    static let maxVertices = 64

    /// True when `polygon` (a GEOS geometry in the calling thread's context `h`) is certainly a
    /// valid polygon; false when this check cannot tell.
    static func isCertainlyValid(_ h: OpaquePointer, _ polygon: OpaquePointer) -> Bool {
        guard GEOSGeomTypeId_r(h, polygon) == 3, GEOSGetNumInteriorRings_r(h, polygon) == 0,
              let shell = GEOSGetExteriorRing_r(h, polygon), let seq = GEOSGeom_getCoordSeq_r(h, shell) else { return false }
        var size: UInt32 = 0
        guard GEOSCoordSeq_getSize_r(h, seq, &size) != 0, size >= 4, size <= UInt32(maxVertices) else { return false }
        let n = Int(size)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { xy in
            guard GEOSCoordSeq_copyToBuffer_r(h, seq, xy.baseAddress!, 0, 0) != 0 else { return false }
            return isSimple(xy, count: n)
        }
    }

    /// Whether the closed ring of `count` points in `xy` (x, y pairs) is certainly simple.
    private static func isSimple(_ xy: UnsafeMutableBufferPointer<Double>, count n: Int) -> Bool {
        guard xy.allSatisfy(\.isFinite), xy[0] == xy[2 * n - 2], xy[1] == xy[2 * n - 1] else { return false }
        let edges = n - 1
        for i in 0..<edges {
            let (px, py, qx, qy) = (xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3])
            // Neighbours turn, certainly, at their shared vertex (the last edge's neighbour is the first).
            let (rx, ry) = i + 2 <= edges ? (xy[2 * i + 4], xy[2 * i + 5]) : (xy[2], xy[3])
            guard orientation(px, py, qx, qy, rx, ry) != 0 else { return false }
            let (minX, maxX, minY, maxY) = (min(px, qx), max(px, qx), min(py, qy), max(py, qy))
            for j in stride(from: i + 2, to: edges, by: 1) where !(i == 0 && j == edges - 1) {
                let (sx, sy, tx, ty) = (xy[2 * j], xy[2 * j + 1], xy[2 * j + 2], xy[2 * j + 3])
                if max(sx, tx) < minX || min(sx, tx) > maxX || max(sy, ty) < minY || min(sy, ty) > maxY { continue }
                let o1 = orientation(px, py, qx, qy, sx, sy), o2 = orientation(px, py, qx, qy, tx, ty)
                let o3 = orientation(sx, sy, tx, ty, px, py), o4 = orientation(sx, sy, tx, ty, qx, qy)
                guard o1 != 0, o2 != 0, o3 != 0, o4 != 0, o1 == o2 || o3 == o4 else { return false }
            }
        }
        return true
    }

    /// The sign of the turn p → q → r (1 left, -1 right), or 0 when it is zero or too close to
    /// zero for floating point to be sure (Shewchuk's `ccwerrboundA`).
    @inline(__always)
    private static func orientation(_ px: Double, _ py: Double, _ qx: Double, _ qy: Double, _ rx: Double, _ ry: Double) -> Int {
        let left = (qx - px) * (ry - py), right = (qy - py) * (rx - px)
        let det = left - right
        let bound = 3.3306690738754716e-16 * (abs(left) + abs(right))
        return det > bound ? 1 : det < -bound ? -1 : 0
    }
}
