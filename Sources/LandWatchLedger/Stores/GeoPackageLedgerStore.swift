import DatabaseKit
import Foundation
import GDALKit
import LandWatchCore

/// The ledger in one GeoPackage that QGIS opens as is: the embedded default. Every write is one
/// SQLite transaction: a process killed half-way leaves the ledger exactly as it was, and a
/// second writer meanwhile is refused (or waits, for an ingest given `--wait`).
///
/// Every statement is prepared on the SQLite connection GDAL holds for the file, its values
/// bound, and runs in the same transaction as GDAL's own writes (the outlines in `patches`).
///
/// Owns its GDAL dataset; not thread-safe.
public final class GeoPackageLedgerStore: SQLLedgerStore {
    public let path: String
    public var label: String { "\"\(path)\"" }
    var dataset: Dataset
    var patches: Layer
    var events: Layer
    var batches: Layer
    /// GDAL's connection to the file, for the statements.
    var sql: SQLiteConnection

    /// Opens a ledger, creating it first when `create` is true and there is none; `readOnly`
    /// opens it for reading only (a file or folder that cannot be written is then fine).
    public init(path: String, create: Bool = false, readOnly: Bool = false) throws {
        self.path = path
        do {
            if !FileManager.default.fileExists(atPath: path) {
                guard create else {
                    throw LandWatchError.data("no ledger at \"\(path)\": the first `ledger ingest` creates it")
                }
                try GeoPackageLedgerStore.createFile(path)
            }
            if !readOnly { try GeoPackageLedgerStore.checkWritable(path) }
            (dataset, patches, events, batches, sql) = try GeoPackageLedgerStore.openLayers(path, update: !readOnly)
            let version = try schemaVersion()
            if version > LedgerSchema.version {
                throw LandWatchError.data("\"\(path)\" was written by a newer LandWatch (ledger schema \(version)): upgrade LandWatch to read it")
            }
            if readOnly {
                try LedgerSchema.checkReadable(label, version: version)
            } else if version < LedgerSchema.version {
                // One transaction a step, the layers opened afresh after each: GDAL rebuilds
                // tables in step 3 from the schema it knows.
                for step in (version + 1)...LedgerSchema.version {
                    try dataset.transaction { try GeoPackageLedgerStore.upgrade(dataset, sql, to: step) }
                    (dataset, patches, events, batches, sql) = try GeoPackageLedgerStore.openLayers(path)
                }
            }
        } catch {
            throw GeoPackageLedgerStore.diskError(error, path: path) ?? LandWatchError.from(error)
        }
    }

    /// SQLite's disk troubles, said for people: another writer, a full or read-only disk,
    /// decided on SQLite's result code (which GDALKit keeps in the error).
    static func diskError(_ error: Error, path: String) -> LandWatchError? {
        switch (error as? GDALError)?.sqliteResult ?? (error as? SQLiteError)?.result {
        case .busy:
            return .io("the ledger \"\(path)\" is being written by another process: nothing was changed; run this again when it has finished")
        case .full:
            return .io("the disk holding the ledger \"\(path)\" is full: nothing was changed; free some space and run this again")
        case .readOnly:
            return readOnly(path)
        case .other, nil:
            return nil
        }
    }

    private static func readOnly(_ path: String) -> LandWatchError {
        .io("the ledger \"\(path)\" cannot be written (read-only file system or no permission): nothing was changed")
    }

    private static func openLayers(_ path: String, update: Bool = true) throws -> (Dataset, Layer, Layer, Layer, SQLiteConnection) {
        let dataset = try Dataset(path: path, update: update)
        guard Set(["patches", "events", "batches", "meta"]).isSubset(of: dataset.layerNames) else {
            throw LandWatchError.data("\"\(path)\" is not a LandWatch ledger (it lacks the patches, events, batches and meta layers)")
        }
        // A large page cache: one ingest rewrites most of the file in one transaction, and
        // spilling pages to disk half-way costs more than the memory.
        guard let sql = dataset.sqlite else { throw LandWatchError.data("\"\(path)\" is not a GeoPackage") }
        try sql.execute("PRAGMA cache_size = -524288")
        return (dataset, try dataset.layer(named: "patches"), try dataset.layer(named: "events"), try dataset.layer(named: "batches"), sql)
    }

