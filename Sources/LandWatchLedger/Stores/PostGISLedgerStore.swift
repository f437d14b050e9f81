import DatabaseKit
import Foundation
import GDALKit
import LandWatchCore

/// The ledger in a PostgreSQL/PostGIS schema, shared by the bureau, the towns and QGIS. The same
/// tables as the GeoPackage (`patches` with a `geometry(MultiPolygon, 4326)` column under a GiST
/// index, `events`, `batches`, `meta`), one ledger per schema.
///
/// Writes are transactions: an ingest holds an advisory lock for its ledger (a second ingest
/// waits up to `--wait` seconds, then is refused) and locks the entries it reads; closing and
/// verifying lock only the entries they change. Readers are never blocked. Every statement is
/// parameterised; bulk rows go in with COPY.
///
/// Owns its connection; not thread-safe.
public final class PostGISLedgerStore: SQLLedgerStore {
    public let schema: String
    public let label: String
    let connection: PostgresConnection

    /// Connects and opens the ledger in `schema`, creating the schema and its tables first when
    /// `create` is true and there are none.
    /// `readOnly` makes the session read-only: a reading command can change nothing.
    public init(conninfo: String, schema: String, create: Bool = false, readOnly: Bool = false) throws {
        self.schema = schema
        let server = PostgresConnection.describe(conninfo)
        label = "schema \"\(schema)\" of \(server)"
        guard PostGISLedgerStore.isPlainName(schema) else {
            throw LandWatchError.usage("schema \"\(schema)\": a ledger's schema name is lower-case letters, digits and _, starting with a letter or _")
        }
        do {
            connection = try PostgresConnection(conninfo)
        } catch {
            throw PostGISLedgerStore.describe(error, label: label)
        }
        try guarded {
            try connection.query("SET DateStyle = 'ISO, YMD'")
            if readOnly { try connection.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY") }
            try connection.query("SELECT set_config('search_path', quote_ident($1) || ', ' || current_setting('search_path'), false)",
                                 [.text(schema)])
            guard try !connection.query("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").isEmpty else {
                throw LandWatchError.io("\(server) has no PostGIS: an administrator runs CREATE EXTENSION postgis in it; nothing was changed")
            }
            if try !exists() {
                guard create else {
                    throw LandWatchError.data("no ledger in \(label): the first `ledger ingest` creates it")
                }
                try createTables()
            }
            let version = try schemaVersion()
            if version > LedgerSchema.version {
                throw LandWatchError.data("\(label) was written by a newer LandWatch (ledger schema \(version)): upgrade LandWatch to read it")
            }
            if readOnly {
                try LedgerSchema.checkReadable(label, version: version)
            } else if version < LedgerSchema.version {
                try transaction { try upgrade(from: version) }
            }
        }
    }

    /// Whether a schema name needs no quoting (and so can stand in DDL as is).
    static func isPlainName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, s.unicodeScalars.count <= 63,
              first == "_" || ("a"..."z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    private func exists() throws -> Bool {
        try connection.query("SELECT to_regclass(quote_ident($1) || '.patches') IS NOT NULL AS present", [.text(schema)])
            .first?.int("present") == 1
    }

    /// The schema, the tables and their indexes in one transaction; the geometry column's type
    /// registers it with PostGIS, so QGIS lists `patches` as a layer.
    private func createTables() throws {
        let s = "\"\(schema)\""
        try transaction {
            try connection.query("SELECT pg_advisory_xact_lock(\(PostGISLedgerStore.lockClass), hashtext($1))", [.text(schema)])
            guard try !exists() else { return }
            for statement in [
                "CREATE SCHEMA IF NOT EXISTS \(s)",
                """
                CREATE TABLE \(s).patches (fid bigserial PRIMARY KEY, id text NOT NULL UNIQUE, zone text, class text,
                  area_m2 double precision, area_mu double precision, state text NOT NULL, opened_on date NOT NULL, due_on date,
                  closed_on date, close_reason text, first_seen date, last_seen date, times_seen integer, misses integer,
                  relapses integer, geom geometry(MultiPolygon, 4326) NOT NULL)
                """,
                "CREATE INDEX patches_geom ON \(s).patches USING gist (geom)",
                "CREATE INDEX patches_zone ON \(s).patches (zone, state)",
                """
                CREATE TABLE \(s).events (seq bigserial PRIMARY KEY, patch text NOT NULL, zone text, date date NOT NULL,
                  event text NOT NULL, batch integer, reason text, note text, state_after text NOT NULL, due_after date,
                  actor text, previous text)
                """,
                "CREATE INDEX events_patch ON \(s).events (patch, seq)",
                "CREATE INDEX events_date ON \(s).events (date, zone, event)",
                """
                CREATE TABLE \(s).batches (batch integer PRIMARY KEY, path text NOT NULL, sha256 text NOT NULL, date date NOT NULL,
                  features integer, opened integer, redetected integer, relapsed integer, missed integer, closed integer)
                """,
                "CREATE TABLE \(s).meta (key text PRIMARY KEY, value text)",
            ] + PostGISLedgerStore.version2Tables(s) { try connection.query(statement) }
            try connection.query("INSERT INTO \(s).meta (key, value) VALUES ('schema_version', $1)", [.text(String(LedgerSchema.version))])
        }
    }

    /// The tables schema 2 adds: `users` and `attachments` (photos as `bytea` since schema 4).
    private static func version2Tables(_ s: String) -> [String] {
        ["""
         CREATE TABLE \(s).users (fid bigserial PRIMARY KEY, name text NOT NULL UNIQUE, role text NOT NULL, zone text,
           password_hash text NOT NULL, created_on date, unlocked_at text)
         """,
         """
         CREATE TABLE \(s).attachments (fid bigserial PRIMARY KEY, patch text NOT NULL, date date, name text NOT NULL,
           mime text NOT NULL, size integer, sha256 text, actor text, data bytea NOT NULL)
         """,
         "CREATE INDEX attachments_patch ON \(s).attachments (patch)"]
    }

    /// Brings a ledger of an older schema up to this one, inside a transaction.
    private func upgrade(from version: Int) throws {
        let s = "\"\(schema)\""
        try connection.query("SELECT pg_advisory_xact_lock(\(PostGISLedgerStore.lockClass), hashtext($1))", [.text(schema)])
        let current = try schemaVersion()
        guard current < LedgerSchema.version else { return }
        if current < 2 {
            try connection.query("ALTER TABLE \(s).events ADD COLUMN actor text, ADD COLUMN previous text")
            for statement in PostGISLedgerStore.version2Tables(s) { try connection.query(statement) }
        } else if current < 4, try connection.query("""
            SELECT data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'attachments' AND column_name = 'data'
            """, [.text(schema)]).first?.text("data_type") == "text" {
            // Photos as bytes instead of base64 text.
            try connection.query("ALTER TABLE \(s).attachments ALTER COLUMN data TYPE bytea USING decode(data, 'base64')")
        }
        if current >= 2 && current < 5 {
            try connection.query("ALTER TABLE \(s).users ADD COLUMN IF NOT EXISTS unlocked_at text")
        }
        try connection.query("UPDATE \(s).meta SET value = $1 WHERE key = 'schema_version'", [.text(String(LedgerSchema.version))])
    }

    /// The first key of LandWatch's advisory locks ('LW'); the second is the schema's hash.
    static let lockClass = 0x4C57

    // MARK: Reading

    func rows(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        try guarded { try connection.query(sql, parameters) }
    }

    public func entries(ids: [String]?, zone: String?, forUpdate: Bool) throws -> [LedgerEntry] {
        let columns = (["fid"] + LedgerRows.patchFields.map(\.name)).joined(separator: ", ")
        var conditions: [String] = [], parameters: [SQLValue] = []
        if let ids {
            parameters.append(.text(PostgresConnection.arrayLiteral(ids)))
            conditions.append("id = ANY($\(parameters.count)::text[])")
        }
        if let zone {
            parameters.append(.text(zone))
            conditions.append("zone = $\(parameters.count)")
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try self.rows("SELECT \(columns), ST_AsBinary(geom) AS wkb FROM patches\(filter) ORDER BY fid"
                                 + (forUpdate ? " FOR NO KEY UPDATE" : ""), parameters)
        let label = self.label
        // Both cores for a whole ledger; a town's or a few entries are decoded where they are read.
        return try Parallel.map(count: rows.count, chunks: rows.count < 5000 ? 1 : Parallel.workers) { range in
            try range.map { i -> LedgerEntry in
                let r = rows[i]
                guard let wkb = r.bytes("wkb") else {
                    throw LandWatchError.data("ledger entry \(r.text("id") ?? "") in \(label) has no geometry: run `ledger check`")
                }
                return try LedgerRows.entry(r, fid: r.int("fid") ?? 0, geometry: try Geometry(wkb: wkb))
            }
        }.flatMap { $0 }
    }

    // MARK: Writing

    public func write<T>(_ lock: LedgerLock, _ body: () throws -> T) throws -> T {
        try guarded {
            try transaction {
                switch lock {
                case .ingest(let wait):
                    try takeIngestLock(wait: wait)
                    try connection.query("SET LOCAL lock_timeout = '120s'")
                case .entries:
                    try connection.query("SET LOCAL lock_timeout = '30s'")
                }
                return try body()
            }
        }
    }

    /// The ledger's ingest lock, tried every tenth of a second for up to `wait` seconds.
    private func takeIngestLock(wait: Double) throws {
        let deadline = Date().addingTimeInterval(wait)
        while true {
            let got = try connection.query("SELECT pg_try_advisory_xact_lock(\(PostGISLedgerStore.lockClass), hashtext($1)) AS got",
                                           [.text(schema)]).first?.int("got") == 1
            if got { return }
            guard Date() < deadline else {
                throw LandWatchError.io("another ingest is writing \(label): nothing was changed; run this again when it has finished, or give \(Setting.wait)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    private func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.query("BEGIN")
        do {
            let result = try body()
            try connection.query("COMMIT")
            return result
        } catch {
            _ = try? connection.query("ROLLBACK")
            throw error
        }
    }

    func run(_ sql: String, _ parameters: [SQLValue]) throws {
        try guarded { try connection.query(sql, parameters) }
    }

    public func apply(_ change: LedgerChange) throws {
        try guarded {
            try update(change.updated, newOutline: change.newOutline)
            try insert(change.inserted)
            try connection.copy(into: "events", columns: LedgerRows.eventFields.dropFirst().map(\.name), count: change.events.count) { i, line in
                PostGISLedgerStore.appendRow(LedgerRows.values(change.events[i]).map(\.sqlValue), to: &line)
            }
            for b in change.batches {
                try connection.query("INSERT INTO batches (\(LedgerRows.batchFields.map(\.name).joined(separator: ", "))) VALUES "
                                     + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", LedgerRows.values(b).map(\.sqlValue))
            }
            try insert(change.photos)
            LedgerFaults.pauseInTransaction()
        }
    }

    /// Changed entries: staged with COPY, then one `UPDATE … FROM`; a new outline replaces the
    /// stored one (a relapse), otherwise the geometry stays.
    private func update(_ entries: [LedgerEntry], newOutline: Set<String>) throws {
        guard !entries.isEmpty else { return }
        let fields = ["id", "area_m2", "area_mu"] + LedgerRows.changingFields
        let index = fields.map { name in LedgerRows.patchFields.firstIndex { $0.name == name }! }
        try connection.query("CREATE TEMP TABLE landwatch_update (\(fields.map { "\($0) \(PostGISLedgerStore.sqlType($0))" }.joined(separator: ", ")), wkb text) ON COMMIT DROP")
        let outlines = try entries.map { newOutline.contains($0.id) ? try LedgerRows.stored($0.geometry).wkb : nil }
        try connection.copy(into: "landwatch_update", columns: fields + ["wkb"], count: entries.count) { i, line in
            let values = LedgerRows.values(entries[i])
            PostGISLedgerStore.appendRow(index.map { values[$0].sqlValue } + [outlines[i].map { .text(PostGISLedgerStore.hex($0)) } ?? .null], to: &line)
        }
        let assignments = fields.dropFirst().map { "\($0) = u.\($0)" }.joined(separator: ", ")
        try connection.query("""
            UPDATE patches p SET \(assignments), geom = COALESCE(ST_GeomFromWKB(decode(u.wkb, 'hex'), 4326), p.geom)
            FROM landwatch_update u WHERE p.id = u.id
            """)
        try connection.query("DROP TABLE landwatch_update")
    }

    /// New entries, with COPY; the geometry as `SRID=4326;` and hex WKB, which PostGIS reads.
    private func insert(_ entries: [LedgerEntry]) throws {
        guard !entries.isEmpty else { return }
        let outlines = try Parallel.map(count: entries.count) { range in
            try range.map { PostGISLedgerStore.hex(try LedgerRows.stored(entries[$0].geometry).wkb) }
        }.flatMap { $0 }
        try connection.copy(into: "patches", columns: LedgerRows.patchFields.map(\.name) + ["geom"], count: entries.count) { i, line in
            PostGISLedgerStore.appendRow(LedgerRows.values(entries[i]).map(\.sqlValue) + [.text("SRID=4326;" + outlines[i])], to: &line)
        }
    }

    /// The PostgreSQL type of a `patches` field.
    private static func sqlType(_ field: String) -> String {
        switch field {
        case "area_m2", "area_mu": return "double precision"
        case "times_seen", "misses", "relapses": return "integer"
        case let f where f.hasSuffix("_on") || f.hasSuffix("_seen"): return "date"
        default: return "text"
        }
    }

    private static func appendRow(_ values: [SQLValue], to line: inout [UInt8]) {
        for (k, v) in values.enumerated() { PostgresConnection.appendCopyField(v, first: k == 0, to: &line) }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Errors

    /// Runs `body`, turning PostgreSQL's errors into one line naming the ledger.
    @discardableResult
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw PostGISLedgerStore.describe(error, label: label) }
    }

    /// One line for a PostgreSQL error, by its code: connection and permission problems and
    /// lock time-outs are file-level errors (exit 74), the rest data errors.
    static func describe(_ error: Error, label: String) -> Error {
        guard let e = error as? PostgresError else { return error }
        switch e.kind {
        case .connection:
            return LandWatchError.io("\(e.context.hasPrefix("cannot connect") ? e.context : "lost the connection to \(label)"): \(e.message); nothing was changed")
        case .permission:
            return LandWatchError.io("no permission on \(label) (SQLSTATE \(e.sqlState)): \(e.message); nothing was changed")
        case .lockTimeout:
            return LandWatchError.io("entries of \(label) are being changed by another writer (SQLSTATE \(e.sqlState)): nothing was changed; run this again")
        case .undefinedObject, .other:
            return LedgerStoreFailure(description: "\(label) (SQLSTATE \(e.sqlState)): \(e.message)", isFileProblem: false)
        }
    }
}

/// The version of the ledger's tables, the same in both stores.
public enum LedgerSchema {
    /// 1: patches, events, batches, meta. 2: events record their actor and what they replaced;
    /// `users` and `attachments` for the web application. 3: dates are DATE columns in the
    /// GeoPackage too (PostGIS had them from the start). 4: photos are bytes (BLOB, `bytea`),
    /// no longer base64 text. 5: accounts record when they were last unlocked.
    public static let version = 5

    /// The oldest schema a reading command reads as it is (3 only typed the dates).
    static let oldestReadable = 2

    /// A ledger opened for reading is never upgraded: one older than `oldestReadable` must be
    /// upgraded by a writer first.
    static func checkReadable(_ label: String, version: Int) throws {
        guard version < oldestReadable else { return }
        throw LandWatchError.data("\(label) has ledger schema \(version), older than this LandWatch reads: "
                                  + "a writing command (ingest, close, users add) upgrades it; nothing was read")
    }
}
