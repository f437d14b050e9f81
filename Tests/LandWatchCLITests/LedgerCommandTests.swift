import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger
import Testing
import TestSupport

/// The ledger on the three sample months, and its survival of kills and concurrent writers.
@Suite(.serialized) struct LedgerCommandTests {
    let dir = Fixtures.temporaryDirectory("ledger-cli")
    var ledger: String { dir + "/ledger.gpkg" }

    func ingest(_ month: String, env: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
        try Fixtures.run(["ledger", "ingest", "--ledger", ledger, "--zones", "Data/daxing_towns.gpkg",
                          "Data/bare_land_2026\(month).shp", "--date", "2026-\(month)-25", "--class-field", "lx"])
    }

    /// The ledger's content as text: entries, events and batches (bytes may differ after a
    /// rolled-back transaction; the content must not).
    func content() throws -> String {
        let d = try Dataset(path: ledger)
        return try ["SELECT id, state, misses, relapses, due_on, closed_on, area_m2 FROM patches ORDER BY id",
                    "SELECT seq, patch, date, event FROM events ORDER BY seq", "SELECT batch, sha256 FROM batches ORDER BY batch"]
            .map { sql in try d.execute(sql).map { $0.values.map(\.description).joined(separator: "|") }.joined(separator: "\n") }
            .joined(separator: "\n--\n")
    }

    @Test func anUnknownZoneIsAnErrorListingTheZones() throws {
        #expect(try ingest("08").code == 0)
        let r = try Fixtures.run(["ledger", "status", "--ledger", ledger, "--zone", "安定"])
        #expect(r.code == 64 && r.err.contains("no entries under zone \"安定\"") && r.err.contains("安定镇, "), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1)
        #expect(try Fixtures.run(["ledger", "status", "--ledger", ledger, "--zone", "安定镇"]).code == 0)
    }

