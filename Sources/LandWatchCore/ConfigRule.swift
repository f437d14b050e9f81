/// What a configuration value may be; an option's range on the command line too (`OptionSpec`).
public indirect enum ConfigRule: Sendable {
    case text
    case month
    case day
    /// A whole number in a range.
    case count(ClosedRange<Int>)
    /// A distance in metres, greater than 0.
    case metres
    /// A number in (0, 1].
    case ratio
    /// A number of 0 or more (a concentration).
    case amount
    case choice([String])
    case flag
    case list(ConfigRule)
    /// Keys, each with its rule and whether it must be there.
    case section([(key: String, rule: ConfigRule, required: Bool)])

    /// What the rule allows, for the error line.
    public var allowed: String {
        switch self {
        case .text: return "text"
        case .month: return "a month, YYYY-MM (e.g. 2026-10)"
        case .day: return "a day, YYYY-MM-DD (e.g. 2026-11-05)"
        case .count(let range): return range.upperBound == Int.max ? "a whole number from \(range.lowerBound)"
            : "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .metres: return "metres as a number greater than 0, without a unit (e.g. 500)"
        case .ratio: return "a number greater than 0 and at most 1 (e.g. 0.3)"
        case .amount: return "a number of 0 or more (e.g. 5.1)"
        case .choice(let values): return values.joined(separator: " or ")
        case .flag: return "true or false"
        case .list(let rule): return "a list of " + rule.allowed
        case .section(let keys): return "a section with " + keys.map(\.key).joined(separator: ", ")
        }
    }

    /// Whether a scalar value, as text, is allowed (never a list or a section).
    public func accepts(_ text: String) -> Bool {
        switch self {
        case .text: return !text.isEmpty
        case .month: return Month(text) != nil
        case .day: return Day(text) != nil
        case .count(let range): return Int(text).map(range.contains) ?? false
        case .metres: return Double(text).map { $0 > 0 && $0.isFinite } ?? false
        case .ratio: return Double(text).map { $0 > 0 && $0 <= 1 } ?? false
        case .amount: return Double(text).map { $0 >= 0 && $0.isFinite } ?? false
        case .choice(let values): return values.contains(text)
        case .flag: return ["true", "false"].contains(text)
        case .list, .section: return false
        }
    }
}
