import CGDAL
import Foundation

/// Transforms coordinates between two CRSs, lon/lat order on both sides, with GCJ-02 handled:
/// a GCJ-02 source is first converted to WGS84, a GCJ-02 target is reached from WGS84.
///
/// Owns a GDAL transformation handle; not thread-safe: make one per thread.
public final class CoordinateTransform {
    public let source: CRS
    public let target: CRS
    private let handle: OGRCoordinateTransformationH?

    public init(from source: CRS, to target: CRS) throws {
        self.source = source
        self.target = target
        handle = try KnownPairs.shared.handle(from: source.isGCJ02 ? try CRS.wgs84 : source,
                                                      to: target.isGCJ02 ? try CRS.wgs84 : target)
    }

    /// Works out on another thread whether the pair needs a transformation, for the transforms
    /// made later (such as those of the readers of a large layer's parts) to find it known.
    public static func prepare(from source: CRS, to target: CRS) {
        DispatchQueue.global().async { _ = try? CoordinateTransform(from: source, to: target) }
    }

    /// A new GDAL handle from `source` to `target` (neither GCJ-02), nil when nothing changes.
    fileprivate static func makeHandle(from source: CRS, to target: CRS) throws -> OGRCoordinateTransformationH? {
        if source.isSame(as: target) { return nil }
        let s = try source.spatialReference()
        let t = try target.spatialReference()
        let h = try GDALCall.value("cannot transform from \(source) to \(target)", releasing: { OCTDestroyCoordinateTransformation($0) }) {
            OCTNewCoordinateTransformation(s.handle, t.handle)
        }
        if source.isGeographic && target.isGeographic && CoordinateTransform.leavesUnchanged(h) {
            // Lon/lat to lon/lat with no datum shift (WGS84 and CGCS2000, for one): nothing to do.
            OCTDestroyCoordinateTransformation(h)
            return nil
        }
        return h
    }

    /// Whether a transformation returns lon/lat points exactly as given (probed over China and
    /// beyond): PROJ's "ballpark" transformation between datums it has no shift for.
    private static func leavesUnchanged(_ h: OGRCoordinateTransformationH) -> Bool {
        var xs: [Double] = [73.5, 100.25, 116.4, 135.0, -75.0, 10.0]
        var ys: [Double] = [18.2, 35.5, 39.65, 53.5, 40.0, -33.0]
        let expectedX = xs, expectedY = ys
        var ok = [Int32](repeating: 0, count: xs.count)
        CPLErrorReset()
        defer { CPLErrorReset() }
        guard OCTTransformEx(h, Int32(xs.count), &xs, &ys, nil, &ok) != 0, !ok.contains(0) else { return false }
        return xs == expectedX && ys == expectedY
    }

    deinit { if let handle { OCTDestroyCoordinateTransformation(handle) } }

    /// True when nothing needs to change.
    public var isIdentity: Bool { handle == nil && source.isGCJ02 == target.isGCJ02 }

    /// Transforms points in place. Throws when a point cannot be transformed.
    public func transform(_ points: inout [Coordinate]) throws {
        if source.isGCJ02 && !target.isGCJ02 {
            for i in points.indices { points[i] = GCJ02.toWGS84(points[i]) }
        }
        if let handle, !points.isEmpty {
            var xs = points.map(\.x)
            var ys = points.map(\.y)
            var ok = [Int32](repeating: 0, count: points.count)
            CPLErrorReset()
            let all = OCTTransformEx(handle, Int32(points.count), &xs, &ys, nil, &ok)
            guard all != 0, !ok.contains(0) else {
                let bad = ok.firstIndex(of: 0) ?? 0
                throw GDALError(context: "cannot transform (\(points[bad].x), \(points[bad].y)) from \(source) to \(target)",
                                message: String(cString: CPLGetLastErrorMsg()))
            }
            for i in points.indices { points[i] = Coordinate(xs[i], ys[i]) }
        }
        if target.isGCJ02 && !source.isGCJ02 {
            for i in points.indices { points[i] = GCJ02.fromWGS84(points[i]) }
        }
    }

