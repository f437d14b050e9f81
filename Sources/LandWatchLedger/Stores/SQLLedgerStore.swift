import DatabaseKit
import GDALKit
import LandWatchCore

/// What the two stores share: statements in the SQL both speak (`$1`, `$2` … parameters,
/// always bound), run by each on its own connection. Only the stores see this; the ledger's
/// rules speak `LedgerStore`.
protocol SQLLedgerStore: LedgerStore {
    /// The rows of a read statement, its parameters bound.
    func rows(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow]
    /// Runs a statement that changes rows, its parameters bound; call it inside `write`.
    func run(_ sql: String, _ parameters: [SQLValue]) throws
}

extension SQLLedgerStore {
    public func schemaVersion() throws -> Int {
        Int(try rows("SELECT value FROM meta WHERE key = 'schema_version'", []).first?.text("value") ?? "") ?? 0
    }

    // MARK: Entries

    public func lastNumber(prefix: String, yearMonth: String) throws -> Int {
        let stem = "\(prefix)-\(yearMonth)-"
        // LIKE narrows the rows (its wildcards in a prefix only widen it); the prefix test decides.
        let rows = try self.rows("SELECT id FROM patches WHERE id LIKE $1", [.text(stem + "%")])
        return rows.compactMap { $0.text("id").flatMap { $0.hasPrefix(stem) ? Int($0.dropFirst(stem.count)) : nil } }.max() ?? 0
    }

    public func zoneNames() throws -> [String] {
        try rows("SELECT DISTINCT zone FROM patches WHERE zone IS NOT NULL ORDER BY zone", []).compactMap { $0.text("zone") }
    }

    public func duplicateIds() throws -> [(id: String, count: Int)] {
        try rows("SELECT id, COUNT(*) AS n FROM patches GROUP BY id HAVING COUNT(*) > 1 ORDER BY id", []).map {
            ($0.text("id") ?? "", Int($0.int("n") ?? 0))
        }
    }

    // MARK: Events and batches

    /// The columns of `events`, in the order both stores keep them.
    static var eventColumns: String { "seq, patch, zone, date, event, batch, reason, note, state_after, due_after, actor, previous" }

    public func events(of patch: String?) throws -> [LedgerEvent] {
        let rows = try patch.map { try self.rows("SELECT \(Self.eventColumns) FROM events WHERE patch = $1 ORDER BY seq", [.text($0)]) }
            ?? self.rows("SELECT \(Self.eventColumns) FROM events ORDER BY seq", [])
        return try rows.map(LedgerRows.event)
    }

    public func lastEvents(of ids: [String]) throws -> [String: LedgerEvent] {
        guard !ids.isEmpty else { return [:] }
        let list = ids.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let rows = try self.rows("""
            SELECT \(Self.eventColumns) FROM events WHERE seq IN (SELECT MAX(seq) FROM events WHERE patch IN (\(list)) GROUP BY patch)
            """, ids.map(SQLValue.text))
        return Dictionary(try rows.map { let e = try LedgerRows.event($0); return (e.patch, e) }, uniquingKeysWith: { a, _ in a })
    }

    public func lastEventDate() throws -> Day? {
        try rows("SELECT MAX(date) AS d FROM events", []).first?.text("d").flatMap(Day.init)
    }

    /// The last event of each entry dated on or before a day (entries opened later are absent).
    private static var lastEventAsOf: String {
        """
        FROM events e
        JOIN (SELECT patch, MAX(seq) AS last FROM events WHERE date <= $1 GROUP BY patch) l ON e.patch = l.patch AND e.seq = l.last
        """
    }

    public func states(asOf day: Day) throws -> [String: (state: LedgerState, due: Day?)] {
        let rows = try self.rows("SELECT e.patch AS patch, e.state_after AS state_after, e.due_after AS due_after \(Self.lastEventAsOf)",
                                 [.text(day.description)])
        var out: [String: (LedgerState, Day?)] = [:]
        for r in rows {
            guard let patch = r.text("patch"), let state = r.text("state_after").flatMap(LedgerState.init) else { continue }
            out[patch] = (state, r.text("due_after").flatMap(Day.init))
        }
        return out
    }

    public func batches() throws -> [LedgerBatch] {
        try rows("SELECT batch, path, sha256, date, features, opened, redetected, relapsed, missed, closed FROM batches ORDER BY batch", [])
            .map(LedgerRows.batch)
    }

    public func isEmpty() throws -> Bool {
        try rows("SELECT (SELECT COUNT(*) FROM patches) + (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM batches) AS n", [])
            .first?.int("n") == 0
    }

    // MARK: Sums for the reports

    /// Per group: how many entries, how many past due on `day`, and their area (summed exactly
    /// in hundredths of a square metre, as stored, so both stores give the same figure).
    private static func groupSums(state: String, due: String, area: String) -> String {
        "COUNT(*) AS n, SUM(CASE WHEN \(due) < $1 THEN 1 ELSE 0 END) AS overdue, SUM(CAST(ROUND(\(area) * 100) AS INTEGER)) AS area_cm, "
            + "SUM(CASE WHEN \(state) = 'reported' THEN 1 ELSE 0 END) AS reported"
    }

