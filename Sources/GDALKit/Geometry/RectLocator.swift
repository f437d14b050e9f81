/// Where a rectangle lies against a polygonal geometry, decided in plain floating point only
/// where it cannot be wrong: wholly inside its interior, wholly outside it, or near its
/// boundary, which is left to an exact predicate (GEOS's prepared geometries).
///
/// A feature whose envelope lies in a zone's interior is properly contained by it, and one whose
/// envelope lies outside does not meet it; deciding these from the envelope spares the prepared
/// predicate for the many features nowhere near a zone's border.
///
/// The polygon's edges are held in an STR-tree. A rectangle is `interior` or `exterior` only when
/// no edge comes within `clearance` of it (a segment against the widened rectangle: its corners
/// strictly on one side of the edge's line), and then its corner's crossing number says which:
/// rounding in either test is many orders of magnitude below the clearance. Anything closer is
/// `boundary`.
///
/// A value, built once per polygon; safe to query from any number of threads at once.
public struct RectLocator: Sendable {
    public enum Location: Sendable, Equatable {
        /// In the interior, clear of the boundary: the geometry properly contains the rectangle.
        case interior
        /// Outside, clear of the boundary: the two do not meet.
        case exterior
        /// Within `clearance` of the boundary: undecided here.
        case boundary
    }

    /// Edges as (x0, y0, x1, y1), by edge.
    private let edges: [(Double, Double, Double, Double)]
    private let tree: STRTree
    private let extent: Envelope
    /// How far every edge must stay from a rectangle for it to be decided: a billionth of the
    /// largest coordinate (about 1 cm in degrees of longitude near Beijing).
    public let clearance: Double

    /// Takes the rings of a polygonal geometry (shells and holes, every part).
    public init(_ geometry: Geometry) {
        var edges: [(Double, Double, Double, Double)] = []
        var extent = Envelope.empty
        geometry.forEachPolygonRing { _, _, x, y in
            for i in x.indices.dropLast() { edges.append((x[i], y[i], x[i + 1], y[i + 1])) }
            for i in x.indices { extent.add(Coordinate(x[i], y[i])) }
        }
        self.edges = edges
        self.extent = extent
        tree = STRTree(edges.map { Envelope(minX: min($0.0, $0.2), minY: min($0.1, $0.3), maxX: max($0.0, $0.2), maxY: max($0.1, $0.3)) })
        let magnitude = [extent.minX, extent.minY, extent.maxX, extent.maxY].map(abs).filter(\.isFinite).max() ?? 0
        clearance = 1e-9 * max(1, magnitude)
    }

    /// Where `rect` lies: `boundary` when any edge comes within `clearance` of it.
    public func locate(_ rect: Envelope) -> Location {
        guard !rect.isEmpty, !edges.isEmpty else { return .boundary }
        let wide = rect.expanded(by: clearance)
        guard wide.intersects(extent) else { return .exterior }
        var near = false
        tree.visit(wide) { e in
            near = meets(edges[e], wide)
            return !near
        }
        if near { return .boundary }
        return insideByCrossings(rect.minX, rect.minY) ? .interior : .exterior
    }

    /// Whether the segment meets the rectangle (its envelope is known to): unless all four
    /// corners lie strictly on one side of the segment's line.
    private func meets(_ s: (Double, Double, Double, Double), _ r: Envelope) -> Bool {
        let (ax, ay, bx, by) = s
        func side(_ px: Double, _ py: Double) -> Double { (bx - ax) * (py - ay) - (by - ay) * (px - ax) }
        let (c0, c1, c2, c3) = (side(r.minX, r.minY), side(r.maxX, r.minY), side(r.maxX, r.maxY), side(r.minX, r.maxY))
        return !((c0 > 0 && c1 > 0 && c2 > 0 && c3 > 0) || (c0 < 0 && c1 < 0 && c2 < 0 && c3 < 0))
    }

    /// Even-odd crossing number of a ray from (px, py) towards +x: the edges it can cross are
    /// those whose envelopes meet the ray within the extent.
    private func insideByCrossings(_ px: Double, _ py: Double) -> Bool {
        var inside = false
        tree.visit(Envelope(minX: px, minY: py, maxX: max(px, extent.maxX), maxY: py)) { e in
            let (ax, ay, bx, by) = edges[e]
            if (ay > py) != (by > py), px < ax + (py - ay) * (bx - ax) / (by - ay) { inside.toggle() }
            return true
        }
        return inside
    }
}
