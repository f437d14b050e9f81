import GDALKit
import LandWatchCore

/// The planning bureau's land types (规自部门对裸地类型进行分类并反馈): a whole file from the
/// command line, or one entry from the web application, through the same `apply`. Every line is
/// checked first; then all of them are applied in one transaction, or none. Each writes an event
/// `classified` with the new class (`reason`) and the one it replaced (`previous`), also when the
/// class stays the same: the bureau's confirmation is itself on the record.
public enum LedgerClassification {
    /// One classification: an entry, its land type (free text, 1 to 100 characters) and a note;
    /// `line` is its line in a file (nil from the web).
    public struct Line: Sendable, Equatable {
        public let line: Int?
        public let id: String
        public let className: String
        public let note: String?

        public init(line: Int?, id: String, className: String, note: String?) {
            self.line = line
            self.id = id
            self.className = className
            self.note = note
        }
    }

    /// Why lines were refused, each with its line; nothing was applied.
    public struct Refusal: Error, Equatable {
        public enum Reason: Equatable, Sendable {
            /// No such entry (or one the account may not see).
            case unknownEntry(String)
            /// An empty class, or one over 100 characters.
            case badClass(String)
            /// The same entry on an earlier line.
            case repeated(String, firstLine: Int?)
            /// The date cannot be an event of the entry (`LedgerDates`).
            case date(Bilingual)
            /// A class or note beyond `LedgerText`'s limits (too long, a control character).
            case text(Bilingual)
        }

        public let problems: [(line: Int?, reason: Reason)]

        public static func == (a: Refusal, b: Refusal) -> Bool {
            a.problems.map(\.line) == b.problems.map(\.line) && a.problems.map(\.reason) == b.problems.map(\.reason)
        }

        /// `line 3: no entry "X"; line 5: the class is empty`.
        public var description: String {
            problems.map { p in (p.line.map { "line \($0): " } ?? "") + p.reason.description }.joined(separator: "; ")
        }
    }

    /// The longest class kept.
    static var maximumClassLength: Int { LedgerText.Field.className.limit }

    /// The lines of a planning bureau's CSV (columns `id`, `class`, `note`), blank lines left out.
    public static func read(csv path: String, encoding: String?) throws -> [Line] {
        let (rows, columns) = try CSVText.read(path, encoding: encoding, required: ["id", "class"], optional: ["note"])
        return rows.enumerated().dropFirst().compactMap { n, row in
            guard !row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
            func cell(_ i: Int?) -> String { i.map { $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : "" } ?? "" }
            let note = cell(columns["note"])
            return Line(line: n + 1, id: cell(columns["id"]), className: cell(columns["class"]), note: note.isEmpty ? nil : note)
        }
    }

    /// Applies a planning bureau's CSV: every line, or, when any is wrong, none (the error lists
    /// each wrong line).
    public static func apply(_ store: any LedgerStore, csv path: String, encoding: String?, date: Day, actor: String?,
                             today: Day = .today) throws -> [LedgerEntry] {
        let lines = try read(csv: path, encoding: encoding)
        guard !lines.isEmpty else { throw LandWatchError.data("\"\(path)\" holds no line to apply") }
        do {
            return try apply(store, lines, date: date, actor: actor, today: today)
        } catch let refusal as Refusal {
            throw LandWatchError.data("\"\(path)\": \(refusal.description); nothing was applied")
        }
    }

    /// Checks every line against the held entries, then applies all of them in one transaction;
    /// `sees` limits the entries an account may classify. Returns the entries as classified.
    public static func apply(_ store: any LedgerStore, _ lines: [Line], date: Day, actor: String?, today: Day,
                             sees: (LedgerEntry) -> Bool = { _ in true }) throws -> [LedgerEntry] {
        try store.write(.entries) {
            let held = try store.entries(ids: lines.map(\.id), zone: nil, forUpdate: true).filter(sees)
            let entries = Dictionary(held.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            try check(lines, entries: entries, last: try store.lastEvents(of: held.map(\.id)), date: date, today: today)
            var change = LedgerChange()
            for line in lines {
                var entry = entries[line.id]!
                change.events.append(LedgerStateMachine.record(.classified, on: &entry, date: date, reason: line.className, note: line.note,
                                                               actor: actor))
                change.updated.append(entry)
            }
            try store.apply(change)
            return change.updated
        }
    }

    /// Every problem of every line, or nothing.
    private static func check(_ lines: [Line], entries: [String: LedgerEntry], last: [String: LedgerEvent],
                              date: Day, today: Day) throws {
        var problems: [(line: Int?, reason: Refusal.Reason)] = []
        var seen: [String: Int?] = [:]
        for line in lines {
            guard let entry = entries[line.id] else { problems.append((line.line, .unknownEntry(line.id))); continue }
            if let first = seen[line.id] {
                problems.append((line.line, .repeated(line.id, firstLine: first)))
                continue
            }
            seen[line.id] = line.line
            if line.className.isEmpty {
                problems.append((line.line, .badClass(line.className)))
            } else if let problem = LedgerText.problem(line.className, as: .className) {
                problems.append((line.line, .text(problem)))
            }
            if let note = line.note, let problem = LedgerText.problem(note, as: .note) {
                problems.append((line.line, .text(problem)))
            }
            if let problem = LedgerDates.problem(date, entry: entry, last: last[line.id], today: today) {
                problems.append((line.line, .date(problem)))
            }
        }
        guard problems.isEmpty else { throw Refusal(problems: problems) }
    }
}

extension LedgerClassification.Refusal.Reason: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unknownEntry(let id): return "no entry \"\(id)\""
        case .badClass(let name):
            return name.isEmpty ? "the class is empty"
                : "the class is \(name.count) characters long (at most \(LedgerClassification.maximumClassLength))"
        case .repeated(let id, let first): return "\(id) is classified" + (first.map { " on line \($0)" } ?? "") + " already"
        case .date(let problem), .text(let problem): return problem.en
        }
    }
}
