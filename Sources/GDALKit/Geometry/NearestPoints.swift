import Foundation

/// Finds the nearest points between one geometry, the subject, and many others that do not
/// intersect it, in a plane around the subject: x = (lon − lon0) × `scaleX`, y = (lat − lat0) ×
/// `scaleY` (a `LocalFrame`'s metres per degree).
///
/// Two segments that do not cross are nearest at an endpoint of one of them, so the nearest
/// points are found among each vertex of one geometry against each segment of the other (a run
/// of one vertex, a point, is a segment of length zero). Vertices farther from the other
/// geometry's envelope than the best distance so far are not measured.
///
/// A value that reuses its buffers between calls: keep one per thread, in a local variable.
public struct NearestPoints {
    private var subject = PlaneGeometry()
    private var other = PlaneGeometry()
    private var origin = Coordinate(0, 0)
    private var scaleX = 1.0, scaleY = 1.0

    public init() {}

    /// Sets the subject, geometry `i` of a store, and the plane around `origin`.
    public mutating func setSubject(_ view: VertexRuns.View, _ i: Int, origin: Coordinate, scaleX: Double, scaleY: Double) {
        (self.origin, self.scaleX, self.scaleY) = (origin, scaleX, scaleY)
        subject.load(view, i, origin: origin, scaleX: scaleX, scaleY: scaleY)
    }

    /// The nearest points of the subject and geometry `j` of `view` (lon/lat, the subject's
    /// first) and their squared distance in the plane; infinity when either has no vertex.
    public mutating func nearest(to view: VertexRuns.View, _ j: Int) -> (a: Coordinate, b: Coordinate, squaredDistance: Double) {
        other.load(view, j, origin: origin, scaleX: scaleX, scaleY: scaleY)
        // The subject's vertices against the other's segments, then the other way round.
        let mine = other.nearestSegment(toVerticesOf: subject, bound: .infinity)
        if let theirs = subject.nearestSegment(toVerticesOf: other, bound: mine?.squaredDistance ?? .infinity) {
            return (lonLat(theirs.onSegment), lonLat(theirs.vertex), theirs.squaredDistance)
        }
        guard let mine else { return (origin, origin, .infinity) }
        return (lonLat(mine.vertex), lonLat(mine.onSegment), mine.squaredDistance)
    }

    private func lonLat(_ p: (x: Double, y: Double)) -> Coordinate {
        Coordinate(origin.x + p.x / scaleX, origin.y + p.y / scaleY)
    }
}

/// One geometry in the plane: its vertices (x, y pairs), its segments (start, direction and
/// 1 / squared length, 0 for a point: five numbers each) and their envelope. The buffers only
/// grow, so that loading the next geometry allocates nothing.
private struct PlaneGeometry {
    var vertices: [Double] = []
    var segments: [Double] = []
    var vertexCount = 0, segmentCount = 0
    var minX = 0.0, minY = 0.0, maxX = 0.0, maxY = 0.0

    mutating func load(_ view: VertexRuns.View, _ i: Int, origin: Coordinate, scaleX: Double, scaleY: Double) {
        view.checkOpen()
        let runs = view.runs(of: i)
        vertexCount = runs.reduce(0) { $0 + view.vertices(of: $1).count }
        segmentCount = runs.reduce(0) { $0 + max(1, view.vertices(of: $1).count - 1) }
        if vertices.count < 2 * vertexCount { vertices = Array(repeating: 0, count: 4 * vertexCount) }
        if segments.count < 5 * segmentCount { segments = Array(repeating: 0, count: 10 * segmentCount) }
        var (minX, minY, maxX, maxY) = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        vertices.withUnsafeMutableBufferPointer { xy in
            segments.withUnsafeMutableBufferPointer { segment in
                var v = 0, s = 0
                for run in runs {
                    let first = v
                    for k in view.vertices(of: run) {
                        let x = (view.xy[2 * k] - origin.x) * scaleX, y = (view.xy[2 * k + 1] - origin.y) * scaleY
                        xy[v] = x
                        xy[v + 1] = y
                        v += 2
                        (minX, maxX) = (min(minX, x), max(maxX, x))
                        (minY, maxY) = (min(minY, y), max(maxY, y))
                    }
                    let n = (v - first) / 2
                    for k in 0..<max(1, n - 1) where n > 0 {
                        let a = first + 2 * k, b = n == 1 ? a : a + 2
                        let ux = xy[b] - xy[a], uy = xy[b + 1] - xy[a + 1]
                        let length2 = ux * ux + uy * uy
                        segment[s] = xy[a]
                        segment[s + 1] = xy[a + 1]
                        segment[s + 2] = ux
                        segment[s + 3] = uy
                        segment[s + 4] = length2 > 0 ? 1 / length2 : 0
                        s += 5
                    }
                }
            }
        }
        (self.minX, self.minY, self.maxX, self.maxY) = (minX, minY, maxX, maxY)
    }

    /// Of the vertices of `points`, the one nearest a segment here, if nearer than `bound`
    /// (squared): the vertex, the nearest point on the segment, the squared distance.
    func nearestSegment(toVerticesOf points: PlaneGeometry, bound: Double)
        -> (vertex: (x: Double, y: Double), onSegment: (x: Double, y: Double), squaredDistance: Double)? {
        var best = bound
        var found: (vertex: Int, segment: Int, t: Double)?
        segments.withUnsafeBufferPointer { segment in
            points.vertices.withUnsafeBufferPointer { xy in
                for p in 0..<points.vertexCount {
                    let px = xy[2 * p], py = xy[2 * p + 1]
                    let ex = max(0, minX - px, px - maxX), ey = max(0, minY - py, py - maxY)
                    if ex * ex + ey * ey >= best { continue }
                    for s in stride(from: 0, to: 5 * segmentCount, by: 5) {
                        let wx = px - segment[s], wy = py - segment[s + 1]
                        let ux = segment[s + 2], uy = segment[s + 3]
                        let t = min(1, max(0, (wx * ux + wy * uy) * segment[s + 4]))
                        let dx = wx - t * ux, dy = wy - t * uy
                        let d2 = dx * dx + dy * dy
                        if d2 < best {
                            best = d2
                            found = (p, s, t)
                        }
                    }
                }
            }
        }
        guard let (p, s, t) = found else { return nil }
        return ((points.vertices[2 * p], points.vertices[2 * p + 1]),
                (segments[s] + t * segments[s + 2], segments[s + 1] + t * segments[s + 3]), best)
    }
}
