import GDALKit

/// Whether an envelope meets any of a set of envelopes, asked of every feature of a large layer
/// as it is read, on a grid of the cells the set touches with their running counts (a
/// summed-area table): an envelope whose cells hold none is refused, one that wholly covers a
/// touched cell meets the set, each at the cost of four lookups; only the others are checked
/// against the set in an `STRTree`.
///
/// A value; safe to read from any thread.
struct ReachMask: Sendable {
    private let extent: Envelope
    private let columns: Int, rows: Int
    private let cellWidth: Double, cellHeight: Double
    /// Touched cells in the rectangle from the grid's corner to each cell, exclusive:
    /// (columns + 1) × (rows + 1) counts, the first row and column zero.
    private let sums: [Int32]
    private let tree: STRTree

    /// A grid over `envelopes` with cells about a quarter of a typical envelope across, at most
    /// `maxCells` of them.
    init(_ envelopes: [Envelope], maxCells: Int = 1 << 20) {
        let extent = envelopes.reduce(Envelope.empty) { $0.union($1) }
        self.extent = extent
        tree = STRTree(envelopes)
        guard !extent.isEmpty else {
            (columns, rows, cellWidth, cellHeight, sums) = (0, 0, 1, 1, [])
            return
        }
        let widths = envelopes.map(\.width).sorted(), heights = envelopes.map(\.height).sorted()
        let side = max(extent.width * extent.height / Double(maxCells), 1e-12).squareRoot()
        let w = max(widths[widths.count / 2] / 4, side), h = max(heights[heights.count / 2] / 4, side)
        columns = max(1, Int((extent.width / w).rounded(.up)))
        rows = max(1, Int((extent.height / h).rounded(.up)))
        cellWidth = max(extent.width / Double(columns), .leastNormalMagnitude)
        cellHeight = max(extent.height / Double(rows), .leastNormalMagnitude)
        var marked = [Bool](repeating: false, count: columns * rows)
        for e in envelopes where !e.isEmpty {
            let (c0, c1, r0, r1) = ReachMask.cells(e, extent, cellWidth, cellHeight, columns, rows)
            for r in r0...r1 { for c in c0...c1 { marked[r * columns + c] = true } }
        }
        var sums = [Int32](repeating: 0, count: (columns + 1) * (rows + 1))
        for r in 0..<rows {
            for c in 0..<columns {
                sums[(r + 1) * (columns + 1) + c + 1] = (marked[r * columns + c] ? 1 : 0) + sums[r * (columns + 1) + c + 1]
                    + sums[(r + 1) * (columns + 1) + c] - sums[r * (columns + 1) + c]
            }
        }
        self.sums = sums
    }

    /// Whether `envelope` meets one of the envelopes.
    func reaches(_ envelope: Envelope) -> Bool {
        guard !sums.isEmpty, envelope.intersects(extent) else { return false }
        let (c0, c1, r0, r1) = ReachMask.cells(envelope, extent, cellWidth, cellHeight, columns, rows)
        guard touched(c0...c1, r0...r1) else { return false }
        // Cells strictly inside the envelope's span lie wholly within it: one touched there meets it.
        if c1 - c0 >= 2, r1 - r0 >= 2, touched((c0 + 1)...(c1 - 1), (r0 + 1)...(r1 - 1)) { return true }
        return tree.intersectsAny(envelope)
    }

    /// Whether any cell in the columns and rows is touched.
    private func touched(_ columns: ClosedRange<Int>, _ rows: ClosedRange<Int>) -> Bool {
        let stride = self.columns + 1
        let (top, bottom) = ((rows.upperBound + 1) * stride, rows.lowerBound * stride)
        return sums[top + columns.upperBound + 1] - sums[top + columns.lowerBound]
            - sums[bottom + columns.upperBound + 1] + sums[bottom + columns.lowerBound] > 0
    }

    /// The columns and rows an envelope spans, clamped to the grid.
    private static func cells(_ e: Envelope, _ extent: Envelope, _ w: Double, _ h: Double, _ columns: Int, _ rows: Int)
        -> (Int, Int, Int, Int) {
        func clamp(_ v: Double, _ n: Int) -> Int { max(0, min(n - 1, Int(v.rounded(.down)))) }
        return (clamp((e.minX - extent.minX) / w, columns), clamp((e.maxX - extent.minX) / w, columns),
                clamp((e.minY - extent.minY) / h, rows), clamp((e.maxY - extent.minY) / h, rows))
    }
}
