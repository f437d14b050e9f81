import GDALKit

/// How a ledger write is isolated from other writers.
public enum LedgerLock: Sendable, Equatable {
    /// A monthly ingest (or a copy into the ledger): one at a time per ledger; a second one waits
    /// up to `wait` seconds and is then refused. Readers are never blocked.
    case ingest(wait: Double)
    /// A change to a few entries (close, verify, the web's actions): only the rows read with
    /// `entries(ids:forUpdate: true)` are held, until the write ends.
    case entries
}

/// Where the ledger's rows live. The rules (`LedgerIngest`, `LedgerVerification`,
/// `LedgerQueries`, `LedgerCopy`) are written once against this interface; two stores implement
/// it: `GeoPackageLedgerStore` (one file, one writer at a time) and `PostGISLedgerStore` (a shared
/// server, row locks and an advisory lock for ingest).
///
/// Both keep the same tables (`patches` with a MultiPolygon in EPSG:4326, `events`, `batches`,
/// `meta`) and answer the same SQL, so every query below is written once.
///
/// A store owns its connection or file handle; it is not thread-safe: use it from one thread at
/// a time (a write's body may hand it to another thread while it waits).
public protocol LedgerStore: AnyObject {
    /// The ledger for messages: a quoted path, or schema, database and server (never a password).
    var label: String { get }

    /// The rows of a read query in the SQL both stores speak, with `$1`, `$2` … parameters.
    func rows(_ sql: String, _ parameters: [FieldValue]) throws -> [Feature]

    /// Entries in the order they were opened: every one, or those with the given ids, or in the
    /// given zone. Inside a `.entries` write, `forUpdate` holds them until the write ends.
    func entries(ids: [String]?, zone: String?, forUpdate: Bool) throws -> [LedgerEntry]

    /// Runs `body` in one transaction under `lock`: all of its changes or none of them.
    func write<T>(_ lock: LedgerLock, _ body: () throws -> T) throws -> T

    /// Writes a change; call it inside `write`.
    func apply(_ change: LedgerChange) throws

    /// Runs a statement that changes rows (of `users`, `attachments`, `meta`), with `$1`, `$2` …
    /// parameters; call it inside `write`.
    func run(_ sql: String, _ parameters: [FieldValue]) throws
}

extension LedgerStore {
    /// Every entry, in the order they were opened.
    public func entries() throws -> [LedgerEntry] { try entries(ids: nil, zone: nil, forUpdate: false) }

    /// The columns of `events`, in the order both stores keep them.
    static var eventColumns: String { "seq, patch, zone, date, event, batch, reason, note, state_after, due_after, actor, previous" }

    /// Events (of one entry, or all), oldest first.
    public func events(of patch: String? = nil) throws -> [LedgerEvent] {
        let rows = try patch.map { try self.rows("SELECT \(Self.eventColumns) FROM events WHERE patch = $1 ORDER BY seq", [.string($0)]) }
            ?? self.rows("SELECT \(Self.eventColumns) FROM events ORDER BY seq", [])
        return try rows.map(LedgerRows.event)
    }

    /// Every ingested batch, oldest first.
    public func batchList() throws -> [LedgerBatch] {
        try rows("SELECT batch, path, sha256, date, features, opened, redetected, relapsed, missed, closed FROM batches ORDER BY batch", [])
            .map(LedgerRows.batch)
    }

    /// Whether the ledger holds no entry, event or batch.
    public func isEmpty() throws -> Bool {
        try rows("SELECT (SELECT COUNT(*) FROM patches) + (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM batches) AS n", [])
            .first?["n"]?.number == 0
    }

    /// The highest number used in ids `PREFIX-YYYYMM-NNNN`, 0 when none.
    public func lastNumber(prefix: String, yearMonth: String) throws -> Int {
        let stem = "\(prefix)-\(yearMonth)-"
        // LIKE narrows the rows (its wildcards in a prefix only widen it); the prefix test decides.
        let rows = try self.rows("SELECT id FROM patches WHERE id LIKE $1", [.string(stem + "%")])
        return rows.compactMap { $0["id"].flatMap { $0.description.hasPrefix(stem) ? Int($0.description.dropFirst(stem.count)) : nil } }.max() ?? 0
    }

