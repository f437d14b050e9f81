import Foundation
import GDALKit
import LandWatchCore

/// Reading the ledger for people: status, the per-zone report, one entry's history, what changed
/// in a period, and the consistency check.
public enum LedgerQueries {
    static let zoneColumn = Column("zone", en: "Zone", zh: "镇街", nullText: ("(outside all zones)", "(区外)"))

    // MARK: status

    public struct StatusFilter: Sendable {
        public var asOf: Day
        public var zone: String?
        public var state: LedgerState?
        public var overdueOnly = false
        /// Only entries of this class (land type).
        public var className: String?
        /// Only these entries.
        public var ids: [String]?
        public init(asOf: Day) { self.asOf = asOf }
    }

    /// Entries as they stood at the end of `asOf`; the rows and the matching entries (for maps).
    public static func status(_ store: any LedgerStore, _ filter: StatusFilter) throws -> (Table, [OutputFeature]) {
        // As of a day on or after the last event, every entry stands as stored: no history to
        // replay, and a town's entries are one indexed read.
        let current = try store.lastEventDate().map { filter.asOf >= $0 } ?? true
        let entries = try store.entries(ids: filter.ids, zone: filter.zone, forUpdate: false)
        let states = current ? Dictionary(entries.map { ($0.id, (state: $0.state, due: $0.dueOn)) }, uniquingKeysWith: { a, _ in a })
            : try store.states(asOf: filter.asOf)
        var table = Table(title: "ledger status", zh: "台账", columns: [
            Column("id", en: "ID", zh: "编号"), zoneColumn, Column("class", en: "Class", zh: "类型"),
            Column("state", en: "State", zh: "状态"), Column("area_m2", en: "Area (m²)", zh: "面积(m²)"),
            Column("area_mu", en: "Area (mu)", zh: "面积(亩)", decimals: 3),
            Column("opened_on", en: "Opened", zh: "挂账日期"), Column("due_on", en: "Due", zh: "整改期限"),
            Column("closed_on", en: "Closed", zh: "销账日期"), Column("days_open", en: "Days open", zh: "在账天数", decimals: 0),
            Column("overdue", en: "Overdue", zh: "超期"), Column("relapses", en: "Relapses", zh: "反弹次数", decimals: 0),
        ])
        var features: [OutputFeature] = []
        for e in entries {
            guard let (state, due) = states[e.id] else { continue }
            let closedOn = state == .closed ? e.closedOn.map { min($0, filter.asOf) } : nil
            let overdue = state.isCarried && (due.map { $0 < filter.asOf } ?? false)
            if let s = filter.state, s != state { continue }
            if let c = filter.className, c != e.className { continue }
            if filter.overdueOnly && !overdue { continue }
            let days = (closedOn ?? filter.asOf) - e.openedOn
            let row: [Cell] = [.text(e.id), Cell(e.zone), Cell(e.className), state.cell, .number(e.area),
                               .number(e.area / AreaUnit.squareMetresPerMu), .text(e.openedOn.description), Cell(due?.description),
                               Cell(closedOn?.description), .int(days), .flag(overdue), .int(e.relapses)]
            table.rows.append(row)
            features.append(OutputFeature(zip(table.columns, row).map { ($0.key, $1.json(decimals: $0.decimals)) }, geometry: e.geometry))
        }
        return (table, features)
    }

    /// Refuses a zone no entry is kept under, listing those that are.
    public static func requireZone(_ store: any LedgerStore, _ zone: String) throws {
        let zones = try store.zoneNames()
        guard zones.contains(zone) else {
            throw LandWatchError.usage("no entries under zone \"\(zone)\" in \(store.label): the zones are \(zones.joined(separator: ", "))")
        }
    }

    // MARK: report

    /// One zone's (or class's) row of a report.
    public struct ReportRow: Sendable, Equatable {
        /// The zone or the class; nil for entries outside all zones (or without a class).
        public let group: String?
        public var openStart = 0, opened = 0, redetected = 0, suspected = 0, closed = 0, relapsed = 0
        /// Carried at the end of the period; of them, overdue, and reported fixes awaiting verification.
        public var openEnd = 0, overdue = 0, reported = 0
        public var openArea = 0.0

        public var closureRate: Double? {
            let base = openStart + opened
            return base > 0 ? 100 * Double(closed) / Double(base) : nil
        }
    }

