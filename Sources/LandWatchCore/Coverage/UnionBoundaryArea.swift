import GDALKit

/// The area of the union of overlapping polygons, measured on the union's boundary without
/// building the union.
///
/// The polygons are taken into the `LocalEqualArea` plane, where `EllipsoidalArea` measures a
/// single feature (vertices projected, edges straight between them), so that the union of the
/// pieces is measured exactly as each piece is. By Green's theorem a region's area is half the
/// sum, over its boundary walked with the interior on the left, of `x dy - y dx`. The union's
/// boundary is made of the parts of the polygons' own edges that lie inside no other polygon:
/// every edge is cut where other polygons' edges meet it, and each part is kept when its
/// midpoint lies outside every other polygon (exact crossing number). A part that runs along
/// another polygon's edge on one line (`alongside`: cross products exactly zero, as for shared
/// vertices) is kept once when the two edges run the same way, by the polygon that comes first,
/// and not at all when they run opposite ways (the polygons lie on either side, so the part is
/// inside the union).
///
/// Built for the pieces of one zone: valid polygons (as GEOS makes them), a few kilometres
/// across. Pure computation on values; safe from any thread.
enum UnionBoundaryArea {
    /// Distance in metres under which an edge's end counts as touching another edge, where the
    /// edge is cut. A cut too many does no harm: it only splits an edge into parts that are
    /// classified one by one, exactly (crossing number), as GEOS would place them.
    static let tolerance = 1e-7

    /// Polygons in the equal-area plane as flat coordinate arrays, relative to the first vertex
    /// (so that large projected values do not cancel): rings one after the other, each closed,
    /// shells counter-clockwise and holes clockwise, so that the interior is left of every edge.
    struct Polygons {
        var x: [Double] = [], y: [Double] = []
        /// Each ring's vertex range.
        var rings: [Range<Int>] = []
        /// Each polygon's range of rings.
        var polygons: [Range<Int>] = []
        var envelopes: [Envelope] = []
        private var origin: (x: Double, y: Double)?

        /// Adds the polygons of a geometry, from its rings in the equal-area plane.
        mutating func append(_ planar: PlanarRings) {
            var polygon = -1, first = rings.count
            var envelope = Envelope.empty
            func close() {
                guard rings.count > first else { return }
                polygons.append(first..<rings.count)
                envelopes.append(envelope)
            }
            for ring in planar.rings {
                if ring.polygon != polygon {
                    close()
                    (polygon, first, envelope) = (ring.polygon, rings.count, .empty)
                }
                let start = x.count
                for i in ring.vertices {
                    if origin == nil { origin = (planar.x[i], planar.y[i]) }
                    x.append(planar.x[i] - origin!.x)
                    y.append(planar.y[i] - origin!.y)
                    envelope.add(Coordinate(x[x.count - 1], y[y.count - 1]))
                }
                // Shells counter-clockwise, holes clockwise.
                if (Self.signedArea(x[start...], y[start...]) > 0) != ring.isShell {
                    x[start...].reverse()
                    y[start...].reverse()
                }
                rings.append(start..<x.count)
            }
            close()
        }

        private static func signedArea(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
            var s = 0.0
            for i in x.startIndex..<(x.endIndex - 1) { s += x[i] * y[i + 1] - x[i + 1] * y[i] }
            return s
        }
    }

    /// The area in m² of the union of `polygons`.
    static func area(_ polygons: Polygons) -> Double {
        polygons.x.withUnsafeBufferPointer { x in
            polygons.y.withUnsafeBufferPointer { y in
                polygons.rings.withUnsafeBufferPointer { rings in
                    Walk(x: x, y: y, rings: rings, polygons: polygons.polygons, envelopes: polygons.envelopes).area()
                }
            }
        }
    }

    /// The measurement over borrowed buffers; lives only inside `area(_:)`.
    private struct Walk {
        let x, y: UnsafeBufferPointer<Double>
        let rings: UnsafeBufferPointer<Range<Int>>
        let polygons: [Range<Int>]
        let envelopes: [Envelope]

