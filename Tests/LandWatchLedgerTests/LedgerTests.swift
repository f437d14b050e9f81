import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger
import Testing
import TestSupport

/// The 挂销账 ledger: every rule on a small hand-made story, then the three sample months.
@Suite(.serialized) struct LedgerTests {
    static let zoneWKT = [
        ("A", "POLYGON((116.30 39.70, 116.32 39.70, 116.32 39.72, 116.30 39.72, 116.30 39.70))"),
        ("B", "POLYGON((116.32 39.70, 116.34 39.70, 116.34 39.72, 116.32 39.72, 116.32 39.70))"),
    ]

    static func square(_ x: Double, _ y: Double, _ size: Double = 0.001) -> String {
        "POLYGON((\(x) \(y), \(x + size) \(y), \(x + size) \(y + size), \(x) \(y + size), \(x) \(y)))"
    }

    let dir = Fixtures.temporaryDirectory("ledger")

    func zones() throws -> Zones {
        let path = dir + "/zones.gpkg"
        if !FileManager.default.fileExists(atPath: path) { try Fixtures.writePolygons(path, crs: try CRS.cgcs2000, Self.zoneWKT) }
        return try Zones.load(LayerSource(path: path), field: nil, options: ReadOptions.landWatch())
    }

    @discardableResult
    func ingest(_ l: TestLedger, _ name: String, _ date: String, _ patches: [(String, String)], closeAfter: Int = 2) throws -> LedgerBatch {
        let path = dir + "/\(name).gpkg"
        if !FileManager.default.fileExists(atPath: path) { try Fixtures.writePolygons(path, crs: try CRS.cgcs2000, patches) }
        var options = IngestOptions(date: Day(date)!)
        options.classField = "name"
        options.closeAfter = closeAfter
        return try LedgerIngest.run(l.open(create: true), detections: VectorInput(LayerSource(path: path), options: .landWatch()),
                                    zones: zones(), options: options).batch
    }

    func entry(_ l: TestLedger, _ id: String) throws -> LedgerEntry {
        try #require(try l.open().entries().first { $0.id == id })
    }

    /// August: six patches. d1 d2 d4 d5 d6 in A, d3 in B; d4 and d5 lie 20 m apart.
    static let august = [
        ("d1", square(116.301, 39.701)), ("d2", square(116.305, 39.701)), ("d3", square(116.325, 39.705)),
        ("d4", square(116.310, 39.710)), ("d5", square(116.3112, 39.710)), ("d6", square(116.301, 39.715, 0.002)),
    ]
    /// September: d1 slightly moved, d2 again (after its closure), d3 gone, d4+d5 seen as one
    /// patch (a merge), d6 seen as two halves (a split), d7 new.
    static let september = [
        ("d1", square(116.30101, 39.70101)), ("d2", square(116.30502, 39.701)),
        ("d45", "POLYGON((116.310 39.710, 116.3122 39.710, 116.3122 39.711, 116.310 39.711, 116.310 39.710))"),
        ("d6a", square(116.301, 39.715, 0.0009)), ("d6b", "POLYGON((116.3021 39.715, 116.303 39.715, 116.303 39.717, 116.3021 39.717, 116.3021 39.715))"),
        ("d7", square(116.333, 39.713)),
    ]
    /// October: d1 and the merged patch; d3 missing again, d7 and d6 missing.
    static let october = [("d1", square(116.30101, 39.70101)), ("d45", september[2].1)]