    /// One row per zone (or class) for the period [from, to]: entries carried at its start and
    /// end, the events dated within it, what is overdue at its end. Ranked by what is carried at
    /// the end. Counted by the database itself, so a year of events at 100k entries stays quick.
    /// By class, an entry counts under the class it has now (the planning bureau's latest).
    public static func report(_ store: any LedgerStore, from: Day, to: Day, by grouping: LedgerGrouping = .zone) throws -> [ReportRow] {
        guard from <= to else { throw LandWatchError.usage("the period starts on \(from), after it ends on \(to)") }
        var rows: [String: ReportRow] = [:]
        func key(_ group: String?) -> String { group ?? "\u{0}" }
        func touch(_ k: String) { if rows[k] == nil { rows[k] = ReportRow(group: k == "\u{0}" ? nil : k) } }
        // A period ending after the last event ends with the ledger as it stands, and its start
        // follows from the events within it: no need to replay the history.
        let current = try store.lastEventDate().map { to >= $0 } ?? true
        if !current {
            for c in try store.carried(asOf: from.adding(days: -1), by: grouping) {
                touch(key(c.group))
                rows[key(c.group)]!.openStart += c.n
            }
        }
        for c in try store.eventCounts(from: from, to: to, by: grouping) {
            let k = key(c.group), n = c.n
            touch(k)
            switch c.kind {
            case .opened: rows[k]!.opened += n
            case .redetected: rows[k]!.redetected += n
            case .missed: rows[k]!.suspected += n
            case .closed, .approved: rows[k]!.closed += n
            case .relapsed, .reopened: rows[k]!.relapsed += n
            default: break
            }
        }
        for c in try current ? store.carriedNow(dueBefore: to, by: grouping) : store.carried(asOf: to, by: grouping) {
            let k = key(c.group)
            touch(k)
            rows[k]!.openEnd += c.n
            rows[k]!.overdue += c.overdue
            rows[k]!.reported += c.reported
            rows[k]!.openArea += c.area
        }
        if current {
            for k in rows.keys { rows[k]!.openStart = rows[k]!.openEnd - rows[k]!.opened - rows[k]!.relapsed + rows[k]!.closed }
        }
        return rows.values.sorted {
            ($1.openEnd, $1.overdue, $0.group ?? "\u{10FFFF}") < ($0.openEnd, $0.overdue, $1.group ?? "\u{10FFFF}")
        }
    }

    /// The report as a table; its first column is `zone` or `class` as grouped.
    public static func reportTable(_ rows: [ReportRow], by grouping: LedgerGrouping = .zone) -> Table {
        let first = grouping == .zone ? zoneColumn : Column("class", en: "Class", zh: "类型", nullText: ("(no class)", "(未分类)"))
        var t = Table(title: "ledger report", zh: "挂销账统计", columns: [
            first, Column("open_start", en: "Open at start", zh: "期初在账", decimals: 0),
            Column("opened", en: "Opened", zh: "新增挂账", decimals: 0), Column("redetected", en: "Redetected", zh: "复查仍在", decimals: 0),
            Column("suspected", en: "Suspected", zh: "疑似销账", decimals: 0), Column("closed", en: "Closed", zh: "销账", decimals: 0),
            Column("relapsed", en: "Relapsed", zh: "反弹", decimals: 0), Column("open_end", en: "Open at end", zh: "期末在账", decimals: 0),
            Column("overdue", en: "Overdue", zh: "超期", decimals: 0),
            Column("reported", en: "Reported fixed", zh: "申请销账", decimals: 0), Column("open_area_mu", en: "Open area (mu)", zh: "在账面积(亩)", decimals: 3),
            Column("closure_rate_pct", en: "Closure rate (%)", zh: "销账率(%)", decimals: 2),
        ])
        t.rows = rows.map { r in
            [Cell(r.group), .int(r.openStart), .int(r.opened), .int(r.redetected), .int(r.suspected), .int(r.closed), .int(r.relapsed),
             .int(r.openEnd), .int(r.overdue), .int(r.reported), .number(r.openArea / AreaUnit.squareMetresPerMu), r.closureRate.map(Cell.number) ?? .null]
        }
        return t
    }

    // MARK: history and diff