    /// Brings a ledger of an older schema up to this one, inside a transaction.
    private static func upgrade(_ d: Dataset, _ sql: SQLiteConnection, to step: Int) throws {
        switch step {
        case 2:
            // Who did each event, what it replaced; accounts and photos for the web application.
            try d.execute("ALTER TABLE events ADD COLUMN actor TEXT")
            try d.execute("ALTER TABLE events ADD COLUMN previous TEXT")
            try d.execute("CREATE INDEX IF NOT EXISTS patches_zone ON patches(zone, state)")
            try createVersion2Tables(d)
        case 3:
            // Dates as GeoPackage DATE columns, so that QGIS filters them as dates; the values
            // (ISO text) stay as they are.
            let tables = [("patches", LedgerRows.patchFields), ("events", LedgerRows.eventFields), ("batches", LedgerRows.batchFields),
                          ("users", LedgerRows.userFields), ("attachments", LedgerRows.attachmentFields)]
            for (table, fields) in tables {
                let layer = try d.layer(named: table)
                for field in fields where field.type == .date && layer.schema.fields.first(where: { $0.name == field.name })?.type != .date {
                    try layer.alterFieldType(field.name, to: .date)
                }
            }
        case 5:
            // When an account was last unlocked (`users unlock`).
            if try d.layer(named: "users").schema.index(of: "unlocked_at") == nil { try d.execute("ALTER TABLE users ADD COLUMN unlocked_at TEXT") }
        case 4:
            // Photos as bytes (a BLOB column) instead of base64 text.
            try d.layer(named: "attachments").alterFieldType("data", to: .binary)
            let update = try sql.prepare("UPDATE attachments SET data = $1 WHERE fid = $2")
            for row in try sql.query("SELECT fid, data FROM attachments WHERE typeof(data) = 'text'") {
                guard let text = row.text("data"), let bytes = Data(base64Encoded: text), let fid = row.int("fid") else {
                    throw LandWatchError.data("photo \(row.int("fid") ?? 0) of the ledger is not base64: run `ledger check`; nothing was upgraded")
                }
                try update.run([.blob([UInt8](bytes)), .integer(fid)])
            }
        default:
            break
        }
        try sql.execute("UPDATE meta SET value = $1 WHERE key = 'schema_version'", [.text(String(step))])
    }

    /// The tables schema 2 adds: `users` and `attachments`.
    private static func createVersion2Tables(_ d: Dataset) throws {
        _ = try d.createLayer("users", crs: nil, geometryKind: nil, fields: LedgerRows.userFields)
        _ = try d.createLayer("attachments", crs: nil, geometryKind: nil, fields: LedgerRows.attachmentFields)
        try d.execute("CREATE UNIQUE INDEX users_name ON users(name)")
        try d.execute("CREATE INDEX attachments_patch ON attachments(patch)")
    }

    /// Refuses early when the ledger's folder cannot take SQLite's journal.
    private static func checkWritable(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if access(folder.isEmpty ? "." : folder, W_OK) != 0 || access(path, W_OK) != 0 {
            throw readOnly(path)
        }
    }