    /// Transforms an OGR geometry in place when no GCJ-02 step is involved; false otherwise.
    func transformInPlace(_ geometry: OGRGeometryH) throws -> Bool {
        guard !source.isGCJ02, !target.isGCJ02 else { return false }
        guard let handle else { return true }
        try GDALCall.ogr("cannot transform a geometry from \(source) to \(target)") { OGR_G_Transform(geometry, handle) }
        return true
    }

    /// The envelope of an envelope's transformed outline (21 points per edge).
    public func transform(_ envelope: Envelope) throws -> Envelope {
        guard !envelope.isEmpty else { return envelope }
        var points: [Coordinate] = []
        for i in 0...20 {
            let t = Double(i) / 20
            let x = envelope.minX + t * envelope.width, y = envelope.minY + t * envelope.height
            points += [Coordinate(x, envelope.minY), Coordinate(x, envelope.maxY),
                       Coordinate(envelope.minX, y), Coordinate(envelope.maxX, y)]
        }
        try transform(&points)
        return points.reduce(Envelope.empty) { var e = $0; e.add($1); return e }
    }

    /// Transforms one point.
    public func transform(_ point: Coordinate) throws -> Coordinate {
        var points = [point]
        try transform(&points)
        return points[0]
    }

    /// Transforms every coordinate of a geometry (vertices only).
    public func transform(_ geometry: Geometry) throws -> Geometry {
        if isIdentity { return geometry }
        return try Geometry(shape: geometry.shape.mapRings { var points = $0; try transform(&points); return points })
    }

    /// Transforms a shape read from a layer: lines and rings follow their edges where
    /// `followsEdges` (see `transformFollowingEdges`), points are transformed as they are.
    public func transformFollowingEdges(_ shape: Shape) throws -> Shape {
        switch shape {
        case .point, .multiPoint:
            return try shape.mapRings { var points = $0; try transform(&points); return points }
        case .collection(let parts):
            return .collection(try parts.map(transformFollowingEdges))
        default:
            return try shape.mapRings { try transformFollowingEdges($0) }
        }
    }

    /// Whether a straight edge in the source is a curve in the target worth following: a
    /// projected source (metres) going to lon/lat.
    public var followsEdges: Bool {
        handle != nil && !source.isGeographic && !source.isGCJ02 && target.isGeographic && !target.isGCJ02
    }

    /// A line or ring transformed with points added on its edges where `followsEdges`, so that
    /// the straight line between consecutive transformed points strays from the source's straight
    /// edge by at most `tolerance` metres (checked at each part's midpoint, halving until it
    /// holds). An edge straight in EPSG:4527 strays about 1.8e-8·L² m in lon/lat around Beijing:
    /// 1 mm at 235 m, 4 cm at 1.5 km; edges under 20 source units stray under 1 mm in any
    /// projection LandWatch meets and are not checked.
    public func transformFollowingEdges(_ points: [Coordinate], tolerance: Double = 0.0001) throws -> [Coordinate] {
        var out = points
        try transform(&out)
        guard followsEdges, points.count > 1 else { return out }
        struct Part { let edge: Int; let t0, t1: Double; let a, b: Coordinate }
        var pending: [Part] = (0..<(points.count - 1)).compactMap { i in
            let (p, q) = (points[i], points[i + 1])
            return ((q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y)).squareRoot() > 20
                ? Part(edge: i, t0: 0, t1: 1, a: out[i], b: out[i + 1]) : nil
        }
        var added: [Int: [(t: Double, point: Coordinate)]] = [:]
        for _ in 0..<24 where !pending.isEmpty {
            var middles = pending.map { part in
                let (p, q, t) = (points[part.edge], points[part.edge + 1], (part.t0 + part.t1) / 2)
                return Coordinate(p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t)
            }
            try transform(&middles)
            var next: [Part] = []
            for (part, m) in zip(pending, middles) {
                let (cx, cy) = ((part.a.x + part.b.x) / 2, (part.a.y + part.b.y) / 2)
                let frame = LocalFrame(target.ellipsoid, latitude: m.y)
                let east = (m.x - cx) * frame.metresPerDegreeX, north = (m.y - cy) * frame.metresPerDegreeY
                guard (east * east + north * north).squareRoot() > tolerance else { continue }
                let t = (part.t0 + part.t1) / 2
                added[part.edge, default: []].append((t, m))
                next.append(Part(edge: part.edge, t0: part.t0, t1: t, a: part.a, b: m))
                next.append(Part(edge: part.edge, t0: t, t1: part.t1, a: m, b: part.b))
            }
            pending = next
        }
        guard !added.isEmpty else { return out }
        var result: [Coordinate] = []
        for i in out.indices {
            result.append(out[i])
            result += (added[i] ?? []).sorted { $0.t < $1.t }.map(\.point)
        }
        return result
    }
}

