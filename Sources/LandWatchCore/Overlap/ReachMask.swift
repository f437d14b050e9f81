import GDALKit

/// Whether an envelope meets any of a set of envelopes, asked of every feature of a large layer
/// as it is read, on a grid with two bitmaps small enough to stay in the processor's cache: the
/// cells the set touches, and the cells that lie wholly within one of its envelopes. An envelope
/// whose cells hold none touched is refused; one that enters a covered cell, or wholly spans a
/// touched one, meets the set, each at the cost of a few words read per row it spans; only the
/// others, and envelopes spanning too many cells to scan, are checked against the set in an
/// `STRTree`.
///
/// A value; safe to read from any thread.
struct ReachMask: Sendable {
    private let extent: Envelope
    private let columns: Int, rows: Int
    private let cellWidth: Double, cellHeight: Double
    /// Each row of cells as bits in 64-bit words, column `c` at bit `c % 64` of word `c / 64`.
    private let wordsPerRow: Int
    /// Cells the set touches.
    private let touched: [UInt64]
    /// Cells that lie wholly within one of its envelopes.
    private let covered: [UInt64]
    private let tree: STRTree
    /// An envelope whose cells take more words than this to read is checked in the tree alone.
    private static let scanLimit = 64

    /// A grid over `envelopes` with cells about a quarter of a typical envelope across, at most
    /// `maxCells` of them.
    init(_ envelopes: [Envelope], maxCells: Int = 1 << 20) {
        let extent = envelopes.reduce(Envelope.empty) { $0.union($1) }
        self.extent = extent
        tree = STRTree(envelopes)
        guard !extent.isEmpty else {
            (columns, rows, cellWidth, cellHeight, wordsPerRow, touched, covered) = (0, 0, 1, 1, 0, [], [])
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
        let wordsPerRow = (columns + 63) / 64
        self.wordsPerRow = wordsPerRow
        var touched = [UInt64](repeating: 0, count: wordsPerRow * rows)
        var covered = touched
        for e in envelopes where !e.isEmpty {
            let (c0, c1, r0, r1) = ReachMask.cells(e, extent, cellWidth, cellHeight, columns, rows)
            ReachMask.words(c0...c1, r0...r1, wordsPerRow) { touched[$0] |= $1; return false }
            // The cells wholly within: a run of the columns and one of the rows spanned.
            func within(_ k: Int, _ origin: Double, _ size: Double, _ low: Double, _ high: Double) -> Bool {
                origin + Double(k) * size >= low && origin + Double(k + 1) * size <= high
            }
            let columnsIn = (c0...c1).filter { within($0, extent.minX, cellWidth, e.minX, e.maxX) }
            let rowsIn = (r0...r1).filter { within($0, extent.minY, cellHeight, e.minY, e.maxY) }
            if let x0 = columnsIn.first, let x1 = columnsIn.last, let y0 = rowsIn.first, let y1 = rowsIn.last {
                ReachMask.words(x0...x1, y0...y1, wordsPerRow) { covered[$0] |= $1; return false }
            }
        }
        (self.touched, self.covered) = (touched, covered)
    }

    /// Whether `envelope` meets one of the envelopes.
    func reaches(_ envelope: Envelope) -> Bool {
        guard !touched.isEmpty, envelope.intersects(extent) else { return false }
        let (c0, c1, r0, r1) = ReachMask.cells(envelope, extent, cellWidth, cellHeight, columns, rows)
        guard (r1 - r0 + 1) * (c1 / 64 - c0 / 64 + 1) <= ReachMask.scanLimit else { return tree.intersectsAny(envelope) }
        guard any(touched, c0...c1, r0...r1) else { return false }
        if let (cs, rs) = entered(envelope), any(covered, cs, rs) { return true }
        // Cells strictly inside the envelope's span lie wholly within it: one touched there meets it.
        if c1 - c0 >= 2, r1 - r0 >= 2, any(touched, (c0 + 1)...(c1 - 1), (r0 + 1)...(r1 - 1)) { return true }
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

    /// Whether a bitmap has a cell set in the columns and rows.
    private func any(_ bits: [UInt64], _ columns: ClosedRange<Int>, _ rows: ClosedRange<Int>) -> Bool {
        ReachMask.words(columns, rows, wordsPerRow) { bits[$0] & $1 != 0 }
    }

    /// Visits the words holding the cells in the columns and rows, each with the mask of those
    /// cells' bits in it, row by row, until `body` returns true; whether it did.
    @discardableResult
    private static func words(_ columns: ClosedRange<Int>, _ rows: ClosedRange<Int>, _ wordsPerRow: Int,
                              _ body: (_ index: Int, _ mask: UInt64) -> Bool) -> Bool {
        let (w0, w1) = (columns.lowerBound / 64, columns.upperBound / 64)
        let first = UInt64.max << UInt64(columns.lowerBound % 64), last = UInt64.max >> UInt64(63 - columns.upperBound % 64)
        for r in rows {
            let row = r * wordsPerRow
            for w in w0...w1 {
                let mask = (w == w0 ? first : .max) & (w == w1 ? last : .max)
                if body(row + w, mask) { return true }
            }
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
