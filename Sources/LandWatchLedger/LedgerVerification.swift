import Foundation
import GDALKit
import LandWatchCore

/// Closing entries by hand and applying field-verification files: one transaction each, and
/// nothing applied when any line is wrong.
public enum LedgerVerification {
    /// The reasons an entry comes off the ledger (销账).
    public static let closeReasons = ["苫盖", "绿化", "硬化", "复耕", "开工建设", "误报", "other"]

    /// Closes entries with a reason on a date.
    public static func close(_ store: any LedgerStore, ids: [String], reason: String, date: Day, note: String?,
                             actor: String? = nil, today: Day = .today) throws -> Int {
        guard closeReasons.contains(reason) else {
            throw LandWatchError.usage("unknown reason \"\(reason)\": use one of \(closeReasons.joined(separator: ", "))")
        }
        if let note, let problem = LedgerText.problem(note, as: .note) { throw LandWatchError.usage("\(problem); nothing was closed") }
        return try store.write(.entries) {
            try close(store, entries: try store.entries(ids: ids, zone: nil, forUpdate: true), ids: ids, reason: reason, date: date,
                      note: note, actor: actor, today: today)
        }
    }

    /// Closing, once the entries are held.
    private static func close(_ store: any LedgerStore, entries: [LedgerEntry], ids: [String], reason: String, date: Day,
                              note: String?, actor: String?, today: Day) throws -> Int {
        let byId = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let unknown = ids.filter { byId[$0] == nil }
        guard unknown.isEmpty else {
            throw LandWatchError.data("no ledger entry \(unknown.joined(separator: ", ")) in \(store.label): nothing was closed")
        }
        let closed = ids.filter { LedgerStateMachine.event(for: .close, from: byId[$0]!.state) == nil }
        guard closed.isEmpty else {
            throw LandWatchError.data("already closed: \(closed.joined(separator: ", ")); nothing was closed")
        }
        var change = LedgerChange()
        let last = try store.lastEvents(of: Array(Set(ids)))
        for id in Set(ids).sorted() {
            var e = byId[id]!
            if let problem = LedgerDates.problem(date, entry: e, last: last[id], today: today) {
                throw LandWatchError.data("\(Setting.date) \(date): \(problem); nothing was closed")
            }
            change.events.append(LedgerStateMachine.record(.closed, on: &e, date: date, reason: reason, note: LedgerWorkflow.trimmed(note),
                                                           actor: actor))
            change.updated.append(e)
        }
        try store.apply(change)
        return change.updated.count
    }

    /// A field-verification result.
    public enum Result: String, CaseIterable { case fixed, notFixed = "not-fixed", falsePositive = "false-positive" }

    /// Applies a CSV of field checks (columns id, result, date, note): `fixed` closes an entry
    /// (reason `verified`), `false-positive` closes it as 误报, `not-fixed` keeps or puts it back
    /// on the ledger (a closed entry relapses). Every wrong line is reported with its number.
    /// The CSV is UTF-8, or in `encoding`, or else GB18030 (Excel on Chinese Windows saves GBK).
    public static func verify(_ store: any LedgerStore, csv path: String,
                              deadlineDays: Int = IngestOptions.Spec.deadlineDays.defaultValue, actor: String? = nil,
                              encoding: String? = nil, today: Day = .today) throws -> [String: Int] {
        let (rows, columns) = try CSVText.read(path, encoding: encoding, required: ["id", "result", "date"], optional: ["note"])
        let (idCol, resultCol, dateCol, noteCol) = (columns["id"]!, columns["result"]!, columns["date"]!, columns["note"])
        let ids = rows.dropFirst().compactMap { $0.indices.contains(idCol) ? $0[idCol].trimmingCharacters(in: .whitespaces) : nil }
        return try store.write(.entries) {
            let held = try store.entries(ids: ids, zone: nil, forUpdate: true)
            return try apply(rows, to: Dictionary(held.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }), in: store, file: path,
                             columns: (idCol, resultCol, dateCol, noteCol), deadlineDays: deadlineDays, actor: actor,
                             last: try store.lastEvents(of: held.map(\.id)), today: today)
        }
    }

    /// Applies the CSV's rows to the held entries: all of them, or none when a line is wrong.
    private static func apply(_ rows: [[String]], to held: [String: LedgerEntry], in store: any LedgerStore, file path: String,
                              columns: (id: Int, result: Int, date: Int, note: Int?), deadlineDays: Int,
                              actor: String?, last lastEvents: [String: LedgerEvent], today: Day) throws -> [String: Int] {
        // Each entry's last event, moved on as the file's lines apply.
        var last = lastEvents
        let (idCol, resultCol, dateCol, noteCol) = columns
        var entries = held
        var problems: [String] = []
        var change = LedgerChange()
        var counts: [String: Int] = [:]
        var touched: [String: LedgerEntry] = [:]
        for (n, row) in rows.enumerated().dropFirst() where !row.allSatisfy({ $0.isEmpty }) {
            let line = n + 1
            func cell(_ i: Int) -> String { i < row.count ? row[i].trimmingCharacters(in: .whitespaces) : "" }
            let id = cell(idCol)
            guard var e = entries[id] else { problems.append("line \(line): no entry \"\(id)\""); continue }
            guard let result = Result(rawValue: cell(resultCol)) else {
                problems.append("line \(line): result \"\(cell(resultCol))\" is not fixed, not-fixed or false-positive"); continue
            }
            guard let date = Day(cell(dateCol)) else {
                problems.append("line \(line): date \"\(cell(dateCol))\" is not a YYYY-MM-DD"); continue
            }
            if let problem = LedgerDates.problem(date, entry: e, last: last[id], today: today) {
                problems.append("line \(line): \(problem)"); continue
            }
            let note = noteCol.map(cell).flatMap { $0.isEmpty ? nil : $0 }
            if let note, let problem = LedgerText.problem(note, as: .note) { problems.append("line \(line): \(problem)"); continue }
            let action: LedgerAction = result == .notFixed ? .verifyNotFixed : .verifyFixed
            guard let kind = LedgerStateMachine.event(for: action, from: e.state) else {
                problems.append("line \(line): \(id) is already closed"); continue
            }
            let reason: String? = switch (result, kind) {
            case (.fixed, _): "verified"
            case (.falsePositive, _): "误报"
            case (.notFixed, .relapsed): "verified-not-fixed"
            default: nil
            }
            let event = LedgerStateMachine.record(kind, on: &e, date: date, reason: reason, note: note,
                                                  due: kind == .relapsed ? date.adding(days: deadlineDays) : nil, actor: actor)
            entries[id] = e
            touched[id] = e
            counts[result.rawValue, default: 0] += 1
            last[id] = event
            change.events.append(event)
        }
        guard problems.isEmpty else {
            throw LandWatchError.data("\"\(path)\": \(problems.joined(separator: "; ")); nothing was applied")
        }
        change.updated = touched.keys.sorted().map { touched[$0]! }
        try store.apply(change)
        return counts
    }
}
