import GDALKit

/// Whether an envelope meets any of a set of envelopes, asked of every feature of a large layer
/// as it is read: a coarse grid of the cells the set touches refuses most features at the cost
/// of a lookup or two; those it lets through are checked against the set in an `STRTree`.
///
/// A value; safe to read from any thread.
struct ReachMask: Sendable {
    private let extent: Envelope
    private let columns: Int, rows: Int
    private let cellWidth: Double, cellHeight: Double
    private let marked: [Bool]
    private let tree: STRTree

    /// A grid over `envelopes` with cells about an eighth of a typical envelope across, at most
    /// `maxCells` of them.
    init(_ envelopes: [Envelope], maxCells: Int = 1 << 22) {
        let extent = envelopes.reduce(Envelope.empty) { $0.union($1) }
        self.extent = extent
        tree = STRTree(envelopes)
        guard !extent.isEmpty else {
            (columns, rows, cellWidth, cellHeight, marked) = (0, 0, 1, 1, [])
            return
        }
        let widths = envelopes.map(\.width).sorted(), heights = envelopes.map(\.height).sorted()
        let side = max(extent.width * extent.height / Double(maxCells), 1e-12).squareRoot()
        let w = max(widths[widths.count / 2] / 8, side), h = max(heights[heights.count / 2] / 8, side)
        columns = max(1, Int((extent.width / w).rounded(.up)))
        rows = max(1, Int((extent.height / h).rounded(.up)))
        cellWidth = max(extent.width / Double(columns), .leastNormalMagnitude)
        cellHeight = max(extent.height / Double(rows), .leastNormalMagnitude)
        var marked = [Bool](repeating: false, count: columns * rows)
        for e in envelopes where !e.isEmpty {
            let (c0, c1, r0, r1) = ReachMask.cells(e, extent, cellWidth, cellHeight, columns, rows)
            for r in r0...r1 { for c in c0...c1 { marked[r * columns + c] = true } }
        }
        self.marked = marked
    }

    /// Whether `envelope` meets one of the envelopes.
    func reaches(_ envelope: Envelope) -> Bool {
        guard !marked.isEmpty, envelope.intersects(extent) else { return false }
        let (c0, c1, r0, r1) = ReachMask.cells(envelope, extent, cellWidth, cellHeight, columns, rows)
        for r in r0...r1 {
            for c in c0...c1 where marked[r * columns + c] { return tree.intersectsAny(envelope) }
        }
        return false
    }

    /// The columns and rows an envelope spans, clamped to the grid.
    private static func cells(_ e: Envelope, _ extent: Envelope, _ w: Double, _ h: Double, _ columns: Int, _ rows: Int)
        -> (Int, Int, Int, Int) {
        func clamp(_ v: Double, _ n: Int) -> Int { max(0, min(n - 1, Int(v.rounded(.down)))) }
        return (clamp((e.minX - extent.minX) / w, columns), clamp((e.maxX - extent.minX) / w, columns),
                clamp((e.minY - extent.minY) / h, rows), clamp((e.maxY - extent.minY) / h, rows))
    }
}
