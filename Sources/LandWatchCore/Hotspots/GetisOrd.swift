import Foundation

/// Getis-Ord Gi* on values with binary weights (the value itself included), the z-score under
/// the normal approximation, two-sided p-values, and Benjamini–Hochberg false-discovery-rate
/// control; bins as ArcGIS reports them (±3, ±2, ±1 at 99/95/90% confidence, 0 otherwise).
public enum GetisOrd {
    /// Gi* z-scores: for each i, with S = sqrt(Σx²/n − x̄²) and W = Σ_j w_ij (the neighbours and i):
    /// (Σ_j x_j − x̄ W) / (S · sqrt((n W − W²) / (n − 1))).
    public static func zScores(values x: [Double], neighbours: [[Int]]) -> [Double] {
        let n = Double(x.count)
        guard x.count > 1 else { return x.map { _ in 0 } }
        let mean = x.reduce(0, +) / n
        let s = (x.reduce(0) { $0 + $1 * $1 } / n - mean * mean).squareRoot()
        return x.indices.map { i in
            let w = Double(neighbours[i].count + 1)
            let sum = neighbours[i].reduce(x[i]) { $0 + x[$1] }
            let denominator = s * ((n * w - w * w) / (n - 1)).squareRoot()
            return denominator > 0 ? (sum - mean * w) / denominator : 0
        }
    }

    /// Two-sided p-value of a standard normal z.
    public static func pValue(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// Which tests Benjamini–Hochberg rejects at false-discovery rate α.
    public static func benjaminiHochberg(_ p: [Double], alpha: Double) -> [Bool] {
        let order = p.indices.sorted { p[$0] < p[$1] }
        let m = Double(p.count)
        var k = -1
        for (rank, i) in order.enumerated() where p[i] <= Double(rank + 1) / m * alpha { k = rank }
        var out = Array(repeating: false, count: p.count)
        if k >= 0 { for i in order[0...k] { out[i] = true } }
        return out
    }

    /// Bins: ±3 where significant at 99% (FDR-corrected), ±2 at 95%, ±1 at 90%, 0 otherwise.
    public static func bins(z: [Double], p: [Double]) -> [Int] {
        let levels = [(3, 0.01), (2, 0.05), (1, 0.10)].map { ($0.0, benjaminiHochberg(p, alpha: $0.1)) }
        return z.indices.map { i in
            guard let level = levels.first(where: { $0.1[i] })?.0 else { return 0 }
            return z[i] > 0 ? level : -level
        }
    }
}