        func area() -> Double {
            let tree = STRTree(envelopes)
            let extent = envelopes.map { $0.width * $0.height }
            let eps = UnionBoundaryArea.tolerance
            var sum = 0.0
            var cuts: [Double] = [], others: [Int] = [], near: [Int] = [], cutting: [Int] = []
            for a in polygons.indices {
                // Larger polygons first: the first that holds an edge whole settles it.
                others = tree.query(envelopes[a].expanded(by: eps))
                others.removeAll { $0 == a }
                others.sort { extent[$0] > extent[$1] || (extent[$0] == extent[$1] && $0 < $1) }
                for r in polygons[a] {
                    for i in rings[r].lowerBound..<(rings[r].upperBound - 1) {
                        let (x0, y0, x1, y1) = (x[i], y[i], x[i + 1], y[i + 1])
                        guard x0 != x1 || y0 != y1 else { continue }
                        let edge = Envelope(minX: min(x0, x1) - eps, minY: min(y0, y1) - eps,
                                            maxX: max(x0, x1) + eps, maxY: max(y0, y1) + eps)
                        near.removeAll(keepingCapacity: true)
                        for b in others where envelopes[b].intersects(edge) { near.append(b) }
                        // Cuts from every polygon near; one that cuts nothing covers all of the
                        // edge or none of it, which the edge's midpoint tells.
                        cuts.removeAll(keepingCapacity: true)
                        cuts.append(0)
                        cuts.append(1)
                        cutting.removeAll(keepingCapacity: true)
                        var whole = false
                        for b in near {
                            if let holds = cut(x0, y0, x1, y1, by: b, earlier: b < a, within: edge, into: &cuts) {
                                if holds {
                                    whole = true
                                    break
                                }
                            } else {
                                cutting.append(b)
                            }
                        }
                        if whole { continue }
                        if cutting.isEmpty {
                            sum += x0 * y1 - x1 * y0
                            continue
                        }
                        // The parts outside every polygon, each run of them as one piece of edge.
                        cuts.sort()
                        var run: Double?
                        func add(_ t0: Double, _ t1: Double) {
                            let (ax, ay) = (x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0)
                            let (bx, by) = t1 == 1 ? (x1, y1) : (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1)
                            sum += ax * by - bx * ay
                        }
                        for k in 1..<cuts.count where cuts[k] > cuts[k - 1] {
                            let (t0, t1) = (cuts[k - 1], cuts[k])
                            let m = (t0 + t1) / 2
                            let (mx, my) = (x0 + (x1 - x0) * m, y0 + (y1 - y0) * m)
                            // The polygon that covered the last part first: it likely covers this one.
                            var covered = false
                            for k in cutting.indices where covers(cutting[k], mx, my, edge: x0, y0, x1, y1, earlier: cutting[k] < a) {
                                covered = true
                                cutting.swapAt(0, k)
                                break
                            }
                            if covered, let start = run {
                                add(start, t0)
                                run = nil
                            } else if !covered && run == nil {
                                run = t0
                            }
                        }
                        if let start = run { add(start, 1) }
                    }
                }
            }
            return sum / 2
        }

        /// Appends to `cuts` the positions (0 < t < 1) along the edge (x0, y0)→(x1, y1) where an
        /// edge of polygon `b` crosses it, touches it, or begins or ends running along it, and
        /// returns nil; when there are none, `b` covers all of the edge or none of it, and returns
        /// which (see `covers`, here decided on the edge's midpoint in the same pass). Cuts only
        /// split the edge into parts classified one by one, so one too many does no harm.
        private func cut(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, by b: Int, earlier: Bool,
                         within edge: Envelope, into cuts: inout [Double]) -> Bool? {
            let eps = UnionBoundaryArea.tolerance
            let (dx, dy) = (x1 - x0, y1 - y0)
            let length2 = dx * dx + dy * dy
            let length = length2.squareRoot()
            let (mx, my) = ((x0 + x1) / 2, (y0 + y1) / 2)
            let before = cuts.count
            var inside = false
            var along: Bool?
            for r in polygons[b] {
                for j in rings[r].lowerBound..<(rings[r].upperBound - 1) {
                    let (rx, ry, sx, sy) = (x[j], y[j], x[j + 1], y[j + 1])
                    if (ry > my) != (sy > my), mx < rx + (my - ry) * (sx - rx) / (sy - ry) { inside.toggle() }
                    guard max(rx, sx) >= edge.minX, min(rx, sx) <= edge.maxX, max(ry, sy) >= edge.minY,
                          min(ry, sy) <= edge.maxY, rx != sx || ry != sy else { continue }
                    // Cross products: the other edge's ends against this edge's line, and the
                    // reverse, each a distance times that line's length.
                    let (fx, fy) = (sx - rx, sy - ry)
                    let flength = (fx * fx + fy * fy).squareRoot()
                    let cr = dx * (ry - y0) - dy * (rx - x0), cs = dx * (sy - y0) - dy * (sx - x0)
                    let c0 = fx * (y0 - ry) - fy * (x0 - rx), c1 = fx * (y1 - ry) - fy * (x1 - rx)
                    if along == nil, cr == 0, cs == 0, alongside(x0, y0, x1, y1, rx, ry, sx, sy) {
                        let u = ((mx - rx) * fx + (my - ry) * fy) / (fx * fx + fy * fy)
                        if u > 0 && u < 1 { along = dx * fx + dy * fy < 0 || earlier }
                    }
                    // Touching, or running along: cut where the other edge's ends fall.
                    let near = abs(c0) <= eps * flength && abs(c1) <= eps * flength
                    let tr = ((rx - x0) * dx + (ry - y0) * dy) / length2
                    let ts = ((sx - x0) * dx + (sy - y0) * dy) / length2
                    if tr > 0 && tr < 1 && (abs(cr) <= eps * length || near) { cuts.append(tr) }
                    if ts > 0 && ts < 1 && (abs(cs) <= eps * length || near) { cuts.append(ts) }
                    // Crossing, however slightly: cut there.
                    if (cr > 0) != (cs > 0), (c0 > 0) != (c1 > 0), c0 != c1 {
                        let t = c0 / (c0 - c1)
                        if t > 0 && t < 1 { cuts.append(t) }
                    }
                }
            }
            return cuts.count > before ? nil : along ?? inside
        }

