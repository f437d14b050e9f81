import Foundation

/// Numbers at a fixed number of decimals, as `%.Nf` prints them, without going through
/// `String(format:)` (slow when a table has a million rows).
public enum FixedPoint {
    private static let powers: [Double] = (0...15).map { pow(10, Double($0)) }

    public static func format(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return "" }
        guard decimals >= 0, decimals < powers.count else { return String(format: "%.\(decimals)f", v) }
        let scaled = (abs(v) * powers[decimals]).rounded()
        // Beyond 2^53 integer steps are not exact: let printf do it.
        guard scaled < 9.0e15 else { return String(format: "%.\(decimals)f", v) }
        let n = UInt64(scaled)
        var digits = String(n)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (v < 0 && n != 0 ? "-" : "") + digits
    }
}
