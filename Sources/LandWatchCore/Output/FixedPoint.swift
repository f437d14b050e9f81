import Foundation

/// Numbers at a fixed number of decimals, as `%.Nf` prints them, without going through
/// `String(format:)` (slow when a table has a million rows).
public enum FixedPoint {
    private static let powers: [Double] = (0...15).map { pow(10, Double($0)) }

    public static func format(_ v: Double, decimals: Int) -> String {
        var bytes: [UInt8] = []
        append(v, decimals: decimals, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The number as it is shown at `decimals` (half away from zero, as `format`).
    public static func rounded(_ v: Double, decimals: Int) -> Double {
        Double(format(v, decimals: decimals)) ?? v
    }

    /// Appends the number's digits (nothing for NaN or infinity) as UTF-8.
    public static func append(_ v: Double, decimals: Int, to bytes: inout [UInt8]) {
        guard v.isFinite else { return }
        guard decimals >= 0, decimals < powers.count else {
            bytes += String(format: "%.\(decimals)f", v).utf8
            return
        }
        let scaled = (abs(v) * powers[decimals]).rounded()
        // Beyond 2^53 integer steps are not exact: let printf do it.
        guard scaled < 9.0e15 else {
            bytes += String(format: "%.\(decimals)f", v).utf8
            return
        }
        let n = UInt64(scaled)
        if v < 0 && n != 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(n, decimals: decimals, to: &bytes)
    }

    /// Appends an integer's digits as UTF-8.
    public static func append(_ v: Int, to bytes: inout [UInt8]) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(v.magnitude), decimals: 0, to: &bytes)
    }

    /// `n` with a point `decimals` digits from the right (at least one digit before it).
    private static func appendDigits(_ value: UInt64, decimals: Int, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var n = value
            var i = 24
            var written = 0
            while n > 0 || written <= decimals {
                if decimals > 0 && written == decimals {
                    i -= 1
                    buffer[i] = UInt8(ascii: ".")
                }
                i -= 1
                buffer[i] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                written += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<24]))
        }
    }

    /// ▲ or ▼ with the change, at `decimals` (– when unchanged, nothing without last month).
    public static func arrow(_ now: Double, _ before: Double?, decimals: Int) -> String {
        guard let before else { return "" }
        let change = rounded(now, decimals: decimals) - rounded(before, decimals: decimals)
        let amount = format(abs(change), decimals: decimals)
        return change > 0 ? "▲ " + amount : change < 0 ? "▼ " + amount : "–"
    }
}
