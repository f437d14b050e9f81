import Foundation
import LandWatchCore
import LandWatchLedger

/// A configuration file as a tree of text with line numbers, built by whoever parses the YAML,
/// so that the rules below name the line of every mistake.
public indirect enum ConfigNode: Sendable {
    case scalar(String, line: Int)
    case list([ConfigNode], line: Int)
    case map([(key: String, value: ConfigNode, line: Int)], line: Int)

    var line: Int {
        switch self {
        case .scalar(_, let line), .list(_, let line), .map(_, let line): return line
        }
    }
}

extension RunConfig {
    /// The keys a config may hold and what each may be (Samples/daxing.yml shows them all). An
    /// option the command line has too takes its range from its `OptionSpec`; `deadline_days` and
    /// `close_after` are the config's own, narrower than the command line's (0 or more).
    static let rules: ConfigRule = .section([
        ("month", .month, true), ("lang", .choice(["zh", "en"]), false), ("out", .text, false),
        ("issuer", .text, false), ("issued", .day, false),
        ("zones", .section([("path", .text, true), ("field", .text, false)]), true),
        ("bare_land", .section([
            ("detections", .text, true), ("optional", .flag, false), ("detection_day", .count(1...31), false),
            ("first_month", .month, false), ("class_field", .text, false), ("ledger", .text, false),
            ("deadline_days", .count(1...3650), false), ("close_after", .count(1...120), false),
            ("match_iou", IngestOptions.Spec.matchIoU.rule, false), ("prefix", IngestOptions.Spec.prefix.rule, false),
        ]), false),
        ("contaminated", .section([
            ("plots", .text, true), ("sensitive", .text, true), ("optional", .flag, false), ("id_field", .text, false),
            ("sensitive_id_field", .text, false), ("class_field", .text, false), ("keep", .list(.text), false),
            ("within", ContaminatedSection.Spec.within.rule, false), ("rings", OverlapOptions.Spec.rings.rule, false),
            ("suspected_plots", .text, false), ("risk_field", .text, false),
        ]), false),
        ("vocs", .section([
            ("readings", .text, true), ("value", .text, true), ("optional", .flag, false),
            ("cell", HotspotOptions.Spec.cell.rule, false), ("stat", HotspotOptions.Spec.stat.rule, false),
            ("min_readings", HotspotOptions.Spec.minReadings.rule, false), ("confidence", HotspotOptions.Spec.confidence.rule, false),
            ("sources", .text, false), ("source_name_field", .text, false), ("within", HotspotOptions.Spec.within.rule, false),
            ("unit", .text, false),
        ]), false),
        ("air", .section([
            ("readings", .text, true), ("stations", .text, true), ("optional", .flag, false), ("station_field", .text, false),
            ("pollutants", .list(.choice(Pollutant.allCases.map(\.rawValue))), false),
            ("targets", .section(Pollutant.allCases.map { ($0.rawValue, .amount, false) }), false),
        ]), false),
    ])

    /// Checks a parsed config against the rules: an unknown key, a missing one or a value that
    /// is not allowed is an error naming the file, the line, the key and what is allowed.
    public static func check(_ node: ConfigNode, file: String) throws {
        try check(node, rules, path: [], file: file)
    }

    private static func check(_ node: ConfigNode, _ rule: ConfigRule, path: [String], file: String) throws {
        func fail(_ line: Int, _ what: String) -> LandWatchError {
            .data("\"\(file)\" line \(line): \(what)")
        }
        let name = path.isEmpty ? "the config" : "\"" + path.joined(separator: ".") + "\""
        switch (rule, node) {
        case (.section(let keys), .map(let entries, let line)):
            for entry in entries {
                guard let known = keys.first(where: { $0.key == entry.key }) else {
                    let hint = closest(entry.key, among: keys.map(\.key)).map { "did you mean \"\($0)\"? " } ?? ""
                    throw fail(entry.line, "unknown key \"\(entry.key)\" in \(name): \(hint)the keys are "
                                  + keys.map(\.key).joined(separator: ", "))
                }
                try check(entry.value, known.rule, path: path + [entry.key], file: file)
            }
            for key in keys where key.required && !entries.contains(where: { $0.key == key.key }) {
                throw fail(line, "\(name) lacks \"\(key.key)\" (\(key.rule.allowed))")
            }
        case (.list(let item), .list(let nodes, _)):
            for (i, element) in nodes.enumerated() { try check(element, item, path: path + ["\(i + 1)"], file: file) }
        case (.section, _), (.list, _):
            throw fail(node.line, "\(name) must be \(rule.allowed)")
        case (_, .scalar(let text, let line)):
            guard rule.accepts(text) else { throw fail(line, "\(name) is \"\(text)\": give \(rule.allowed)") }
        default:
            throw fail(node.line, "\(name) must be \(rule.allowed)")
        }
    }

    /// The allowed key a mistyped one most likely meant (at most 2 edits away), if any.
    static func closest(_ key: String, among keys: [String]) -> String? {
        // Levenshtein distance, one row at a time.
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var diagonal = row[0]
                row[0] = i + 1
                for (j, cb) in b.enumerated() {
                    let above = row[j + 1]
                    row[j + 1] = min(above + 1, row[j] + 1, diagonal + (ca == cb ? 0 : 1))
                    diagonal = above
                }
            }
            return row[b.count]
        }
        return keys.map { ($0, distance(Array(key), Array($0))) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }
}
