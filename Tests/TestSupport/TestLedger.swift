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

    /// The arguments of a test run on both backends: the GeoPackage always, PostGIS when it can
    /// run (`TestPostgres.shouldRun`: a server is given, or `CI=true`, where a missing server then
    /// fails the PostGIS case). A trait cannot skip one argument of a parameterised test, so the
    /// PostGIS case is left out of the list instead, and `PostGISCaseTests` (tagged `.postgres`)
    /// shows the skip in the output.
    public static var available: [LedgerBackend] { TestPostgres.shouldRun ? allCases : [.geoPackage] }
}

/// The PostgreSQL server the tests use: `LANDWATCH_TEST_PG` holds its libpq connection string
/// (`make test` starts a throwaway cluster and sets it). Without it, the tests that need it are
/// skipped, and reported as skipped (`.postgresServer`, `LedgerBackend.available`), except under
/// `CI=true`, where they run and fail.
public enum TestPostgres {
    public static let variable = "LANDWATCH_TEST_PG"

    public static var conninfo: String? { ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 } }

    /// Whether tests that need the server run: when one is given, and always under `CI=true`.
    public static var shouldRun: Bool { conninfo != nil || TestRun.underCI }

    /// Whether the PostGIS side of a test can run. When it cannot, records a failure: under CI
    /// because the server is missing; elsewhere because the test got this far without one,
    /// i.e. it lacks `.postgresServer` or takes its backends from `allCases` instead of
    /// `LedgerBackend.available` (it would otherwise return early and be reported as passed).
    public static func available(_ test: String = #function) -> Bool {
        if conninfo != nil { return true }
        if TestRun.underCI {
            Issue.record("\(variable) is not set: PostgreSQL tests cannot run (make test starts a server)")
        } else {
            Issue.record("\(test) reached the PostGIS side without \(variable): give it `.tags(.postgres), .postgresServer` or the arguments `LedgerBackend.available`")
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
