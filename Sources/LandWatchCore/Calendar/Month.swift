/// A month, `YYYY-MM`.
public struct Month: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int, month: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return nil }
        year = y
        month = m
    }

    public init(year: Int, month: Int) { self.year = year; self.month = month }

    public var description: String { Day.padded(year, 4) + "-" + Day.padded(month, 2) }
    public var compact: String { Day.padded(year, 4) + Day.padded(month, 2) }
    public var previous: Month { month == 1 ? Month(year: year - 1, month: 12) : Month(year: year, month: month - 1) }
    public var next: Month { month == 12 ? Month(year: year + 1, month: 1) : Month(year: year, month: month + 1) }
    public var firstDay: Day { Day(description + "-01")! }
    public var lastDay: Day { Day(description + "-" + Day.padded(Day.daysIn(month, year), 2))! }
    public func day(_ d: Int) -> Day { Day(description + "-" + Day.padded(min(max(d, 1), Day.daysIn(month, year)), 2))! }
    public static func < (a: Month, b: Month) -> Bool { (a.year, a.month) < (b.year, b.month) }
}