    /// The states carried, as SQL's list (`'open', 'suspected', 'reported'`): names of the
    /// ledger's own states, never a value from outside.
    private static var carriedStates: String { LedgerState.allCases.filter(\.isCarried).map { "'\($0.rawValue)'" }.joined(separator: ", ") }

    public func carried(asOf day: Day, by grouping: LedgerGrouping) throws -> [GroupCount] {
        let column = "p.\(grouping.column)"
        return try rows("""
            SELECT \(column) AS grp, \(Self.groupSums(state: "e.state_after", due: "e.due_after", area: "p.area_m2")) \(Self.lastEventAsOf)
            JOIN patches p ON p.id = e.patch
            WHERE e.state_after IN (\(Self.carriedStates))
            GROUP BY \(column)
            """, [.text(day.description)]).map(LedgerRows.groupCount)
    }

    public func carriedNow(dueBefore day: Day, by grouping: LedgerGrouping) throws -> [GroupCount] {
        let column = grouping.column
        return try rows("""
            SELECT \(column) AS grp, \(Self.groupSums(state: "state", due: "due_on", area: "area_m2")) FROM patches
            WHERE state IN (\(Self.carriedStates)) GROUP BY \(column)
            """, [.text(day.description)]).map(LedgerRows.groupCount)
    }

    public func eventCounts(from: Day, to: Day, by grouping: LedgerGrouping) throws -> [EventCount] {
        let period = [SQLValue.text(from.description), .text(to.description)]
        let rows: [SQLRow]
        switch grouping {
        case .zone:
            rows = try self.rows("SELECT zone AS grp, event, COUNT(*) AS n FROM events WHERE date >= $1 AND date <= $2 GROUP BY zone, event", period)
        case .landClass:
            rows = try self.rows("""
                SELECT p.class AS grp, e.event AS event, COUNT(*) AS n FROM events e JOIN patches p ON p.id = e.patch
                WHERE e.date >= $1 AND e.date <= $2 GROUP BY p.class, e.event
                """, period)
        }
        return rows.compactMap { r in
            r.text("event").flatMap(LedgerEventKind.init).map { EventCount(group: r.text("grp"), kind: $0, n: Int(r.int("n") ?? 0)) }
        }
    }

    // MARK: Photos

    private static var photoColumns: String { "fid, patch, date, name, mime, size, actor" }

    public func photos(of patch: String) throws -> [LedgerAttachment] {
        try rows("SELECT \(Self.photoColumns) FROM attachments WHERE patch = $1 ORDER BY fid", [.text(patch)]).map(LedgerRows.attachment)
    }

    public func photo(number: Int64) throws -> LedgerStoredPhoto? {
        try rows("SELECT \(Self.photoColumns), sha256, data FROM attachments WHERE fid = $1", [.integer(number)]).first.map(LedgerRows.storedPhoto)
    }

    public func allPhotos() throws -> [LedgerStoredPhoto] {
        try rows("SELECT \(Self.photoColumns), sha256, data FROM attachments ORDER BY fid", []).map(LedgerRows.storedPhoto)
    }

    /// Adds photos (their numbers are the store's); call it inside `write`.
    func insert(_ photos: [LedgerStoredPhoto]) throws {
        for p in photos {
            let a = p.attachment
            try run("INSERT INTO attachments (patch, date, name, mime, size, sha256, actor, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    [.text(a.patch), SQLValue(a.date?.description), .text(a.name), .text(a.mime), .integer(Int64(a.size)),
                     .text(p.sha256), SQLValue(a.actor), .blob(p.bytes)])
        }
    }

    // MARK: Accounts

    public func accounts() throws -> [LedgerStoredAccount] {
        // Every column: a ledger of schema 2 to 4, read as it is, has no `unlocked_at` yet.
        try rows("SELECT * FROM users ORDER BY name", []).compactMap(LedgerRows.account)
    }

    public func account(named name: String) throws -> LedgerStoredAccount? {
        try rows("SELECT * FROM users WHERE name = $1", [.text(name)]).first.flatMap(LedgerRows.account)
    }

    public func add(_ a: LedgerStoredAccount) throws {
        try run("INSERT INTO users (name, role, zone, password_hash, created_on, unlocked_at) VALUES ($1, $2, $3, $4, $5, $6)",
                [.text(a.account.name), .text(a.account.role.rawValue), SQLValue(a.account.zone), .text(a.passwordHash),
                 SQLValue(a.createdOn?.description), SQLValue(a.unlockedAt)])
    }

    public func update(_ a: LedgerStoredAccount) throws {
        try run("UPDATE users SET role = $1, zone = $2, password_hash = $3, unlocked_at = $4 WHERE name = $5",
                [.text(a.account.role.rawValue), SQLValue(a.account.zone), .text(a.passwordHash), SQLValue(a.unlockedAt), .text(a.account.name)])
    }

    public func removeAccount(named name: String) throws {
        try run("DELETE FROM users WHERE name = $1", [.text(name)])
    }
}

extension LedgerGrouping {
    /// The `patches` column grouped by.
    var column: String { self == .zone ? "zone" : "class" }
}