    /// Creates the file under a temporary name, then renames it: no half-made ledger is left.
    private static func createFile(_ path: String) throws {
        let temporary = TemporaryFile.path(beside: path)
        try? FileManager.default.removeItem(atPath: temporary)
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let d = try Dataset(creating: temporary, driver: "GPKG")
            _ = try d.createLayer("patches", crs: CRS.wgs84, geometryKind: .multiPolygon, fields: LedgerRows.patchFields)
            _ = try d.createLayer("events", crs: nil, geometryKind: nil, fields: LedgerRows.eventFields)
            _ = try d.createLayer("batches", crs: nil, geometryKind: nil, fields: LedgerRows.batchFields)
            let meta = try d.createLayer("meta", crs: nil, geometryKind: nil, fields: [.init("key", .string), .init("value", .string)])
            try meta.insert([.string("schema_version"), .string(String(LedgerSchema.version))])
            try d.execute("CREATE UNIQUE INDEX patches_id ON patches(id)")
            try d.execute("CREATE INDEX patches_zone ON patches(zone, state)")
            try d.execute("CREATE INDEX events_patch ON events(patch, seq)")
            try d.execute("CREATE INDEX events_date ON events(date, zone, event)")
            try createVersion2Tables(d)
        }
        do {
            try TemporaryFile.moveIntoPlace(temporary, to: path)
        } catch let error as GDALError {
            throw LandWatchError.io("cannot create the ledger \"\(path)\": \(error.message)")
        }
    }

    // MARK: Reading

    func rows(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        do { return try self.sql.query(sql, parameters) } catch { throw GeoPackageLedgerStore.diskError(error, path: path) ?? LedgerStoreFailure.geoPackage(error) }
    }

    public func entries(ids: [String]?, zone: String?, forUpdate: Bool) throws -> [LedgerEntry] {
        guard ids != nil || zone != nil else { return try patches.readAll().map { try LedgerRows.entry($0, fid: $0.fid, geometry: $0.geometry) } }
        // A few entries, or one zone's: SQLite finds their ids by its indexes on id and zone,
        // and OGR reads each by its id.
        var conditions: [String] = [], parameters: [SQLValue] = []
        if let ids {
            guard !ids.isEmpty else { return [] }
            conditions.append("id IN (" + ids.indices.map { "$\(parameters.count + $0 + 1)" }.joined(separator: ", ") + ")")
            parameters += ids.map(SQLValue.text)
        }
        if let zone {
            parameters.append(.text(zone))
            conditions.append("zone = $\(parameters.count)")
        }
        let fids = try rows("SELECT fid FROM patches WHERE \(conditions.joined(separator: " AND ")) ORDER BY fid", parameters).compactMap { $0.int("fid") }
        return try patches.features(fids: fids).map { try LedgerRows.entry($0, fid: $0.fid, geometry: $0.geometry) }
    }

    // MARK: Writing

    func run(_ sql: String, _ parameters: [SQLValue]) throws {
        do { try self.sql.execute(sql, parameters) } catch { throw GeoPackageLedgerStore.diskError(error, path: path) ?? LedgerStoreFailure.geoPackage(error) }
    }

    public func write<T>(_ lock: LedgerLock, _ body: () throws -> T) throws -> T {
        var wait = 0.0
        if case .ingest(let seconds) = lock { wait = seconds }
        let deadline = Date().addingTimeInterval(wait)
        while true {
            var locked = false
            do {
                return try dataset.transaction {
                    try takeWriteLock()
                    locked = true
                    return try body()
                }
            } catch {
                // Another writer holds the file: try again from the start (holding nothing
                // meanwhile, so that its commit can go through) until the wait is over.
                if !locked, ((error as? GDALError)?.sqliteResult ?? (error as? SQLiteError)?.result) == .busy, Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.1)
                    continue
                }
                // A refusal of the rules (an action's error) passes through as it is.
                throw GeoPackageLedgerStore.diskError(error, path: path) ?? LedgerStoreFailure.geoPackage(error)
            }
        }
    }

    /// SQLite's write lock, taken first and without SQLite's own waiting (GDAL sets 5 s): a
    /// transaction that read before asking for it could meet another writer committing, and
    /// SQLite would then refuse it without waiting; `write` does the waiting, holding nothing.
    private func takeWriteLock() throws {
        try sql.execute("PRAGMA busy_timeout = 0")
        defer { _ = try? sql.execute("PRAGMA busy_timeout = \(GeoPackageLedgerStore.busyTimeout)") }
        try sql.execute("UPDATE meta SET value = value WHERE key = 'schema_version'")
    }

    /// Milliseconds SQLite waits for readers to finish before a commit, as GDAL sets it.
    static let busyTimeout = 5000

    public func apply(_ change: LedgerChange) throws {
        try patches.update(try change.updated.compactMap { e in
            try e.fid.map { ($0, LedgerRows.values(e), change.newOutline.contains(e.id) ? try LedgerRows.stored(e.geometry) : nil) }
        }, only: LedgerRows.changingFields)
        for e in change.inserted {
            try patches.insert(LedgerRows.values(e), geometry: try LedgerRows.stored(e.geometry))
        }
        let first = (try sql.query("SELECT MAX(seq) AS m FROM events").first?.int("m") ?? 0) + 1
        try events.insertMany(change.events.enumerated().map { i, ev in [.integer(first + Int64(i))] + LedgerRows.values(ev) })
        for b in change.batches { try batches.insert(LedgerRows.values(b)) }
        try insert(change.photos)
        LedgerFaults.pauseInTransaction()
    }
}

/// Fault injection for the crash-safety tests: `LANDWATCH_FAULT_PAUSE_IN_TRANSACTION=SECONDS`
/// holds a write's transaction open after its rows are written, so that a test can kill it.
enum LedgerFaults {
    static func pauseInTransaction() {
        if let pause = ProcessInfo.processInfo.environment["LANDWATCH_FAULT_PAUSE_IN_TRANSACTION"], let s = Double(pause) {
            Thread.sleep(forTimeInterval: s)
        }
    }
}
