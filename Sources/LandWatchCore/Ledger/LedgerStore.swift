import Foundation
import GDALKit

/// The ledger on disk: one GeoPackage that QGIS opens as is, with the layers `patches`
/// (current entries, EPSG:4326), `events` (append-only history), `batches` (ingested files) and
/// `meta` (schema version). Every change is one SQLite transaction: a process killed half-way
/// leaves the ledger exactly as it was.
///
/// Owns its GDAL dataset; not thread-safe.
public final class LedgerStore {
    public static let schemaVersion = 1
    public let path: String
    let dataset: Dataset
    let patches: Layer
    let events: Layer
    let batches: Layer

    static let patchFields: [FieldDefinition] = [
        .init("id", .string), .init("zone", .string), .init("class", .string), .init("area_m2", .real),
        .init("area_mu", .real), .init("state", .string), .init("opened_on", .string), .init("due_on", .string),
        .init("closed_on", .string), .init("close_reason", .string), .init("first_seen", .string),
        .init("last_seen", .string), .init("times_seen", .integer), .init("misses", .integer), .init("relapses", .integer),
    ]
    /// The fields an update can change (the others are set when an entry is opened).
    static let changingFields = ["state", "due_on", "closed_on", "close_reason", "last_seen", "times_seen", "misses", "relapses"]

    static let eventFields: [FieldDefinition] = [
        .init("seq", .integer64), .init("patch", .string), .init("zone", .string), .init("date", .string), .init("event", .string),
        .init("batch", .integer), .init("reason", .string), .init("note", .string), .init("state_after", .string),
        .init("due_after", .string),
    ]
    static let batchFields: [FieldDefinition] = [
        .init("batch", .integer), .init("path", .string), .init("sha256", .string), .init("date", .string),
        .init("features", .integer), .init("opened", .integer), .init("redetected", .integer),
        .init("relapsed", .integer), .init("missed", .integer), .init("closed", .integer),
    ]

    /// Opens a ledger, creating it first when `create` is true and there is none.
    public init(path: String, create: Bool = false) throws {
        self.path = path
        do {
            if !FileManager.default.fileExists(atPath: path) {
                guard create else {
                    throw LandWatchError.data("no ledger at \"\(path)\": the first `ledger ingest` creates it")
                }
                try LedgerStore.createFile(path)
            }
            dataset = try Dataset(path: path, update: true)
            guard Set(["patches", "events", "batches", "meta"]).isSubset(of: dataset.layerNames) else {
                throw LandWatchError.data("\"\(path)\" is not a LandWatch ledger (it lacks the patches, events, batches and meta layers)")
            }
            // A large page cache: one ingest rewrites most of the file in one transaction, and
            // spilling pages to disk half-way costs more than the memory.
            try dataset.execute("PRAGMA cache_size = -524288")
            patches = try dataset.layer(named: "patches")
            events = try dataset.layer(named: "events")
            batches = try dataset.layer(named: "batches")
            try checkWritable()
            let version = Int(try dataset.execute("SELECT value FROM meta WHERE key = 'schema_version'").first?["value"]?.description ?? "") ?? 0
            if version > LedgerStore.schemaVersion {
                throw LandWatchError.data("\"\(path)\" was written by a newer LandWatch (ledger schema \(version)): upgrade LandWatch to read it")
            }
        } catch {
            throw LedgerStore.diskError(error, path: path) ?? LandWatchError.from(error)
        }
    }

    /// SQLite's disk troubles, said for people: another writer, a full or read-only disk.
    static func diskError(_ error: Error, path: String) -> LandWatchError? {
        let text = "\(error)"
        if text.contains("database is locked") {
            return .io("the ledger \"\(path)\" is being written by another process: nothing was changed; run this again when it has finished")
        }
        if text.contains("database or disk is full") {
            return .io("the disk holding the ledger \"\(path)\" is full: nothing was changed; free some space and run this again")
        }
        if text.contains("Read-only") || text.contains("readonly") || text.contains("read-only") {
            return .io("the ledger \"\(path)\" cannot be written (read-only file system or no permission): nothing was changed")
        }
        return nil
    }

