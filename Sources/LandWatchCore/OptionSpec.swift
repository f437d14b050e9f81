/// An option written once for every front end: the value it takes when none is given and the
/// values it may take. The command line's `@Option` starts from `defaultValue` and its
/// `validate()` runs the options' own `validate()`, which checks values against `rule`; `run`'s
/// config check allows what `rule` allows (worded its own way, with the file's line); the
/// core's options start from `defaultValue`, and so does the monthly job where the config says
/// nothing.
public struct OptionSpec<Value: Sendable>: Sendable {
    /// The value when none is given.
    public let defaultValue: Value
    /// The values it may take.
    public let rule: ConfigRule

    public init(default defaultValue: Value, _ rule: ConfigRule) {
        self.defaultValue = defaultValue
        self.rule = rule
    }

    /// Whether values written as text are allowed: the one value, or each item of a list.
    public func allows(_ texts: [String]) -> Bool {
        if case .list(let item) = rule { return texts.allSatisfy(item.accepts) }
        return texts.count == 1 && rule.accepts(texts[0])
    }
}

extension OptionSpec where Value: LosslessStringConvertible {
    /// Refuses a value the rule does not allow as a usage error, `"\(setting) is \(what)"`
    /// (`--cell is a size in metres, above 0` on the command line). The value is checked as its
    /// text, which reads back as the same value, as the config check reads the config's.
    public func check(_ value: Value, as setting: Setting, is what: String) throws {
        guard allows([value.description]) else { throw LandWatchError.usage("\(setting) is \(what)") }
    }
}