    /// The last event of each entry dated on or before a day (entries opened later are absent).
    private static var lastEventAsOf: String {
        """
        FROM events e
        JOIN (SELECT patch, MAX(seq) AS last FROM events WHERE date <= $1 GROUP BY patch) l ON e.patch = l.patch AND e.seq = l.last
        """
    }

    /// Where each entry stood at the end of a day: its state and due date after its last event
    /// dated on or before `day` (entries opened later are absent).
    public func states(asOf day: Day) throws -> [String: (state: LedgerState, due: Day?)] {
        let rows = try self.rows("SELECT e.patch AS patch, e.state_after AS state_after, e.due_after AS due_after \(Self.lastEventAsOf)",
                                 [.string(day.description)])
        var out: [String: (LedgerState, Day?)] = [:]
        for r in rows {
            guard let patch = r["patch"]?.description, let state = r["state_after"].flatMap({ LedgerState(rawValue: $0.description) }) else { continue }
            out[patch] = (state, r["due_after"].flatMap { Day($0.description) })
        }
        return out
    }

    /// Per group: how many entries, how many past due on `day`, and their area (summed exactly
    /// in hundredths of a square metre, as stored, so both stores give the same figure).
    private static func groupSums(state: String, due: String, area: String) -> String {
        "COUNT(*) AS n, SUM(CASE WHEN \(due) < $1 THEN 1 ELSE 0 END) AS overdue, SUM(CAST(ROUND(\(area) * 100) AS INTEGER)) AS area_cm, "
            + "SUM(CASE WHEN \(state) = 'reported' THEN 1 ELSE 0 END) AS reported"
    }

    /// Per zone (or class), the entries carried (open or suspected) at the end of a day.
    func carried(asOf day: Day, by grouping: LedgerQueries.Grouping) throws -> [GroupCount] {
        let column = "p.\(grouping.rawValue)"
        return try rows("""
            SELECT \(column) AS grp, \(Self.groupSums(state: "e.state_after", due: "e.due_after", area: "p.area_m2")) \(Self.lastEventAsOf)
            JOIN patches p ON p.id = e.patch
            WHERE e.state_after IN (\(LedgerState.carriedSQL))
            GROUP BY \(column)
            """, [.string(day.description)]).map(GroupCount.init)
    }

    /// Per zone (or class), the entries carried now (the `patches` table as it stands), with
    /// those past due on `day`: valid as of any day on or after the last event.
    func carriedNow(dueBefore day: Day, by grouping: LedgerQueries.Grouping) throws -> [GroupCount] {
        let column = grouping.rawValue
        return try rows("""
            SELECT \(column) AS grp, \(Self.groupSums(state: "state", due: "due_on", area: "area_m2")) FROM patches
            WHERE state IN (\(LedgerState.carriedSQL)) GROUP BY \(column)
            """, [.string(day.description)]).map(GroupCount.init)
    }

    /// Per zone (or class) and event kind, the events dated within [from, to]: `grp`, `event`,
    /// `n`. Events keep their zone; their class is the entry's as it stands.
    func eventCounts(from: Day, to: Day, by grouping: LedgerQueries.Grouping) throws -> [Feature] {
        let period = [FieldValue.string(from.description), .string(to.description)]
        switch grouping {
        case .zone:
            return try rows("SELECT zone AS grp, event, COUNT(*) AS n FROM events WHERE date >= $1 AND date <= $2 GROUP BY zone, event", period)
        case .landClass:
            return try rows("""
                SELECT p.class AS grp, e.event AS event, COUNT(*) AS n FROM events e JOIN patches p ON p.id = e.patch
                WHERE e.date >= $1 AND e.date <= $2 GROUP BY p.class, e.event
                """, period)
        }
    }

    /// Each entry's latest event (date and kind), for the entries given.
    func lastEvents(of ids: [String]) throws -> [String: (date: Day, kind: String)] {
        guard !ids.isEmpty else { return [:] }
        let list = ids.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let rows = try self.rows("""
            SELECT e.patch AS patch, e.date AS date, e.event AS event FROM events e
            JOIN (SELECT patch, MAX(seq) AS last FROM events WHERE patch IN (\(list)) GROUP BY patch) l ON e.patch = l.patch AND e.seq = l.last
            """, ids.map(FieldValue.string))
        var out: [String: (date: Day, kind: String)] = [:]
        for r in rows {
            if let patch = r["patch"]?.description, let date = r["date"].flatMap({ Day($0.description) }) {
                out[patch] = (date, r["event"]?.description ?? "")
            }
        }
        return out
    }