    @Test(arguments: LedgerBackend.available) func everyTransition(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        // August: 挂账 for all six; ids PREFIX-YYYYMM-NNNN in file order; due in 30 days.
        let b1 = try ingest(l, "aug", "2026-08-25", Self.august)
        #expect(b1.opened == 6)
        let d3 = try entry(l, "DX-202608-0003")
        #expect(d3.zone == "B" && d3.state == .open && d3.dueOn == Day("2026-09-24"))
        #expect(try entry(l, "DX-202608-0001").zone == "A")

        // Field verification: d2 was a false positive (closed as 误报).
        let csv = dir + "/verify.csv"
        try "id,result,date,note\nDX-202608-0002,false-positive,2026-09-01,看错了\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try LedgerVerification.verify(l.open(), csv: csv) == ["false-positive": 1])
        #expect(try entry(l, "DX-202608-0002").state == .closed && entry(l, "DX-202608-0002").closeReason == "误报")

        // September.
        let b2 = try ingest(l, "sep", "2026-09-25", Self.september)
        // Redetected: d1, d4, d5 (merged), d6 (split); relapsed: d2; missed: d3; opened: d7.
        #expect((b2.redetected, b2.relapsed, b2.missed, b2.opened, b2.closed) == (4, 1, 1, 1, 0))
        #expect(try entry(l, "DX-202608-0002").state == .open && entry(l, "DX-202608-0002").relapses == 1)
        #expect(try entry(l, "DX-202608-0003").state == .suspected && entry(l, "DX-202608-0003").misses == 1)
        // The split: one entry, seen again, keeping the outline it was put on the ledger with.
        let d6 = try entry(l, "DX-202608-0006")
        #expect(d6.state == .open && d6.timesSeen == 2 && d6.geometry.partCount == 1)
        // The relapse records the outline it came back with: September's d2, moved 2e-5° east.
        let d2 = try entry(l, "DX-202608-0002")
        #expect(d2.timesSeen == 2)
        #expect(abs(d2.geometry.envelope.minX - 116.30502) < 1e-9 && abs(d2.geometry.envelope.minY - 39.701) < 1e-9)
        // The merge: both entries redetected by the one patch.
        #expect(try entry(l, "DX-202608-0004").lastSeen == Day("2026-09-25") && entry(l, "DX-202608-0005").lastSeen == Day("2026-09-25"))
        #expect(try entry(l, "DX-202609-0001").zone == "B")

        // October: d3 missed twice → closed (not-redetected); d2, d6, d7 suspected.
        let b3 = try ingest(l, "oct", "2026-10-25", Self.october)
        let d3after = try entry(l, "DX-202608-0003")
        #expect(d3after.state == .closed && d3after.closeReason == "not-redetected" && d3after.closedOn == Day("2026-10-25"))
        #expect((b3.closed, b3.missed) == (1, 4))
        // Closed by a field check.
        #expect(try LedgerVerification.close(l.open(), ids: ["DX-202609-0001"], reason: "苫盖",
                                             date: Day("2026-10-28")!, note: nil) == 1)

        // Overdue at the end of October: d1 (due 2026-09-24), d4, d5 (due 2026-09-24); d2, d6 are
        // suspected and past due too.
        var filter = LedgerQueries.StatusFilter(asOf: Day("2026-10-31")!)
        filter.overdueOnly = true
        let (overdue, _) = try LedgerQueries.status(l.open(), filter)
        #expect(Set(overdue.rows.map { "\($0[0])" }) == Set(["DX-202608-0001", "DX-202608-0002", "DX-202608-0004", "DX-202608-0005", "DX-202608-0006"].map { "\(Cell.text($0))" }))

        // History, oldest first.
        let history = try LedgerQueries.history(l.open(), id: "DX-202608-0002")
        #expect(history.rows.map { $0[1] } == [LedgerEventKind.opened, .closed, .relapsed, .missed].map(\.cell))

        // The report adds up per zone, for each month and for the whole period.
        for (from, to) in [("2026-08-01", "2026-08-31"), ("2026-09-01", "2026-09-30"), ("2026-10-01", "2026-10-31"), ("2026-08-01", "2026-10-31")] {
            for r in try LedgerQueries.report(l.open(), from: Day(from)!, to: Day(to)!) {
                #expect(r.openEnd == r.openStart + r.opened + r.relapsed - r.closed, "\(r.group ?? "-") \(from)")
            }
        }
        let september = try LedgerQueries.report(l.open(), from: Day("2026-09-01")!, to: Day("2026-09-30")!)
        let a = try #require(september.first { $0.group == "A" })
        // A in September: 5 carried at the start (d1, d2, d4, d5, d6), d2 closed on 09-01 and relapsed
        // on 09-25: closure rate 1 / (5 + 0) = 20%.
        #expect((a.openStart, a.closed, a.relapsed, a.openEnd) == (5, 1, 1, 5))
        #expect(a.closureRate == 20)

        // What changed in October.
        let (diff, features) = try LedgerQueries.diff(l.open(), from: Day("2026-10-01")!, to: Day("2026-10-31")!)
        #expect(Set(diff.rows.map { "\($0[0])" }) == Set(["DX-202608-0002", "DX-202608-0003", "DX-202608-0006", "DX-202609-0001"].map { "\(Cell.text($0))" }))
        #expect(features.count == diff.rows.count)

        #expect(try LedgerQueries.check(l.open()).isEmpty)
    }

    @Test(arguments: LedgerBackend.available) func refusesTheSameFileTwiceAndBatchesOutOfOrder(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        try ingest(l, "sep", "2026-09-25", Self.september)
        let same = #expect(throws: LedgerIngestRefusal.self) { try ingest(l, "sep", "2026-09-26", Self.september) }
        #expect(same == .alreadyIngested(path: dir + "/sep.gpkg", batch: 1, date: Day("2026-09-25")!))
        #expect(same?.description.contains("was already ingested as batch 1 (2026-09-25)") == true)
        let early = #expect(throws: LedgerIngestRefusal.self) { try ingest(l, "aug", "2026-08-25", Self.august) }
        #expect(early?.description.contains("batch dated 2026-08-25 is older than the last one ingested (2026-09-25") == true)
        // Nothing was added by the refused batches.
        #expect(try l.open().batches().count == 1)
    }

    @Test(arguments: LedgerBackend.available) func closeAfterZeroNeverClosesByItself(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        try ingest(l, "aug", "2026-08-25", Self.august, closeAfter: 0)
        for (i, date) in ["2026-09-25", "2026-10-25", "2026-11-25"].enumerated() {
            try ingest(l, "empty\(i)", date, [("far", Self.square(116.339, 39.719))], closeAfter: 0)
        }
        let e = try entry(l, "DX-202608-0003")
        #expect(e.state == .suspected && e.misses == 3)
    }

    /// A verification CSV saved by Excel on Chinese Windows is GBK: read as GB18030, its note kept.
    @Test func verificationCSVInGBK() throws {
        guard let l = TestLedger(.geoPackage, in: dir) else { return }
        try ingest(l, "aug", "2026-08-25", Self.august)
        let csv = dir + "/verify-gbk.csv"
        // "看错了" in GBK (iconv -t GBK): BF B4 B4 ED C1 CB.
        let gbk = Data("id,result,date,note\nDX-202608-0002,false-positive,2026-09-01,".utf8) + Data([0xBF, 0xB4, 0xB4, 0xED, 0xC1, 0xCB, 0x0A])
        try gbk.write(to: URL(fileURLWithPath: csv))
        #expect(try LedgerVerification.verify(l.open(), csv: csv) == ["false-positive": 1])
        let history = try LedgerQueries.history(l.open(), id: "DX-202608-0002")
        #expect(history.rows.contains { $0.contains(.text("看错了")) })
    }

    /// The core says what is wrong in its own words; the flags are the command line's (its
    /// `validate()` refuses `--from` after `--to` before the core is reached).
    @Test func aPeriodEndingBeforeItStartsIsRefused() throws {
        guard let l = TestLedger(.geoPackage, in: dir) else { return }
        try ingest(l, "aug", "2026-08-25", Self.august)
        let error = #expect(throws: LandWatchError.self) { try LedgerQueries.report(l.open(), from: Day("2026-09-30")!, to: Day("2026-09-01")!) }
        #expect(error?.description == "the period starts on 2026-09-30, after it ends on 2026-09-01")
        let cli = try Fixtures.run(["ledger", "report", "--ledger", l.location, "--from", "2026-09-30", "--to", "2026-09-01"])
        #expect(cli.code == 64 && cli.err.hasPrefix("landwatch: error: --from must not be after --to"))
    }

    @Test(arguments: LedgerBackend.available) func verificationRefusesUnknownIdsWithLineNumbers(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        try ingest(l, "aug", "2026-08-25", Self.august)
        let csv = dir + "/verify.csv"
        try "id,result,date,note\nDX-202608-0001,fixed,2026-09-01,\nDX-999,fixed,2026-09-01,\nDX-202608-0002,maybe,2026-09-01,\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let error = #expect(throws: LandWatchError.self) { try LedgerVerification.verify(l.open(), csv: csv) }
        #expect(error?.description.contains("line 3: no entry \"DX-999\"; line 4: result \"maybe\"") == true)
        // Nothing applied: the first line's entry is still open.
        #expect(try entry(l, "DX-202608-0001").state == .open)
        let unknown = #expect(throws: LandWatchError.self) {
            try LedgerVerification.close(l.open(), ids: ["DX-202608-0001", "DX-1"], reason: "绿化", date: Day("2026-09-01")!, note: nil)
        }
        #expect(unknown?.description == "no ledger entry DX-1 in \(try l.open().label): nothing was closed")
    }

    @Test(arguments: LedgerBackend.available) func checkFindsAHandEditedEntry(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        try ingest(l, "aug", "2026-08-25", Self.august)
        #expect(try LedgerQueries.check(l.open()).isEmpty)
        // An analyst edits the GeoPackage in QGIS and marks an entry closed without an event.
        try l.execute("UPDATE patches SET state = 'closed' WHERE id = 'DX-202608-0004'")
        let problems = try LedgerQueries.check(l.open())
        #expect(problems == ["DX-202608-0004: state is closed but its events give open"])
    }

    /// Closures, field checks and batches keep each entry's history in date order: not before the
    /// entry's last event, not after today; `check` finds events out of order.
    @Test(arguments: LedgerBackend.available) func datesKeepTheHistoryInOrder(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        try ingest(l, "aug", "2026-08-25", Self.august)
        try ingest(l, "sep", "2026-09-25", Self.september)
        let store = try l.open()
        let today = Day("2026-09-30")!
        func close(_ id: String, _ date: String) throws -> Int {
            try LedgerVerification.close(store, ids: [id], reason: "苫盖", date: Day(date)!, note: nil, today: today)
        }
        // d1 was redetected on 09-25: a closure dated 09-01 would come before it.
        let early = #expect(throws: LandWatchError.self) { try close("DX-202608-0001", "2026-09-01") }
        #expect(early?.description == "the date 2026-09-01: 2026-09-01 is before DX-202608-0001's last event (2026-09-25 redetected); nothing was closed")
        #expect(throws: LandWatchError.self) { try close("DX-202608-0001", "2026-08-20") }
        let future = #expect(throws: LandWatchError.self) { try close("DX-202608-0001", "2026-10-01") }
        #expect(future?.description.contains("is after today (2026-09-30)") == true)
        #expect(try close("DX-202608-0001", "2026-09-28") == 1)
        // A field-check file: each wrong line is named; nothing applies.
        let csv = dir + "/dates.csv"
        try "id,result,date,note\nDX-202608-0004,fixed,2026-09-24,\nDX-202608-0005,fixed,2026-10-02,\nDX-202608-0006,fixed,2026-09-29,\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let lines = #expect(throws: LandWatchError.self) { try LedgerVerification.verify(store, csv: csv, today: today) }
        #expect(lines?.description.contains("line 2: 2026-09-24 is before DX-202608-0004's last event (2026-09-25 redetected)") == true)
        #expect(lines?.description.contains("line 3: 2026-10-02 is after today (2026-09-30)") == true)
        #expect(try store.events(of: "DX-202608-0006").last?.kind == .redetected)
        // A batch dated before the ledger's last event is refused too.
        let batch = #expect(throws: LedgerIngestRefusal.self) { try ingest(l, "oct", "2026-09-27", Self.october) }
        #expect(batch == .olderThanLastEvent(date: Day("2026-09-27")!, latest: Day("2026-09-28")!))
        #expect(try LedgerQueries.check(store).isEmpty)
        // A history put out of order by hand is found.
        try l.execute("UPDATE events SET date = '2026-08-01' WHERE patch = 'DX-202608-0002' AND event = 'redetected'")
        #expect(try LedgerQueries.check(l.open()).contains("DX-202608-0002: event redetected on 2026-08-01 comes after opened on 2026-08-25"))
    }

    @Test(arguments: LedgerBackend.available) func aNewerLedgerIsRefusedAnOlderOneOpens(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        try ingest(l, "aug", "2026-08-25", Self.august)
        try l.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        let error = #expect(throws: LandWatchError.self) { try l.open() }
        #expect(error?.description.contains("was written by a newer LandWatch (ledger schema 99)") == true)
        // An older one opens: a reader reads it as it is, a writer upgrades it to this schema.
        try l.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        try l.execute("ALTER TABLE users DROP COLUMN unlocked_at")
        let reader = try LedgerLocation(parsing: l.location).open(readOnly: true)
        #expect(try reader.entries().count == Self.august.count)
        #expect(try reader.schemaVersion() == 2)
        // Its accounts read too, without the columns later schemas added.
        #expect(try reader.accounts().isEmpty)
        let writer = try l.open()
        #expect(try writer.schemaVersion() == LedgerSchema.version)
        #expect(try writer.entries().count == Self.august.count)
    }

    /// Zone names, ids and notes holding quotes, SQL or Chinese are stored and reported as written.
    @Test(arguments: LedgerBackend.available) func quotesSQLAndChineseAreKeptAsWritten(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        let hostile = "'; DROP TABLE patches; --"
        let zonesPath = dir + "/hostile_zones.gpkg"
        try Fixtures.writePolygons(zonesPath, crs: try CRS.cgcs2000, [(hostile, Self.zoneWKT[0].1), ("旧宫镇 \"东\" O'Neil", Self.zoneWKT[1].1)])
        let zones = try Zones.load(LayerSource(path: zonesPath), field: nil, options: ReadOptions.landWatch())
        let detections = dir + "/aug.gpkg"
        try Fixtures.writePolygons(detections, crs: try CRS.cgcs2000, Self.august)
        var options = IngestOptions(date: Day("2026-08-25")!)
        options.prefix = "O'B"
        _ = try LedgerIngest.run(l.open(create: true), detections: VectorInput(LayerSource(path: detections), options: .landWatch()), zones: zones, options: options)
        let note = "it's fixed — 已苫盖; \(hostile) \\ \\N \t tab"
        #expect(try LedgerVerification.close(l.open(), ids: ["O'B-202608-0003", "O'B-202608-0001"], reason: "苫盖",
                                             date: Day("2026-09-01")!, note: note) == 2)
        let store = try l.open()
        #expect(try store.entries().first { $0.id == "O'B-202608-0001" }?.zone == hostile)
        #expect(try store.entries().first { $0.id == "O'B-202608-0003" }?.zone == "旧宫镇 \"东\" O'Neil")
        #expect(try store.events(of: "O'B-202608-0003").last?.note == note)
        var filter = LedgerQueries.StatusFilter(asOf: Day("2026-09-30")!)
        filter.zone = hostile
        #expect(try LedgerQueries.status(store, filter).0.rows.count == 5)
        #expect(try LedgerQueries.report(store, from: Day("2026-08-01")!, to: Day("2026-09-30")!).map(\.group).contains(hostile))
        #expect(try store.lastNumber(prefix: "O'B", yearMonth: "202608") == 6)
        #expect(try LedgerQueries.check(store).isEmpty)
    }
}