    /// The planning bureau's sample file of land types, then the ranking by class. The figures
    /// come from the sample file and August's ingest: three of its ids get 在建工地 and all three
    /// are carried after August (no closure yet), 2 get 拆迁腾退地.
    @Test func theSampleLandTypesAreAppliedAndRanked() throws {
        #expect(try ingest("08").code == 0)
        let applied = try Fixtures.run(["ledger", "classify", "Samples/land_classes_202610.csv", "--ledger", ledger, "--date", "2026-10-28",
                                        "--actor", "规自科"])
        #expect(applied.code == 0 && applied.err == "landwatch: classified 10 entries into 5 classes\n", "\(applied.err)")
        let report = try Fixtures.run(["ledger", "report", "--ledger", ledger, "--from", "2026-08-01", "--to", "2026-10-31",
                                       "--by", "class", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(report.out.utf8)) as? [[String: Any]])
        #expect(rows.first.map { Set($0.keys) } == ["class", "open_start", "opened", "redetected", "suspected", "closed", "relapsed",
                                                  "open_end", "overdue", "reported", "open_area_mu", "closure_rate_pct"])
        #expect(rows.first { $0["class"] as? String == "在建工地" }?["open_end"] as? Int == 3)
        #expect(rows.first { $0["class"] as? String == "拆迁腾退地" }?["open_end"] as? Int == 2)
        #expect(try Fixtures.run(["ledger", "check", "--ledger", ledger]).code == 0)
        let wrong = dir + "/wrong.csv"
        try "id,class\nDX-202608-0001,\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let refused = try Fixtures.run(["ledger", "classify", wrong, "--ledger", ledger])
        #expect(refused.code == 65 && refused.err == "landwatch: error: \"\(wrong)\": line 2: the class is empty; nothing was applied\n")
    }

    /// An archived ledger on a read-only share: every reading command works, a writing one is
    /// refused in one line, and the file is unchanged.
    @Test func aReadOnlyLedgerCanBeRead() throws {
        #expect(try ingest("08").code == 0)
        let archive = dir + "/archive"
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        let path = archive + "/ledger.gpkg"
        try FileManager.default.copyItem(atPath: ledger, toPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: archive)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: archive) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let user = Fixtures.asUnprivilegedUser
        for command in [["ledger", "status"], ["ledger", "report", "--from", "2026-08-01", "--to", "2026-08-31"],
                        ["ledger", "history", "DX-202608-0001"], ["ledger", "check"],
                        ["ledger", "diff", "--from", "2026-08-01", "--to", "2026-08-31"], ["users", "list"]] {
            let r = try Fixtures.run(command + ["--ledger", path], launcher: user)
            #expect(r.code == 0, "\(command): \(r.err)")
        }
        let write = try Fixtures.run(["ledger", "close", "DX-202608-0001", "--reason", "苫盖", "--date", "2026-08-30", "--ledger", path],
                                     launcher: user)
        #expect(write.code == 74 && write.err == "landwatch: error: the ledger \"\(path)\" cannot be written (read-only file system or no permission): nothing was changed\n",
                "\(write.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    /// Chinese tables name states, events and yes in Chinese; JSON keeps the English terms.
    @Test func chineseTablesSpeakChinese() throws {
        #expect(try ingest("08").code == 0)
        let asOf = ["--as-of", "2026-10-01"]
        let status = try Fixtures.run(["ledger", "status", "--ledger", ledger, "--overdue", "--lang", "zh"] + asOf)
        #expect(status.code == 0 && status.out.contains("在账") && status.out.contains("是") && !status.out.contains(" open "), "\(status.out)")
        let json = try Fixtures.run(["ledger", "status", "--ledger", ledger, "--overdue", "--format", "json"] + asOf)
        #expect(json.out.contains("\"state\": \"open\"") && json.out.contains("\"overdue\": true"))
        let history = try Fixtures.run(["ledger", "history", "DX-202608-0001", "--ledger", ledger, "--lang", "zh"])
        #expect(history.out.contains("挂账") && !history.out.contains("opened"))
        let english = try Fixtures.run(["ledger", "status", "--ledger", ledger, "--overdue"] + asOf)
        #expect(english.out.contains(" open ") && english.out.contains(" yes "))
    }

    @Test func threeSampleMonthsAddUp() throws {
        for month in ["08", "09", "10"] { #expect(try ingest(month).code == 0) }
        let again = try ingest("10")
        #expect(again.code == 65 && again.err.contains("was already ingested as batch 3 (2026-10-25)"))
        let store = try GeoPackageLedgerStore(path: ledger)
        let batches = try store.batches()
        for ((from, to), batch) in zip([("2026-08-01", "2026-08-31"), ("2026-09-01", "2026-09-30"), ("2026-10-01", "2026-10-31")], batches) {
            let rows = try LedgerQueries.report(store, from: try #require(Day(from)), to: try #require(Day(to)))
            for r in rows { #expect(r.openEnd == r.openStart + r.opened + r.relapsed - r.closed) }
            // The zones' figures add up to the batch's.
            #expect(rows.reduce(0) { $0 + $1.opened } == batch.opened)
            #expect(rows.reduce(0) { $0 + $1.closed } == batch.closed)
            #expect(rows.reduce(0) { $0 + $1.suspected } == batch.missed)
        }
        // Every detection of the first month opened an entry (1212: ogrinfo's feature count).
        #expect(batches[0].opened == 1212)
        let report = try Fixtures.run(["ledger", "report", "--ledger", ledger, "--from", "2026-10-01", "--to", "2026-10-31", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(report.out.utf8)) as? [[String: Any]])
        #expect(Set(rows[0].keys) == ["zone", "open_start", "opened", "redetected", "suspected", "closed", "relapsed", "open_end",
                                      "overdue", "reported", "open_area_mu", "closure_rate_pct"])
        let status = try Fixtures.run(["ledger", "status", "--ledger", ledger, "--as-of", "2026-10-31", "--format", "json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [[String: Any]])
        #expect(Set(entries[0].keys) == ["id", "zone", "class", "state", "area_m2", "area_mu", "opened_on", "due_on", "closed_on",
                                         "days_open", "overdue", "relapses"])
        #expect(try Fixtures.run(["ledger", "check", "--ledger", ledger]).code == 0)
    }

    @Test(.tags(.slow), .fullRun) func aKilledIngestLeavesTheLedgerAsItWas() throws {
        #expect(try ingest("08").code == 0)
        let before = try content()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.binary)
        process.arguments = ["ledger", "ingest", "--ledger", ledger, "--zones", "Data/daxing_towns.gpkg",
                             "Data/bare_land_202609.shp", "--date", "2026-09-25"]
        process.currentDirectoryURL = Fixtures.root
        process.environment = ProcessInfo.processInfo.environment.merging(["LANDWATCH_FAULT_PAUSE_IN_TRANSACTION": "60"]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the transaction holds the journal, i.e. the writes are under way.
        var waited = 0.0
        while !FileManager.default.fileExists(atPath: ledger + "-journal") && waited < 30 {
            Thread.sleep(forTimeInterval: 0.05)
            waited += 0.05
        }
        #expect(FileManager.default.fileExists(atPath: ledger + "-journal"))
        // A second writer meanwhile is told, and changes nothing.
        let second = try Fixtures.run(["ledger", "close", "--ledger", ledger, "DX-202608-0001", "--reason", "绿化", "--date", "2026-09-01"])
        #expect(second.code == 74)
        #expect(second.err.contains("is being written by another process: nothing was changed"))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // The ledger is exactly as before, and consistent.
        #expect(try content() == before)
        #expect(try Fixtures.run(["ledger", "check", "--ledger", ledger]).code == 0)
        // And the month can be ingested for real afterwards.
        #expect(try ingest("09").code == 0)
    }
}
