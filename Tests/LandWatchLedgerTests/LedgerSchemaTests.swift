import DatabaseKit
import Foundation
import GDALKit
import LandWatchLedger
import Testing
import TestSupport

/// The two stores write their tables each in its own dialect; this holds them to one schema:
/// the same tables with the same columns, each of the same kind (GDAL puts the geometry second), on a new
/// ledger and on one upgraded from schema 1. OGR gives every GeoPackage table a `fid`; PostGIS
/// has one where the ledger numbers rows by it (entries, accounts, photos), so `fid` is compared
/// on those tables only.
@Suite(.serialized) struct LedgerSchemaTests {
    let story = LedgerTests()

    /// What a column holds, whatever the dialect calls it.
    static func kind(_ declared: String) -> String {
        switch declared.lowercased() {
        case "text", "varchar": return "text"
        case "real", "double precision", "float8": return "real"
        case "integer", "int4", "int8", "bigint", "mediumint", "smallint", "int2": return "integer"
        case "date": return "date"
        case "blob", "bytea": return "bytes"
        case "multipolygon", "geometry": return "geometry"
        default: return "other: " + declared
        }
    }

    /// Every ledger table's columns in order, with their kinds, as the store's own catalogue says.
    static func columns(_ l: TestLedger) throws -> [String: [String]] {
        let tables = ["patches", "events", "batches", "meta", "users", "attachments"]
        var out: [String: [String]] = [:]
        for table in tables {
            switch l.backend {
            case .geoPackage:
                let rows = try Dataset(path: l.location).sqlite!.query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid", [.text(table)])
                out[table] = rows.map { "\($0.text("name") ?? "") \(kind($0.text("type") ?? ""))" }
            case .postGIS:
                let rows = try l.execute("""
                    SELECT column_name, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name ELSE data_type END AS type
                    FROM information_schema.columns WHERE table_schema = '\(l.schema)' AND table_name = '\(table)' ORDER BY ordinal_position
                    """)
                out[table] = rows.map { "\($0.text("column_name") ?? "") \(kind($0.text("type") ?? ""))" }
            }
        }
        return out
    }

    @Test(.tags(.postgres), .postgresServer) func bothStoresKeepTheSameColumns() throws {
        guard let gpkg = TestLedger(.geoPackage, in: story.dir), let pg = TestLedger(.postGIS, in: story.dir) else { return }
        try story.ingest(gpkg, "aug", "2026-08-25", LedgerTests.august)
        try story.ingest(pg, "aug", "2026-08-25", LedgerTests.august)
        try Self.expectSameColumns(gpkg, pg)
    }

    @Test func anUpgradedLedgerKeepsTheSameColumnsAsANewOne() throws {
        for backend in LedgerBackend.available {
            guard let fresh = TestLedger(backend, in: story.dir, name: "fresh"), let old = TestLedger(backend, in: story.dir, name: "old") else { continue }
            try story.ingest(fresh, "aug", "2026-08-25", LedgerTests.august)
            try story.ingest(old, "aug", "2026-08-25", LedgerTests.august)
            // Back to schema 1 as LandWatch wrote it, then opened by a writer.
            for sql in ["DROP TABLE users", "DROP TABLE attachments", "ALTER TABLE events DROP COLUMN actor",
                        "ALTER TABLE events DROP COLUMN previous", "UPDATE meta SET value = '1' WHERE key = 'schema_version'"] {
                try old.execute(sql)
            }
            _ = try old.open()
            let (a, b) = (try Self.columns(fresh), try Self.columns(old))
            for table in a.keys.sorted() { #expect(a[table]?.sorted() == b[table]?.sorted(), "\(backend) \(table)") }
        }
    }

    static func expectSameColumns(_ gpkg: TestLedger, _ pg: TestLedger) throws {
        let numbered: Set<String> = ["patches", "users", "attachments"]
        let (a, b) = (try columns(gpkg), try columns(pg))
        #expect(a["patches"]?.first == "fid integer" && a["attachments"]?.last == "data bytes")
        for table in a.keys.sorted() {
            func compared(_ c: [String]?) -> [String] { (c ?? []).filter { numbered.contains(table) || $0 != "fid integer" }.sorted() }
            #expect(compared(a[table]) == compared(b[table]), "\(table): GeoPackage \(a[table] ?? []) against PostGIS \(b[table] ?? [])")
        }
    }
}
