import Foundation
import GDALKit
import LandWatchCore
import Testing
import TestSupport

/// The ledger on PostGIS beside the GeoPackage: the same answers to the byte, copies both ways,
/// concurrent writers, kills and connection troubles, all against a real server.
@Suite(.serialized) struct LedgerBackendsTests {
    let dir = Fixtures.temporaryDirectory("ledger-backends")

    @discardableResult
    func landwatch(_ arguments: [String], environment: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
        try Fixtures.run(arguments, environment: environment)
    }

    func ingest(_ ledger: String, _ month: String, extra: [String] = []) throws -> (code: Int32, out: String, err: String) {
        try landwatch(["ledger", "ingest", "--ledger", ledger, "--zones", "Data/daxing_towns.gpkg", "Data/bare_land_2026\(month).shp",
                       "--date", "2026-\(month)-25", "--class-field", "lx"] + extra)
    }

    /// The three sample months, a verification file and two closures.
    func sampleStory(_ ledger: String) throws {
        for month in ["08", "09", "10"] { #expect(try ingest(ledger, month).code == 0) }
        let csv = dir + "/verify.csv"
        try "id,result,date,note\nDX-202608-0003,fixed,2026-10-28,已苫盖\nDX-202608-0010,not-fixed,2026-10-28,\"仍裸露, 复查\"\nDX-202609-0002,false-positive,2026-10-29,\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try landwatch(["ledger", "verify", "--ledger", ledger, csv]).code == 0)
        #expect(try landwatch(["ledger", "close", "--ledger", ledger, "DX-202608-0001", "DX-202608-0002", "--reason", "绿化",
                               "--date", "2026-10-30", "--note", "it's done; '; DROP TABLE patches; --"]).code == 0)
    }

    /// Every read command's JSON.
    func answers(_ ledger: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let reads: [(String, [String])] = [
            ("report-aug", ["report", "--from", "2026-08-01", "--to", "2026-08-31"]),
            ("report-sep", ["report", "--from", "2026-09-01", "--to", "2026-09-30"]),
            ("report-oct", ["report", "--from", "2026-10-01", "--to", "2026-10-31"]),
            ("report-all", ["report", "--from", "2026-08-01", "--to", "2026-12-31"]),
            ("status", ["status", "--as-of", "2026-10-31"]),
            ("status-sep", ["status", "--as-of", "2026-09-30", "--zone", "西红门镇"]),
            ("history", ["history", "DX-202608-0001"]),
            ("history-verified", ["history", "DX-202608-0010"]),
            ("diff", ["diff", "--from", "2026-09-01", "--to", "2026-10-31"]),
        ]
        for (name, arguments) in reads {
            let r = try landwatch(["ledger"] + arguments + ["--ledger", ledger, "--format", "json"])
            #expect(r.code == 0, "\(name): \(r.err)")
            out[name] = r.out
        }
        return out
    }

    @Test(.tags(.postgres), .postgresServer) func theSameAnswersOnBothBackendsAndCopiesBothWays() throws {
        guard let pg = TestLedger(.postGIS, in: dir), let gpkg = TestLedger(.geoPackage, in: dir) else { return }
        try sampleStory(gpkg.location)
        try sampleStory(pg.location)
        let expected = try answers(gpkg.location)
        #expect(expected["report-oct"]!.count > 1000 && expected["status"]!.contains("西红门镇"))
        #expect(try answers(pg.location) == expected)
        #expect(try landwatch(["ledger", "check", "--ledger", pg.location]).code == 0)

        // GeoPackage → PostGIS → GeoPackage: every answer the same, ids unchanged.
        guard let copy = TestLedger(.postGIS, in: dir) else { return }
        let back = dir + "/back.gpkg"
        let first = try landwatch(["ledger", "copy", gpkg.location, copy.location])
        #expect(first.code == 0 && first.err.contains("copied"), "\(first.err)")
        #expect(try landwatch(["ledger", "copy", copy.location, back]).code == 0)
        for ledger in [copy.location, back] {
            #expect(try landwatch(["ledger", "check", "--ledger", ledger]).code == 0)
            #expect(try answers(ledger) == expected)
        }
        #expect(try copy.dump().components(separatedBy: "\n--\n")[0] == (try pg.dump().components(separatedBy: "\n--\n")[0]))
        // A non-empty target is refused, and left as it was.
        let before = try copy.dump()
        let refused = try landwatch(["ledger", "copy", back, copy.location])
        #expect(refused.code == 65 && refused.err.contains("already holds a ledger"))
        #expect(try copy.dump() == before)
    }

    @Test(.tags(.postgres), .postgresServer) func theLedgerComesFromTheEnvironmentAndRunKeepsPasswordsOutOfTheManifest() throws {
        guard let pg = TestLedger(.postGIS, in: dir), let password = TestPostgres.option("password") else { return }
        #expect(try ingest(pg.location, "08").code == 0)
        let status = try landwatch(["ledger", "status", "--as-of", "2026-08-31", "--format", "json"], environment: ["LANDWATCH_LEDGER": pg.location])
        #expect(status.code == 0 && status.out.contains("DX-202608-1212"))
        let none = try landwatch(["ledger", "status"], environment: ["LANDWATCH_LEDGER": ""])
        #expect(none.code == 64 || none.code == 65)
        let out = dir + "/bulletin"
        let run = try landwatch(["run", "Samples/daxing.yml", "--ledger", pg.location, "--out", out])
        #expect(run.code == 0, "\(run.err)")
        let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("schema=\(pg.schema)") && !manifest.contains(password))
        #expect(!run.err.contains(password))
    }

    @Test(.tags(.postgres, .slow), .postgresServer, .fullRun) func writersAtOnceOnPostGIS() throws {
        guard let pg = TestLedger(.postGIS, in: dir) else { return }
        #expect(try ingest(pg.location, "08").code == 0)
        // While September's ingest holds its transaction (its rows written, paused before the
        // commit): a second ingest is refused at once; 8 processes close and 8 verify distinct
        // entries, waiting for the rows the ingest holds.
        let ingest = try Background(["ledger", "ingest", "--ledger", pg.location, "--zones", "Data/daxing_towns.gpkg",
                                     "Data/bare_land_202609.shp", "--date", "2026-09-25"],
                                    environment: ["LANDWATCH_FAULT_PAUSE_IN_TRANSACTION": "3"])
        try waitForAPausedWrite()
        var writers: [Background] = []
        for i in 0..<16 {
            let id = "DX-202608-0\(100 + i)"
            if i < 8 {
                writers.append(try Background(["ledger", "close", "--ledger", pg.location, id, "--reason", "苫盖", "--date", "2026-09-26"]))
            } else {
                let csv = dir + "/v\(i).csv"
                try "id,result,date,note\n\(id),fixed,2026-09-26,writer \(i)\n".write(toFile: csv, atomically: true, encoding: .utf8)
                writers.append(try Background(["ledger", "verify", "--ledger", pg.location, csv]))
            }
        }
        let second = try landwatch(["ledger", "ingest", "--ledger", pg.location, "--zones", "Data/daxing_towns.gpkg",
                                    "Data/bare_land_202610.shp", "--date", "2026-10-25"])
        let results = writers.map { $0.wait() }
        let ingested = ingest.wait()
        #expect(ingested.code == 0, "\(ingested.err)")
        #expect(second.code == 74 && second.err.contains("another ingest is writing"), "\(second.err)")
        for (i, r) in results.enumerated() {
            #expect(r.code == 0 || r.code == 74, "writer \(i): \(r.err)")
            #expect(r.err.split(separator: "\n").count == 1, "writer \(i): \(r.err)")
            let id = "DX-202608-0\(100 + i)"
            let closes = try pg.execute("SELECT COUNT(*) AS n FROM events WHERE patch = '\(id)' AND event = 'closed' AND date = '2026-09-26'")
            #expect(closes.first?.int("n") == (r.code == 0 ? 1 : 0), "writer \(i)")
        }
        #expect(results.allSatisfy { $0.code == 0 })
        #expect(try landwatch(["ledger", "check", "--ledger", pg.location]).code == 0)
    }

    @Test(.tags(.postgres), .postgresServer) func twoWritersOnOneEntryOneWins() throws {
        guard let pg = TestLedger(.postGIS, in: dir) else { return }
        #expect(try ingest(pg.location, "08").code == 0)
        let writers = try (0..<2).map { i in
            try Background(["ledger", "close", "--ledger", pg.location, "DX-202608-0007", "--reason", i == 0 ? "苫盖" : "绿化",
                            "--date", "2026-09-0\(i + 1)"])
        }
        let results = writers.map { $0.wait() }.sorted { $0.code < $1.code }
        #expect(results.map(\.code) == [0, 65], "\(results.map(\.err))")
        #expect(results[1].err.contains("already closed: DX-202608-0007; nothing was closed"))
        #expect(try pg.execute("SELECT COUNT(*) AS n FROM events WHERE patch = 'DX-202608-0007' AND event = 'closed'").first?.int("n") == 1)
        #expect(try landwatch(["ledger", "check", "--ledger", pg.location]).code == 0)
    }

    @Test(.tags(.postgres, .slow), .postgresServer, .fullRun) func aKilledIngestLeavesThePostGISLedgerAsItWas() throws {
        guard let pg = TestLedger(.postGIS, in: dir) else { return }
        #expect(try ingest(pg.location, "08").code == 0)
        let before = try pg.dump()
        let process = try Background(["ledger", "ingest", "--ledger", pg.location, "--zones", "Data/daxing_towns.gpkg",
                                      "Data/bare_land_202609.shp", "--date", "2026-09-25"],
                                     environment: ["LANDWATCH_FAULT_PAUSE_IN_TRANSACTION": "60"])
        try waitForAPausedWrite()
        process.kill()
        #expect(process.wait().code != 0)
        // The server rolls the transaction back when the connection drops.
        var waited = 0.0
        while waited < 10, try !TestPostgres.connect().query("SELECT 1 FROM pg_stat_activity WHERE state = 'idle in transaction'").isEmpty {
            Thread.sleep(forTimeInterval: 0.1)
            waited += 0.1
        }
        #expect(try pg.dump() == before)
        #expect(try landwatch(["ledger", "check", "--ledger", pg.location]).code == 0)
        #expect(try ingest(pg.location, "09").code == 0)
    }

    @Test(.tags(.postgres, .slow), .postgresServer, .fullRun) func theNextCommandWorksAfterTheServerRestarts() throws {
        guard TestPostgres.available() else { return }
        // A cluster of this test's own, so that restarting it cuts no other test's connection.
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let ledger = "PG:\(cluster.conninfo) schema=restarted"
        #expect(try ingest(ledger, "08").code == 0)
        let before = try landwatch(["ledger", "report", "--ledger", ledger, "--from", "2026-08-01", "--to", "2026-08-31", "--format", "json"])
        try cluster.restart()
        let after = try landwatch(["ledger", "report", "--ledger", ledger, "--from", "2026-08-01", "--to", "2026-08-31", "--format", "json"])
        #expect(after.code == 0 && after.out == before.out, "\(after.err)")
        #expect(try ingest(ledger, "09").code == 0)
        #expect(try landwatch(["ledger", "check", "--ledger", ledger]).code == 0)
    }

    @Test(.tags(.slow), .fullRun, arguments: LedgerBackend.available) func aSecondIngestIsRefusedOrWaits(_ backend: LedgerBackend) throws {
        guard let ledger = TestLedger(backend, in: dir, name: "wait-\(backend)") else { return }
        #expect(try ingest(ledger.location, "08").code == 0)
        let first = try Background(["ledger", "ingest", "--ledger", ledger.location, "--zones", "Data/daxing_towns.gpkg",
                                    "Data/bare_land_202609.shp", "--date", "2026-09-25"],
                                   environment: ["LANDWATCH_FAULT_PAUSE_IN_TRANSACTION": "4"])
        if backend == .postGIS { try waitForAPausedWrite() } else { try waitForAJournal(ledger.location) }
        let refused = try ingest(ledger.location, "10")
        #expect(refused.code == 74 && refused.err.split(separator: "\n").count == 1, "\(refused.err)")
        #expect(refused.err.contains(backend == .postGIS ? "another ingest is writing" : "is being written by another process"), "\(refused.err)")
        let waited = try ingest(ledger.location, "10", extra: ["--wait", "60"])
        #expect(first.wait().code == 0)
        #expect(waited.code == 0, "\(waited.err)")
        #expect(try ledger.execute("SELECT COUNT(*) AS n FROM batches").first?.int("n") == 3)
        #expect(try landwatch(["ledger", "check", "--ledger", ledger.location]).code == 0)
    }

    /// Waits until a GeoPackage write has begun (SQLite's rollback journal exists).
    func waitForAJournal(_ path: String) throws {
        var waited = 0.0
        while waited < 60, !FileManager.default.fileExists(atPath: path + "-journal") && !FileManager.default.fileExists(atPath: path + "-wal") {
            Thread.sleep(forTimeInterval: 0.05)
            waited += 0.05
        }
        #expect(waited < 60)
        Thread.sleep(forTimeInterval: 0.5)
    }

    /// Waits until a write has written its rows and holds its transaction open (the fault pause).
    func waitForAPausedWrite() throws {
        var waited = 0.0
        while waited < 60, try TestPostgres.connect().query(
            "SELECT 1 FROM pg_stat_activity WHERE state = 'idle in transaction' AND query LIKE 'INSERT INTO batches%'").isEmpty {
            Thread.sleep(forTimeInterval: 0.1)
            waited += 0.1
        }
        #expect(waited < 60)
    }

    @Test(.tags(.postgres), .postgresServer) func connectionTroublesGiveOneLineWithoutThePassword() throws {
        guard TestPostgres.available(), let host = TestPostgres.option("host"), let port = TestPostgres.option("port"),
              let password = TestPostgres.option("password"), let pg = TestLedger(.postGIS, in: dir) else { return }
        #expect(try ingest(pg.location, "08").code == 0)
        // A port where nothing listens: the server is down.
        let closedPort = "1"
        let cases: [(String, String, String)] = [
            ("server down", "PG:host=\(host) port=\(closedPort) dbname=landwatch_test user=landwatch password=\(password)", "landwatch_test"),
            ("wrong password", "postgresql://landwatch:wrong-\(password)@\(host):\(port)/landwatch_test", "landwatch_test"),
            ("missing database", "PG:host=\(host) port=\(port) dbname=no_such_db user=landwatch password=\(password)", "no_such_db"),
            ("no PostGIS", "PG:host=\(host) port=\(port) dbname=landwatch_nopostgis user=landwatch password=\(password)", "landwatch_nopostgis"),
        ]
        for (name, ledger, database) in cases {
            let r = try landwatch(["ledger", "status", "--ledger", ledger])
            #expect(r.code == 74, "\(name): \(r.err)")
            #expect(r.err.split(separator: "\n").count == 1 && r.err.contains("\"\(database)\"") && r.err.contains(host), "\(name): \(r.err)")
            #expect(!r.err.contains(password), "\(name)")
        }
        // A role that may read but not write: reading works, closing is refused and changes nothing.
        try pg.execute("GRANT USAGE ON SCHEMA \(pg.schema) TO reader")
        try pg.execute("GRANT SELECT ON ALL TABLES IN SCHEMA \(pg.schema) TO reader")
        let reader = "PG:host=\(host) port=\(port) dbname=landwatch_test user=reader schema=\(pg.schema)"
        #expect(try landwatch(["ledger", "report", "--ledger", reader, "--from", "2026-08-01", "--to", "2026-08-31"],
                              environment: ["PGPASSWORD": "reader"]).code == 0)
        let before = try pg.dump()
        let refused = try landwatch(["ledger", "close", "--ledger", reader, "DX-202608-0001", "--reason", "绿化", "--date", "2026-09-01"],
                                    environment: ["PGPASSWORD": "reader"])
        #expect(refused.code == 74 && refused.err.contains("no permission") && refused.err.contains("landwatch_test"), "\(refused.err)")
        #expect(try pg.dump() == before)
    }

    @Test(.tags(.postgres), .postgresServer) func layersAreReadFromPostGIS() throws {
        guard let pg = TestLedger(.postGIS, in: dir), let conninfo = TestPostgres.conninfo else { return }
        try pg.execute("CREATE SCHEMA \(pg.schema)")
        // The sample towns and plots loaded as a bureau would, with ogr2ogr.
        for (file, table) in [("Data/daxing_towns.gpkg", "towns"), ("Data/contaminated_plots.gpkg", "plots")] {
            let load = Process()
            load.executableURL = URL(fileURLWithPath: "/usr/bin/ogr2ogr")
            load.arguments = ["-f", "PostgreSQL", "PG:\(conninfo)", file, "-nln", "\(pg.schema).\(table)", "-lco", "GEOMETRY_NAME=geom"]
            load.currentDirectoryURL = Fixtures.root
            try load.run()
            load.waitUntilExit()
            #expect(load.terminationStatus == 0)
        }
        let fromFiles = try landwatch(["coverage", "Data/bare_land_202610.shp", "--zones", "Data/daxing_towns.gpkg", "--format", "json"])
        let fromPostGIS = try landwatch(["coverage", "Data/bare_land_202610.shp", "--zones", "PG:\(conninfo)#\(pg.schema).towns", "--format", "json"])
        #expect(fromFiles.code == 0 && fromPostGIS.code == 0, "\(fromPostGIS.err)")
        #expect(fromPostGIS.out == fromFiles.out)
        let overlapFiles = try landwatch(["overlap", "Data/contaminated_plots.gpkg", "--sensitive", "Data/sensitive_landuse.geojson", "--within", "500", "--format", "json"])
        #expect(overlapFiles.code == 0 && overlapFiles.out.count > 100, "\(overlapFiles.err)")
        let overlapPG = try landwatch(["overlap", "PG:\(conninfo)#\(pg.schema).plots", "--sensitive", "Data/sensitive_landuse.geojson", "--within", "500", "--format", "json"])
        #expect(overlapPG.code == 0 && overlapPG.out == overlapFiles.out, "\(overlapPG.err)")
        // A ledger ingest from a PostGIS table of detections.
        #expect(try landwatch(["ledger", "ingest", "--ledger", pg.location, "--zones", "PG:\(conninfo)#\(pg.schema).towns",
                               "Data/bare_land_202608.shp", "--date", "2026-08-25"]).code == 0)
    }
}

/// A `landwatch` process started now and waited for later.
final class Background {
    private let process = Process()
    private let err = Pipe()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: Fixtures.binary)
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
    }

    func kill() { Foundation.kill(process.processIdentifier, SIGKILL) }

    func wait() -> (code: Int32, err: String) {
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