        /// Signed distance of (px, py) from the line through (ax, ay)→(bx, by), positive on its left.
        @inline(__always) private func offset(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double,
                                              _ bx: Double, _ by: Double) -> Double {
            let (fx, fy) = (bx - ax, by - ay)
            return (fx * (py - ay) - fy * (px - ax)) / (fx * fx + fy * fy).squareRoot()
        }

        /// Whether two edges lie on one line: the four cross products exactly zero, as for an edge
        /// shared by two polygons (the same vertices) and for edges drawn on one grid line. The same
        /// products whichever edge asks, so that two edges never disagree about it.
        @inline(__always) private func alongside(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double,
                                                 _ rx: Double, _ ry: Double, _ sx: Double, _ sy: Double) -> Bool {
            func cross(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
                (bx - ax) * (py - ay) - (by - ay) * (px - ax)
            }
            return cross(rx, ry, x0, y0, x1, y1) == 0 && cross(sx, sy, x0, y0, x1, y1) == 0
                && cross(x0, y0, rx, ry, sx, sy) == 0 && cross(x1, y1, rx, ry, sx, sy) == 0
        }

        /// Whether the part of the edge (x0, y0)→(x1, y1) whose midpoint is (mx, my) is covered
        /// by polygon `b`: along one of its edges running the opposite way, or the same way when
        /// `b` comes first; otherwise inside it (crossing number).
        private func covers(_ b: Int, _ mx: Double, _ my: Double, edge x0: Double, _ y0: Double, _ x1: Double, _ y1: Double,
                            earlier: Bool) -> Bool {
            let eps = UnionBoundaryArea.tolerance
            let e = envelopes[b]
            guard mx >= e.minX - eps, mx <= e.maxX + eps, my >= e.minY - eps, my <= e.maxY + eps else { return false }
            var inside = false
            for r in polygons[b] {
                for j in rings[r].lowerBound..<(rings[r].upperBound - 1) {
                    let (rx, ry, sx, sy) = (x[j], y[j], x[j + 1], y[j + 1])
                    if (ry > my) != (sy > my), mx < rx + (my - ry) * (sx - rx) / (sy - ry) { inside.toggle() }
                    guard mx >= min(rx, sx) - eps, mx <= max(rx, sx) + eps, my >= min(ry, sy) - eps, my <= max(ry, sy) + eps
                    else { continue }
                    let (fx, fy) = (sx - rx, sy - ry)
                    let u = ((mx - rx) * fx + (my - ry) * fy) / (fx * fx + fy * fy)
                    if u > 0, u < 1, abs(offset(mx, my, rx, ry, sx, sy)) <= eps, alongside(x0, y0, x1, y1, rx, ry, sx, sy) {
                        let sameWay = (x1 - x0) * fx + (y1 - y0) * fy > 0
                        return !sameWay || earlier
                    }
                }
            }
            return inside
        }
    }
}