    /// Refuses early when the ledger's folder cannot take SQLite's journal.
    private func checkWritable() throws {
        let folder = (path as NSString).deletingLastPathComponent
        if access(folder.isEmpty ? "." : folder, W_OK) != 0 || access(path, W_OK) != 0 {
            throw LandWatchError.io("the ledger \"\(path)\" cannot be written (read-only file system or no permission): nothing was changed")
        }
    }

    /// Creates the file under a temporary name, then renames it: no half-made ledger is left.
    private static func createFile(_ path: String) throws {
        // Named .gpkg so that GDAL does not warn about the extension.
        let temporary = path + ".partial-\(getpid()).gpkg"
        try? FileManager.default.removeItem(atPath: temporary)
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let d = try Dataset(creating: temporary, driver: "GPKG")
            _ = try d.createLayer("patches", crs: CRS.wgs84, geometryKind: .multiPolygon, fields: patchFields)
            _ = try d.createLayer("events", crs: nil, geometryKind: nil, fields: eventFields)
            _ = try d.createLayer("batches", crs: nil, geometryKind: nil, fields: batchFields)
            let meta = try d.createLayer("meta", crs: nil, geometryKind: nil, fields: [.init("key", .string), .init("value", .string)])
            try meta.insert([.string("schema_version"), .string(String(schemaVersion))])
            try d.execute("CREATE UNIQUE INDEX patches_id ON patches(id)")
            try d.execute("CREATE INDEX events_patch ON events(patch, seq)")
            try d.execute("CREATE INDEX events_date ON events(date, zone, event)")
        }
        if rename(temporary, path) != 0 {
            throw LandWatchError.io("cannot create the ledger \"\(path)\": \(String(cString: strerror(errno)))")
        }
    }

    // MARK: Reading

    /// Every entry, in the order they were opened.
    public func entries() throws -> [LedgerEntry] {
        try patches.readAll().map(LedgerStore.entry)
    }

    static func entry(_ f: Feature) throws -> LedgerEntry {
        func text(_ k: String) -> String? { f[k].flatMap { $0.isNull ? nil : $0.description } }
        func day(_ k: String) -> Day? { text(k).flatMap(Day.init) }
        func int(_ k: String) -> Int { Int(f[k]?.number ?? 0) }
        guard let id = text("id"), let state = text("state").flatMap(LedgerState.init), let opened = day("opened_on"),
              let geometry = f.geometry else {
            throw LandWatchError.data("ledger entry \(f.fid) is incomplete (id, state, opened_on or geometry missing): run `ledger check`")
        }
        return LedgerEntry(fid: f.fid, id: id, zone: text("zone"), className: text("class"), area: f["area_m2"]?.number ?? 0,
                           state: state, openedOn: opened, dueOn: day("due_on"), closedOn: day("closed_on"),
                           closeReason: text("close_reason"), firstSeen: day("first_seen") ?? opened,
                           lastSeen: day("last_seen") ?? opened, timesSeen: int("times_seen"), misses: int("misses"),
                           relapses: int("relapses"), geometry: geometry)
    }

    /// Events (of one entry, or all), oldest first.
    public func events(of patch: String? = nil) throws -> [LedgerEvent] {
        let filter = patch.map { " WHERE patch = '\(LedgerStore.quoted($0))'" } ?? ""
        return try dataset.execute("SELECT * FROM events\(filter) ORDER BY seq").map(LedgerStore.event)
    }

    static func event(_ f: Feature) throws -> LedgerEvent {
        func text(_ k: String) -> String? { f[k].flatMap { $0.isNull ? nil : $0.description } }
        guard let patch = text("patch"), let date = text("date").flatMap(Day.init),
              let kind = text("event").flatMap(LedgerEventKind.init), let state = text("state_after").flatMap(LedgerState.init) else {
            throw LandWatchError.data("ledger event \(f.fid) is incomplete: run `ledger check`")
        }
        return LedgerEvent(patch: patch, zone: text("zone"), date: date, kind: kind, batch: f["batch"]?.number.map { Int($0) },
                           reason: text("reason"), note: text("note"), stateAfter: state, dueAfter: text("due_after").flatMap(Day.init))
    }

    /// Every ingested batch, oldest first.
    public func batchList() throws -> [LedgerBatch] {
        try dataset.execute("SELECT * FROM batches ORDER BY batch").map { f in
            var b = LedgerBatch(number: Int(f["batch"]?.number ?? 0), path: f["path"]?.description ?? "",
                                sha256: f["sha256"]?.description ?? "", date: Day(f["date"]?.description ?? "") ?? Day(ordinal: 0),
                                features: Int(f["features"]?.number ?? 0))
            b.opened = Int(f["opened"]?.number ?? 0)
            b.redetected = Int(f["redetected"]?.number ?? 0)
            b.relapsed = Int(f["relapsed"]?.number ?? 0)
            b.missed = Int(f["missed"]?.number ?? 0)
            b.closed = Int(f["closed"]?.number ?? 0)
            return b
        }
    }

    /// The highest number used in ids `PREFIX-YYYYMM-NNNN`, 0 when none.
    public func lastNumber(prefix: String, yearMonth: String) throws -> Int {
        let stem = "\(prefix)-\(yearMonth)-"
        let rows = try dataset.execute("SELECT id FROM patches WHERE id LIKE '\(LedgerStore.quoted(stem))%'")
        return rows.compactMap { $0["id"].flatMap { Int($0.description.dropFirst(stem.count)) } }.max() ?? 0
    }

    /// Where each entry stood at the end of a day: its state and due date after its last event
    /// dated on or before `day` (entries opened later are absent).
    public func states(asOf day: Day) throws -> [String: (state: LedgerState, due: Day?)] {
        let rows = try dataset.execute("""
            SELECT e.patch AS patch, e.state_after AS state_after, e.due_after AS due_after FROM events e
            JOIN (SELECT patch, MAX(seq) AS last FROM events WHERE date <= '\(day)' GROUP BY patch) l
            ON e.patch = l.patch AND e.seq = l.last
            """)
        var out: [String: (LedgerState, Day?)] = [:]
        for r in rows {
            guard let patch = r["patch"]?.description, let state = r["state_after"].flatMap({ LedgerState(rawValue: $0.description) }) else { continue }
            out[patch] = (state, r["due_after"].flatMap { Day($0.description) })
        }
        return out
    }

    /// Per zone, the entries carried (open or suspected) at the end of a day: `zone`, `n`,
    /// `overdue` (past due that day) and `area` (m²).
    func carried(asOf day: Day) throws -> [Feature] {
        try dataset.execute("""
            SELECT p.zone AS zone, COUNT(*) AS n, SUM(CASE WHEN e.due_after < '\(day)' THEN 1 ELSE 0 END) AS overdue,
                   SUM(p.area_m2) AS area
            FROM events e
            JOIN (SELECT patch, MAX(seq) AS last FROM events WHERE date <= '\(day)' GROUP BY patch) l
              ON e.patch = l.patch AND e.seq = l.last
            JOIN patches p ON p.id = e.patch
            WHERE e.state_after IN ('open', 'suspected')
            GROUP BY p.zone
            """)
    }

    /// Per zone and event kind, the events dated within [from, to]: `zone`, `event`, `n`
    /// (read from the covering index on date, zone, event).
    func eventCounts(from: Day, to: Day) throws -> [Feature] {
        try dataset.execute("""
            SELECT zone, event, COUNT(*) AS n FROM events WHERE date >= '\(from)' AND date <= '\(to)' GROUP BY zone, event
            """)
    }

    /// Per zone, the entries carried now (the `patches` table as it stands), with those past due
    /// on `day`: valid as of any day on or after the last event.
    func carriedNow(dueBefore day: Day) throws -> [Feature] {
        try dataset.execute("""
            SELECT zone, COUNT(*) AS n, SUM(CASE WHEN due_on < '\(day)' THEN 1 ELSE 0 END) AS overdue, SUM(area_m2) AS area
            FROM patches WHERE state IN ('open', 'suspected') GROUP BY zone
            """)
    }

    /// The date of the latest event, if any.
    func lastEventDate() throws -> Day? {
        try dataset.execute("SELECT MAX(date) AS d FROM events").first?["d"].flatMap { Day($0.description) }
    }

    static func quoted(_ s: String) -> String { s.replacingOccurrences(of: "'", with: "''") }

    // MARK: Writing

    /// Applies a change in one transaction: all of it or nothing.
    public func apply(_ change: LedgerChange) throws {
        do {
            try dataset.transaction {
                try patches.update(try change.updated.compactMap { e in
                    try e.fid.map { ($0, LedgerStore.values(e), change.newOutline.contains(e.id) ? try LedgerStore.stored(e.geometry) : nil) }
                }, only: LedgerStore.changingFields)
                for e in change.inserted {
                    try patches.insert(LedgerStore.values(e), geometry: try LedgerStore.stored(e.geometry))
                }
                let first = Int64(try dataset.execute("SELECT MAX(seq) AS m FROM events").first?["m"]?.number ?? 0) + 1
                try events.insertMany(change.events.enumerated().map { i, ev in
                    [.integer(first + Int64(i)), .string(ev.patch), ev.zone.map(FieldValue.string) ?? .null, .string(ev.date.description),
                     .string(ev.kind.rawValue),
                     ev.batch.map { .integer(Int64($0)) } ?? .null, ev.reason.map(FieldValue.string) ?? .null,
                     ev.note.map(FieldValue.string) ?? .null, .string(ev.stateAfter.rawValue),
                     ev.dueAfter.map { .string($0.description) } ?? .null]
                })
                if let b = change.batch {
                    try batches.insert([.integer(Int64(b.number)), .string(b.path), .string(b.sha256), .string(b.date.description),
                                        .integer(Int64(b.features)), .integer(Int64(b.opened)), .integer(Int64(b.redetected)),
                                        .integer(Int64(b.relapsed)), .integer(Int64(b.missed)), .integer(Int64(b.closed))])
                }
                if let pause = ProcessInfo.processInfo.environment["LANDWATCH_FAULT_PAUSE_IN_TRANSACTION"], let s = Double(pause) {
                    // Fault injection for the crash-safety tests: hold the transaction open.
                    Thread.sleep(forTimeInterval: s)
                }
            }
        } catch {
            throw LedgerStore.diskError(error, path: path) ?? LandWatchError.from(error)
        }
    }

    static func values(_ e: LedgerEntry) -> [FieldValue] {
        func day(_ d: Day?) -> FieldValue { d.map { .string($0.description) } ?? .null }
        return [.string(e.id), e.zone.map(FieldValue.string) ?? .null, e.className.map(FieldValue.string) ?? .null,
                .real((e.area * 100).rounded() / 100), .real((e.area / AreaUnit.squareMetresPerMu * 1000).rounded() / 1000),
                .string(e.state.rawValue), day(e.openedOn), day(e.dueOn), day(e.closedOn),
                e.closeReason.map(FieldValue.string) ?? .null, day(e.firstSeen), day(e.lastSeen),
                .integer(Int64(e.timesSeen)), .integer(Int64(e.misses)), .integer(Int64(e.relapses))]
    }

    /// Geometries are stored as MultiPolygons.
    static func stored(_ g: Geometry) throws -> Geometry {
        g.kind == .multiPolygon ? g : try Geometry(shape: .multiPolygon(g.shape.polygons))
    }
}
