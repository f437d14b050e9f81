import CGEOS
import Foundation

/// The vertices of many geometries in flat arrays, for tight loops that touch neither GEOS nor
/// reference counts: x, y pairs in runs (a ring, a line or a point), runs grouped by geometry.
///
/// A value; safe to read from any thread.
public struct VertexRuns: Sendable, Equatable {
    /// x, y of every vertex, run after run.
    private(set) var xy: [Double] = []
    /// Where each run ends, in vertices.
    private(set) var runEnds: [Int] = []
    /// Where each geometry's runs end, in runs.
    private(set) var geometryEnds: [Int] = []

    public init() {}

    public init(_ geometries: some Sequence<Geometry>) {
        for g in geometries { append(g) }
    }

    /// Appends a geometry's vertices: polygon rings (closed, as GEOS keeps them), lines and points.
    public mutating func append(_ geometry: Geometry) {
        let h = GEOSContext.current.handle
        func sequence(_ g: OpaquePointer) {
            guard let seq = GEOSGeom_getCoordSeq_r(h, g) else { return }
            var size: UInt32 = 0
            GEOSCoordSeq_getSize_r(h, seq, &size)
            guard size > 0 else { return }
            let start = xy.count
            xy.append(contentsOf: repeatElement(0, count: 2 * Int(size)))
            _ = xy.withUnsafeMutableBufferPointer { GEOSCoordSeq_copyToBuffer_r(h, seq, $0.baseAddress! + start, 0, 0) }
            runEnds.append(xy.count / 2)
        }
        func visit(_ g: OpaquePointer) {
            switch GEOSGeomTypeId_r(h, g) {
            case 0, 1, 2: sequence(g)
            case 3:
                if let shell = GEOSGetExteriorRing_r(h, g) { sequence(shell) }
                for i in 0..<max(0, GEOSGetNumInteriorRings_r(h, g)) {
                    if let hole = GEOSGetInteriorRingN_r(h, g, i) { sequence(hole) }
                }
            default:
                for i in 0..<max(0, GEOSGetNumGeometries_r(h, g)) {
                    if let part = GEOSGetGeometryN_r(h, g, i) { visit(part) }
                }
            }
        }
        visit(geometry.pointer)
        geometryEnds.append(runEnds.count)
    }

    /// Every geometry of the stores, in order, in one store (its arrays made once, at their
    /// size, and the stores read in place: 200,000 of them join in a few milliseconds).
    public init(concatenating stores: [VertexRuns]) {
        var sizes = (xy: 0, runs: 0, geometries: 0)
        for i in stores.indices {
            sizes.xy += stores[i].xy.count
            sizes.runs += stores[i].runEnds.count
            sizes.geometries += stores[i].geometryEnds.count
        }
        var xy = [Double](repeating: 0, count: sizes.xy)
        var runEnds = [Int](repeating: 0, count: sizes.runs)
        var geometryEnds = [Int](repeating: 0, count: sizes.geometries)
        xy.withUnsafeMutableBufferPointer { xyOut in
            runEnds.withUnsafeMutableBufferPointer { runsOut in
                geometryEnds.withUnsafeMutableBufferPointer { geometriesOut in
                    var at = (xy: 0, runs: 0, geometries: 0)
                    for i in stores.indices {
                        stores[i].xy.withUnsafeBufferPointer { source in
                            for k in source.indices { xyOut[at.xy + k] = source[k] }
                        }
                        stores[i].geometryEnds.withUnsafeBufferPointer { source in
                            for k in source.indices { geometriesOut[at.geometries + k] = source[k] + at.runs }
                        }
                        stores[i].runEnds.withUnsafeBufferPointer { source in
                            for k in source.indices { runsOut[at.runs + k] = source[k] + at.xy / 2 }
                        }
                        at.xy += stores[i].xy.count
                        at.runs += stores[i].runEnds.count
                        at.geometries += stores[i].geometryEnds.count
                    }
                }
            }
        }
        (self.xy, self.runEnds, self.geometryEnds) = (xy, runEnds, geometryEnds)
    }