    /// The zones entries are kept under, sorted.
    func zoneNames() throws -> [String] {
        try rows("SELECT DISTINCT zone FROM patches WHERE zone IS NOT NULL ORDER BY zone", []).compactMap { $0["zone"]?.description }
    }

    /// The date of the latest event, if any.
    func lastEventDate() throws -> Day? {
        try rows("SELECT MAX(date) AS d FROM events", []).first?["d"].flatMap { Day($0.description) }
    }

    /// Ids held by more than one entry, with how many.
    func duplicateIds() throws -> [(String, Int)] {
        try rows("SELECT id, COUNT(*) AS n FROM patches GROUP BY id HAVING COUNT(*) > 1 ORDER BY id", []).map {
            ($0["id"]?.description ?? "", Int($0["n"]?.number ?? 0))
        }
    }
}

/// One zone's (or class's) row of a per-group count.
struct GroupCount {
    var group: String?
    var n: Int
    var overdue: Int
    var area: Double
    /// Of them, reported fixes awaiting verification.
    var reported: Int

    init(_ f: Feature) {
        group = f["grp"].flatMap { $0.isNull ? nil : $0.description }
        n = Int(f["n"]?.number ?? 0)
        overdue = Int(f["overdue"]?.number ?? 0)
        area = (f["area_cm"]?.number ?? 0) / 100
        reported = Int(f["reported"]?.number ?? 0)
    }
}

/// Rows of the ledger's tables as values, the same for both stores.
enum LedgerRows {
    /// The fields of `patches`, in order.
    static let patchFields: [FieldDefinition] = [
        .init("id", .string), .init("zone", .string), .init("class", .string), .init("area_m2", .real),
        .init("area_mu", .real), .init("state", .string), .init("opened_on", .date), .init("due_on", .date),
        .init("closed_on", .date), .init("close_reason", .string), .init("first_seen", .date),
        .init("last_seen", .date), .init("times_seen", .integer), .init("misses", .integer), .init("relapses", .integer),
    ]
    /// The fields an update can change (the others are set when an entry is opened).
    static let changingFields = ["class", "state", "due_on", "closed_on", "close_reason", "last_seen", "times_seen", "misses", "relapses"]

    static let eventFields: [FieldDefinition] = [
        .init("seq", .integer64), .init("patch", .string), .init("zone", .string), .init("date", .date), .init("event", .string),
        .init("batch", .integer), .init("reason", .string), .init("note", .string), .init("state_after", .string),
        .init("due_after", .date), .init("actor", .string), .init("previous", .string),
    ]
    static let batchFields: [FieldDefinition] = [
        .init("batch", .integer), .init("path", .string), .init("sha256", .string), .init("date", .date),
        .init("features", .integer), .init("opened", .integer), .init("redetected", .integer),
        .init("relapsed", .integer), .init("missed", .integer), .init("closed", .integer),
    ]

    static let userFields: [FieldDefinition] = [
        .init("name", .string), .init("role", .string), .init("zone", .string), .init("password_hash", .string), .init("created_on", .date),
    ]
    static let attachmentFields: [FieldDefinition] = [
        .init("patch", .string), .init("date", .date), .init("name", .string), .init("mime", .string), .init("size", .integer),
        .init("sha256", .string), .init("actor", .string), .init("data", .string),
    ]

