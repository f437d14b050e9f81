import GDALKit

/// Whether an envelope meets any of a set of envelopes, asked of every feature of a large layer
/// as it is read, on a grid with two summed-area tables (running counts): the cells the set
/// touches, and the cells that lie wholly within one of its envelopes. An envelope whose cells
/// hold none touched is refused; one that enters a covered cell, or wholly spans a touched one,
/// meets the set, each at the cost of four lookups; only the others are checked against the
/// set in an `STRTree`.
///
/// A value; safe to read from any thread.
struct ReachMask: Sendable {
    private let extent: Envelope
    private let columns: Int, rows: Int
    private let cellWidth: Double, cellHeight: Double
    /// Touched cells in the rectangle from the grid's corner to each cell, exclusive:
    /// (columns + 1) × (rows + 1) counts, the first row and column zero.
    private let touchedSums: [Int32]
    /// Covered cells, counted the same way.
    private let coveredSums: [Int32]
    private let tree: STRTree

    /// A grid over `envelopes` with cells about a quarter of a typical envelope across, at most
    /// `maxCells` of them.
    init(_ envelopes: [Envelope], maxCells: Int = 1 << 20) {
        let extent = envelopes.reduce(Envelope.empty) { $0.union($1) }
        self.extent = extent
        tree = STRTree(envelopes)
        guard !extent.isEmpty else {
            (columns, rows, cellWidth, cellHeight, touchedSums, coveredSums) = (0, 0, 1, 1, [], [])
            return
        }
        let widths = envelopes.map(\.width).sorted(), heights = envelopes.map(\.height).sorted()
        let side = max(extent.width * extent.height / Double(maxCells), 1e-12).squareRoot()
        let w = max(widths[widths.count / 2] / 4, side), h = max(heights[heights.count / 2] / 4, side)
        let columns = max(1, Int((extent.width / w).rounded(.up)))
        let rows = max(1, Int((extent.height / h).rounded(.up)))
        let cellWidth = max(extent.width / Double(columns), .leastNormalMagnitude)
        let cellHeight = max(extent.height / Double(rows), .leastNormalMagnitude)
        (self.columns, self.rows, self.cellWidth, self.cellHeight) = (columns, rows, cellWidth, cellHeight)
        var touched = [Bool](repeating: false, count: columns * rows)
        var covered = touched
        for e in envelopes where !e.isEmpty {
            let (c0, c1, r0, r1) = ReachMask.cells(e, extent, cellWidth, cellHeight, columns, rows)
            for r in r0...r1 {
                let (south, north) = (extent.minY + Double(r) * cellHeight, extent.minY + Double(r + 1) * cellHeight)
                for c in c0...c1 {
                    touched[r * columns + c] = true
                    let (west, east) = (extent.minX + Double(c) * cellWidth, extent.minX + Double(c + 1) * cellWidth)
                    if west >= e.minX && east <= e.maxX && south >= e.minY && north <= e.maxY { covered[r * columns + c] = true }
                }
            }
        }
        touchedSums = ReachMask.summed(touched, columns: columns, rows: rows)
        coveredSums = ReachMask.summed(covered, columns: columns, rows: rows)
    }

    /// Whether `envelope` meets one of the envelopes.
    func reaches(_ envelope: Envelope) -> Bool {
        guard !touchedSums.isEmpty, envelope.intersects(extent) else { return false }
        let (c0, c1, r0, r1) = ReachMask.cells(envelope, extent, cellWidth, cellHeight, columns, rows)
        guard count(touchedSums, c0...c1, r0...r1) > 0 else { return false }
        if let (cs, rs) = entered(envelope), count(coveredSums, cs, rs) > 0 { return true }
        // Cells strictly inside the envelope's span lie wholly within it: one touched there meets it.
        if c1 - c0 >= 2, r1 - r0 >= 2, count(touchedSums, (c0 + 1)...(c1 - 1), (r0 + 1)...(r1 - 1)) > 0 { return true }
        return tree.intersectsAny(envelope)
    }

    /// The cells an envelope reaches into by more than a billionth of a cell, so that rounding
    /// in the division never has it enter a covered cell it only comes up to; nil when none.
    private func entered(_ e: Envelope) -> (ClosedRange<Int>, ClosedRange<Int>)? {
        let margin = 1e-9
        let c0 = max(0, Int(((e.minX - extent.minX) / cellWidth + margin).rounded(.down)))
        let c1 = min(columns - 1, Int(((e.maxX - extent.minX) / cellWidth - margin).rounded(.down)))
        let r0 = max(0, Int(((e.minY - extent.minY) / cellHeight + margin).rounded(.down)))
        let r1 = min(rows - 1, Int(((e.maxY - extent.minY) / cellHeight - margin).rounded(.down)))
        return c0 <= c1 && r0 <= r1 ? (c0...c1, r0...r1) : nil
    }

    /// How many cells in the columns and rows a summed table counts.
    private func count(_ sums: [Int32], _ columns: ClosedRange<Int>, _ rows: ClosedRange<Int>) -> Int32 {
        let stride = self.columns + 1
        let (top, bottom) = ((rows.upperBound + 1) * stride, rows.lowerBound * stride)
        return sums[top + columns.upperBound + 1] - sums[top + columns.lowerBound]
            - sums[bottom + columns.upperBound + 1] + sums[bottom + columns.lowerBound]
    }

    /// The summed-area table of marked cells.
    private static func summed(_ marked: [Bool], columns: Int, rows: Int) -> [Int32] {
        var sums = [Int32](repeating: 0, count: (columns + 1) * (rows + 1))
        for r in 0..<rows {
            for c in 0..<columns {
                sums[(r + 1) * (columns + 1) + c + 1] = (marked[r * columns + c] ? 1 : 0) + sums[r * (columns + 1) + c + 1]
                    + sums[(r + 1) * (columns + 1) + c] - sums[r * (columns + 1) + c]
            }
        }
        return sums
    }

    /// The columns and rows an envelope spans, clamped to the grid.
    private static func cells(_ e: Envelope, _ extent: Envelope, _ w: Double, _ h: Double, _ columns: Int, _ rows: Int)
        -> (Int, Int, Int, Int) {
        func clamp(_ v: Double, _ n: Int) -> Int { max(0, min(n - 1, Int(v.rounded(.down)))) }
        return (clamp((e.minX - extent.minX) / w, columns), clamp((e.maxX - extent.minX) / w, columns),
                clamp((e.minY - extent.minY) / h, rows), clamp((e.maxY - extent.minY) / h, rows))
    }
}