    /// The store's geometries in `order` (indexes into it, each at most once), in a new store.
    /// Gathering many small stores in the order they were made, where they lie one after another
    /// in memory, and then reordering the one store, reads memory far less at random than
    /// gathering them in another order.
    public func reordered(_ order: [Int]) -> VertexRuns {
        withView { view in
            // Sizes first, then each geometry's vertices copied in one piece into arrays made
            // at their size: its runs lie one after another.
            var sizes = (vertices: 0, runs: 0)
            for g in order {
                let runs = view.runs(of: g)
                sizes.runs += runs.count
                if let first = runs.first, let last = runs.last {
                    sizes.vertices += view.vertices(of: last).upperBound - view.vertices(of: first).lowerBound
                }
            }
            var xy = [Double](repeating: 0, count: 2 * sizes.vertices)
            var runEnds = [Int](repeating: 0, count: sizes.runs)
            var geometryEnds = [Int](repeating: 0, count: order.count)
            xy.withUnsafeMutableBufferPointer { xyOut in
                runEnds.withUnsafeMutableBufferPointer { runsOut in
                    var at = (vertices: 0, runs: 0)
                    for (k, g) in order.enumerated() {
                        let runs = view.runs(of: g)
                        if let first = runs.first {
                            let start = view.vertices(of: first).lowerBound
                            for run in runs {
                                runsOut[at.runs] = view.runEnds[run] - start + at.vertices
                                at.runs += 1
                            }
                            let count = view.runEnds[runs.upperBound - 1] - start
                            (xyOut.baseAddress! + 2 * at.vertices).update(from: view.xy.baseAddress! + 2 * start, count: 2 * count)
                            at.vertices += count
                        }
                        geometryEnds[k] = at.runs
                    }
                }
            }
            var out = VertexRuns()
            (out.xy, out.runEnds, out.geometryEnds) = (xy, runEnds, geometryEnds)
            return out
        }
    }

    /// Runs `body` with a view of the store, valid only inside `body`: a view kept past it stops
    /// the process when used, rather than reading freed memory (Swift 6.3 cannot yet declare
    /// the view `~Escapable` without experimental features).
    public func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        let borrow = View.Borrow()
        defer { borrow.isOpen = false }
        return try xy.withUnsafeBufferPointer { xy in
            try runEnds.withUnsafeBufferPointer { runEnds in
                try geometryEnds.withUnsafeBufferPointer { geometryEnds in
                    try body(View(xy: xy, runEnds: runEnds, geometryEnds: geometryEnds, borrow: borrow))
                }
            }
        }
    }

    /// A borrowed view of a store, made only by `withView` and valid only inside its body.
    public struct View {
        let xy: UnsafeBufferPointer<Double>
        let runEnds: UnsafeBufferPointer<Int>
        let geometryEnds: UnsafeBufferPointer<Int>
        let borrow: Borrow

        /// Whether the `withView` call that made a view is still running.
        final class Borrow {
            var isOpen = true
        }

        /// Stops the process when the view outlived its `withView` call.
        func checkOpen() {
            precondition(borrow.isOpen, "a VertexRuns.View was used after its withView returned")
        }

        /// The runs of geometry `geometry`.
        func runs(of geometry: Int) -> Range<Int> {
            (geometry == 0 ? 0 : geometryEnds[geometry - 1])..<geometryEnds[geometry]
        }

        /// The vertices of run `run`.
        func vertices(of run: Int) -> Range<Int> {
            (run == 0 ? 0 : runEnds[run - 1])..<runEnds[run]
        }
    }
}

/// A geometry known by its kind, envelope and vertices alone, without GEOS: enough to measure
/// distances to it (`NearestPoints`), not to intersect it.
public struct Outline: Sendable {
    public let kind: GeometryKind
    public let envelope: Envelope
    /// One geometry's runs.
    public let vertices: VertexRuns

    public init(kind: GeometryKind, envelope: Envelope, vertices: VertexRuns) {
        self.kind = kind
        self.envelope = envelope
        self.vertices = vertices
    }
}

extension VertexRuns {
    /// Closes the ring whose x, y pairs start at `start` in `xy` (the last run): its first point
    /// added at its end when they differ; a run of one point is left as it is. Outlines read from
    /// OGR and from GeoPackage blobs close their rings this one way.
    static func closeRing(_ xy: inout [Double], from start: Int) {
        if xy.count - start > 2, xy[start] != xy[xy.count - 2] || xy[start + 1] != xy[xy.count - 1] {
            xy += [xy[start], xy[start + 1]]
        }
    }

    /// A store of one geometry given as runs of x, y pairs (`xy`, with `runEnds` in vertices),
    /// taking the arrays as they are.
    init(xy: [Double], runEnds: [Int]) {
        (self.xy, self.runEnds, geometryEnds) = (xy, runEnds, [runEnds.count])
    }
}