    /// An entry from a `patches` row carrying its geometry.
    static func entry(_ f: Feature) throws -> LedgerEntry {
        func text(_ k: String) -> String? { f[k].flatMap { $0.isNull ? nil : $0.description } }
        func day(_ k: String) -> Day? { text(k).flatMap(Day.init) }
        func int(_ k: String) -> Int { Int(f[k]?.number ?? 0) }
        guard let id = text("id"), let state = text("state").flatMap(LedgerState.init), let opened = day("opened_on"),
              let geometry = f.geometry else {
            throw LandWatchError.data("ledger entry \(text("id") ?? String(f.fid)) is incomplete (id, state, opened_on or geometry missing): run `ledger check`")
        }
        return LedgerEntry(fid: f["fid"]?.number.map { Int64($0) } ?? f.fid, id: id, zone: text("zone"), className: text("class"),
                           area: f["area_m2"]?.number ?? 0, state: state, openedOn: opened, dueOn: day("due_on"), closedOn: day("closed_on"),
                           closeReason: text("close_reason"), firstSeen: day("first_seen") ?? opened,
                           lastSeen: day("last_seen") ?? opened, timesSeen: int("times_seen"), misses: int("misses"),
                           relapses: int("relapses"), geometry: geometry)
    }

    /// The values of an entry's `patches` row, in `patchFields` order.
    static func values(_ e: LedgerEntry) -> [FieldValue] {
        func day(_ d: Day?) -> FieldValue { d.map { .string($0.description) } ?? .null }
        return [.string(e.id), e.zone.map(FieldValue.string) ?? .null, e.className.map(FieldValue.string) ?? .null,
                .real((e.area * 100).rounded() / 100), .real((e.area / AreaUnit.squareMetresPerMu * 1000).rounded() / 1000),
                .string(e.state.rawValue), day(e.openedOn), day(e.dueOn), day(e.closedOn),
                e.closeReason.map(FieldValue.string) ?? .null, day(e.firstSeen), day(e.lastSeen),
                .integer(Int64(e.timesSeen)), .integer(Int64(e.misses)), .integer(Int64(e.relapses))]
    }

    static func event(_ f: Feature) throws -> LedgerEvent {
        func text(_ k: String) -> String? { f[k].flatMap { $0.isNull ? nil : $0.description } }
        guard let patch = text("patch"), let date = text("date").flatMap(Day.init),
              let kind = text("event").flatMap(LedgerEventKind.init), let state = text("state_after").flatMap(LedgerState.init) else {
            throw LandWatchError.data("ledger event \(text("seq") ?? "") is incomplete: run `ledger check`")
        }
        return LedgerEvent(patch: patch, zone: text("zone"), date: date, kind: kind, batch: f["batch"]?.number.map { Int($0) },
                           reason: text("reason"), note: text("note"), stateAfter: state, dueAfter: text("due_after").flatMap(Day.init),
                           actor: text("actor"), previous: text("previous"))
    }

    /// The values of an event's row after `seq`, in `eventFields` order.
    static func values(_ ev: LedgerEvent) -> [FieldValue] {
        [.string(ev.patch), ev.zone.map(FieldValue.string) ?? .null, .string(ev.date.description), .string(ev.kind.rawValue),
         ev.batch.map { .integer(Int64($0)) } ?? .null, ev.reason.map(FieldValue.string) ?? .null,
         ev.note.map(FieldValue.string) ?? .null, .string(ev.stateAfter.rawValue), ev.dueAfter.map { .string($0.description) } ?? .null,
         ev.actor.map(FieldValue.string) ?? .null, ev.previous.map(FieldValue.string) ?? .null]
    }

    static func batch(_ f: Feature) -> LedgerBatch {
        func int(_ k: String) -> Int { Int(f[k]?.number ?? 0) }
        var b = LedgerBatch(number: int("batch"), path: f["path"]?.description ?? "", sha256: f["sha256"]?.description ?? "",
                            date: Day(f["date"]?.description ?? "") ?? Day(ordinal: 0), features: int("features"))
        (b.opened, b.redetected, b.relapsed, b.missed, b.closed) = (int("opened"), int("redetected"), int("relapsed"), int("missed"), int("closed"))
        return b
    }

    static func values(_ b: LedgerBatch) -> [FieldValue] {
        [.integer(Int64(b.number)), .string(b.path), .string(b.sha256), .string(b.date.description), .integer(Int64(b.features)),
         .integer(Int64(b.opened)), .integer(Int64(b.redetected)), .integer(Int64(b.relapsed)), .integer(Int64(b.missed)),
         .integer(Int64(b.closed))]
    }

    /// Geometries are stored as MultiPolygons.
    static func stored(_ g: Geometry) throws -> Geometry {
        g.kind == .multiPolygon ? g : try Geometry(shape: .multiPolygon(g.shape.polygons))
    }
}