/// The GCJ-02 ("Mars coordinates") offset used by Chinese web maps and survey apps, and its
/// inverse. Points outside China are left as they are, as the published algorithm does.
public enum GCJ02 {
    private static let a = 6_378_245.0
    private static let ee = 0.006_693_421_622_965_943_23

    /// WGS84 lon/lat to GCJ-02.
    public static func fromWGS84(_ p: Coordinate) -> Coordinate {
        if outOfChina(p) { return p }
        let d = offset(p)
        return Coordinate(p.x + d.x, p.y + d.y)
    }

    /// GCJ-02 lon/lat to WGS84, by fixed-point iteration of the forward offset to 1e-10°.
    public static func toWGS84(_ g: Coordinate) -> Coordinate {
        if outOfChina(g) { return g }
        var w = Coordinate(g.x - offset(g).x, g.y - offset(g).y)
        for _ in 0..<20 {
            let f = fromWGS84(w)
            let dx = g.x - f.x, dy = g.y - f.y
            w = Coordinate(w.x + dx, w.y + dy)
            if abs(dx) < 1e-10 && abs(dy) < 1e-10 { break }
        }
        return w
    }

    static func outOfChina(_ p: Coordinate) -> Bool {
        p.x < 72.004 || p.x > 137.8347 || p.y < 0.8293 || p.y > 55.8271
    }

    private static func offset(_ p: Coordinate) -> Coordinate {
        let x = p.x - 105, y = p.y - 35
        var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
        dLat += (20 * sin(y * .pi) + 40 * sin(y / 3 * .pi)) * 2 / 3
        dLat += (160 * sin(y / 12 * .pi) + 320 * sin(y * .pi / 30)) * 2 / 3
        var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLon += (20 * sin(6 * x * .pi) + 20 * sin(2 * x * .pi)) * 2 / 3
        dLon += (20 * sin(x * .pi) + 40 * sin(x / 3 * .pi)) * 2 / 3
        dLon += (150 * sin(x / 12 * .pi) + 300 * sin(x / 30 * .pi)) * 2 / 3
        let radLat = p.y / 180 * .pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180) / ((a * (1 - ee)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180) / (a / sqrtMagic * cos(radLat) * .pi)
        return Coordinate(dLon, dLat)
    }
}

/// The pairs of CRSs found so far to need no transformation (WGS84 and CGCS2000 lon/lat, for
/// one), so that the readers of each part of a layer do not each ask PROJ again: PROJ searches
/// its database for a transformation between datums, some 40 ms from WGS84 to CGCS2000.
/// Thread-safe: a reader asking while another works the same pair out waits for its answer.
private final class KnownPairs: @unchecked Sendable {
    static let shared = KnownPairs()
    /// Pairs beyond this many are worked out afresh each time, so that a long-running server stays small.
    private static let capacity = 256

    private struct Pair: Hashable { let source: CRS, target: CRS }
    private enum State { case working, unchanged, changed }
    private let condition = NSCondition()
    private var states: [Pair: State] = [:]

    /// A new handle the caller owns from `source` to `target`, nil when nothing changes.
    func handle(from source: CRS, to target: CRS) throws -> OGRCoordinateTransformationH? {
        let pair = Pair(source: source, target: target)
        condition.lock()
        while states[pair] == .working { condition.wait() }
        let state = states[pair]
        let claimed = state == nil && states.count < Self.capacity
        if claimed { states[pair] = .working }
        condition.unlock()
        if state == .unchanged { return nil }
        do {
            let made = try CoordinateTransform.makeHandle(from: source, to: target)
            if claimed { settle(pair, made == nil ? .unchanged : .changed) }
            return made
        } catch {
            if claimed { settle(pair, nil) }
            throw error
        }
    }

    private func settle(_ pair: Pair, _ state: State?) {
        condition.lock()
        states[pair] = state
        condition.broadcast()
        condition.unlock()
    }
}