    public static func history(_ store: any LedgerStore, id: String) throws -> Table {
        let events = try store.events(of: id)
        guard !events.isEmpty else { throw LandWatchError.data("no ledger entry \"\(id)\" in \(store.label)") }
        var t = Table(title: "history", zh: "台账历史", columns: [
            Column("date", en: "Date", zh: "日期"), Column("event", en: "Event", zh: "事件"), Column("batch", en: "Batch", zh: "批次", decimals: 0),
            Column("reason", en: "Reason", zh: "原因"), Column("note", en: "Note", zh: "备注"), Column("state", en: "State after", zh: "事件后状态"),
            Column("due_on", en: "Due", zh: "整改期限"), Column("actor", en: "By", zh: "操作人"),
            Column("previous", en: "Before", zh: "原值"),
        ])
        t.rows = events.map { e in
            [.text(e.date.description), e.kind.cell, e.batch.map(Cell.int) ?? .null, Cell(e.reason), Cell(e.note),
             e.stateAfter.cell, Cell(e.dueAfter?.description), Cell(e.actor), Cell(e.previous)]
        }
        return t
    }

    /// Entries whose state at the end of `to` differs from their state before `from`.
    public static func diff(_ store: any LedgerStore, from: Day, to: Day) throws -> (Table, [OutputFeature]) {
        let before = try store.states(asOf: from.adding(days: -1)), after = try store.states(asOf: to)
        var t = Table(title: "ledger diff", zh: "台账变化", columns: [
            Column("id", en: "ID", zh: "编号"), zoneColumn, Column("class", en: "Class", zh: "类型"),
            Column("old_state", en: "Before", zh: "原状态", nullText: ("(new)", "(新增)")), Column("new_state", en: "After", zh: "现状态"),
            Column("area_m2", en: "Area (m²)", zh: "面积(m²)"),
        ])
        var features: [OutputFeature] = []
        for e in try store.entries() {
            guard let now = after[e.id]?.state, before[e.id]?.state != now else { continue }
            let row: [Cell] = [.text(e.id), Cell(e.zone), Cell(e.className), before[e.id]?.state.cell ?? .null, now.cell, .number(e.area)]
            t.rows.append(row)
            features.append(OutputFeature(zip(t.columns, row).map { ($0.key, $1.json(decimals: $0.decimals)) }, geometry: e.geometry))
        }
        return (t, features)
    }

    // MARK: check

    /// Problems found: every entry's stored fields must follow from its events, ids must be unique,
    /// every event must belong to an entry. Empty when the ledger is consistent.
    public static func check(_ store: any LedgerStore) throws -> [String] {
        var problems: [String] = []
        for (id, n) in try store.duplicateIds() {
            problems.append("id \(id) is used by \(n) entries")
        }
        let entries = try store.entries()
        let byPatch = Dictionary(grouping: try store.events(), by: \.patch)
        let ids = Set(entries.map(\.id))
        for patch in byPatch.keys.sorted() where !ids.contains(patch) {
            problems.append("events name \(patch), which is not on the ledger")
        }
        for e in entries {
            problems += replayProblems(e, byPatch[e.id] ?? [])
        }
        return problems
    }

    /// Replays an entry's events and lists where the stored entry disagrees.
    static func replayProblems(_ e: LedgerEntry, _ events: [LedgerEvent]) -> [String] {
        guard let first = events.first, first.kind == .opened else { return ["\(e.id): its history does not start with `opened`"] }
        // The entry as its events make it, by the state machine's own rule.
        var replayed = e
        var problems: [String] = []
        var previous: LedgerEvent?
        for ev in events {
            if let p = previous, ev.date < p.date {
                problems.append("\(e.id): event \(ev.kind.rawValue) on \(ev.date) comes after \(p.kind.rawValue) on \(p.date)")
            }
            previous = ev
            replayed.follow(ev)
            if ev.stateAfter != replayed.state {
                problems.append("\(e.id): event \(ev.kind.rawValue) on \(ev.date) records \(ev.stateAfter.rawValue), its history gives \(replayed.state.rawValue)")
            }
        }
        func differs<T: Equatable>(_ name: String, _ stored: T, _ replayed: T) {
            if stored != replayed { problems.append("\(e.id): \(name) is \(stored) but its events give \(replayed)") }
        }
        differs("state", e.state.rawValue, replayed.state.rawValue)
        differs("misses", e.misses, replayed.misses)
        differs("relapses", e.relapses, replayed.relapses)
        differs("due_on", e.dueOn?.description ?? "null", replayed.dueOn?.description ?? "null")
        differs("closed_on", e.closedOn?.description ?? "null", replayed.closedOn?.description ?? "null")
        differs("close_reason", e.closeReason ?? "null", replayed.closeReason ?? "null")
        differs("class", e.className ?? "null", replayed.className ?? "null")
        return problems
    }
}
