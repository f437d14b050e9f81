import DatabaseKit
import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger
import Testing

/// The two homes of a ledger, for suites that must give the same answers on both.
public enum LedgerBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case geoPackage, postGIS

    public var testDescription: String { rawValue }
}

/// The PostgreSQL server the tests use: `LANDWATCH_TEST_PG` holds its libpq connection string
/// (`make test` starts a throwaway cluster and sets it). Without it, PostGIS tests are skipped
/// with a printed line, except under `CI=true`, where they fail.
public enum TestPostgres {
    public static let variable = "LANDWATCH_TEST_PG"

    public static var conninfo: String? { ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 } }

    /// Whether the PostGIS side of a test can run; records a failure under CI when it cannot.
    public static func available(_ test: String = #function) -> Bool {
        if conninfo != nil { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("\(variable) is not set: PostgreSQL tests cannot run (make test starts a server)")
        } else {
            print("skipped (no \(variable); run `make test`): \(test) on PostGIS")
        }
        return false
    }

    /// An option of the test server's connection string (`host`, `port`, `dbname`, …).
    public static func option(_ key: String) -> String? {
        conninfo?.split(separator: " ").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.first { $0.first == key }?.last
    }

    /// A connection to the test server's database.
    public static func connect() throws -> PostgresConnection { try PostgresConnection(conninfo ?? "") }
}

/// A ledger of one backend for one test: a GeoPackage in the test's folder, or a new schema on
/// the test server.
public struct TestLedger: Sendable {
    public let backend: LedgerBackend
    /// What `--ledger` takes.
    public let location: String
    public let schema: String

    /// A new ledger; nil when the backend is PostGIS and no server is available (see `TestPostgres`).
    public init?(_ backend: LedgerBackend, in directory: String, name: String = "ledger") {
        self.backend = backend
        schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        switch backend {
        case .geoPackage:
            location = directory + "/\(name).gpkg"
        case .postGIS:
            guard TestPostgres.available(), let conninfo = TestPostgres.conninfo else { return nil }
            location = "PG:\(conninfo) schema=\(schema)"
        }
    }

    /// Runs SQL on the ledger's tables directly, as an analyst editing them in QGIS or psql would.
    @discardableResult
    public func execute(_ sql: String) throws -> [SQLRow] {
        switch backend {
        case .geoPackage:
            // Through GDAL's own SQL, as ogrinfo or QGIS would (GDAL keeps its tables' metadata).
            return try Dataset(path: location, update: true).execute(sql).map { f in
                SQLRow(columns: SQLColumns(f.schema.fields.map(\.name)), values: f.values.map(\.sqlValue))
            }
        case .postGIS:
            let c = try TestPostgres.connect()
            try c.query("SET search_path TO \(schema), public")
            return try c.query(sql)
        }
    }

    /// Everything the ledger holds, as text: entries, events, batches (the same before and after a
    /// failed write; bytes may differ after a rolled-back transaction, the content must not).
    public func dump() throws -> String {
        try ["SELECT id, zone, class, state, misses, relapses, times_seen, opened_on, due_on, closed_on, close_reason, last_seen, area_m2 FROM patches ORDER BY id",
             "SELECT seq, patch, zone, date, event, batch, reason, note, state_after, due_after FROM events ORDER BY seq",
             "SELECT batch, path, sha256, date, features FROM batches ORDER BY batch"]
            .map { sql in try execute(sql).map { $0.values.map(\.dumped).joined(separator: "|") }.joined(separator: "\n") }
            .joined(separator: "\n--\n")
    }
}

extension SQLValue {
    /// The value as text for a dump: numbers as both stores give them, bytes as their count.
    public var dumped: String {
        switch self {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .text(let s): return s
        case .blob(let b): return "\(b.count) bytes"
        }
    }
}

extension TestLedger {
    /// Opens the ledger through LandWatch, as the commands do.
    public func open(create: Bool = false) throws -> any LedgerStore {
        try LedgerLocation(parsing: location).open(create: create)
    }
}
