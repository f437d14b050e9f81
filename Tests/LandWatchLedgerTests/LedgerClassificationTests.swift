import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger
import Testing
import TestSupport

/// The planning bureau's land types on the hand-made August story (six entries, each with its
/// detection's name as class: d1 … d6, d1 d2 d4 d5 d6 in zone A, d3 in zone B).
extension LedgerTests {
    func classify(_ l: TestLedger, _ csv: String, on date: String = "2026-09-01") throws -> [LedgerEntry] {
        let path = dir + "/classes.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return try LedgerClassification.apply(l.open(), csv: path, encoding: nil, date: Day(date)!, actor: "规自科", today: Day("2026-11-30")!)
    }

    @Test(arguments: LedgerBackend.available) func aClassFileIsAppliedAndReportedByClass(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        try ingest(l, "aug", "2026-08-25", Self.august)
        let done = try classify(l, "id,class,note\nDX-202608-0001,在建工地,已办理施工许可\nDX-202608-0002,农用地,\n"
                                 + "DX-202608-0003,在建工地,\"重点工程, 已苫盖\"\n\n")
        #expect(done.map(\.id) == ["DX-202608-0001", "DX-202608-0002", "DX-202608-0003"])
        #expect(try entry(l, "DX-202608-0003").className == "在建工地")
        // The event keeps the new class, the one it replaced, the note with its comma, and who.
        let history = try LedgerQueries.history(l.open(), id: "DX-202608-0003")
        let last = try #require(history.rows.last)
        #expect(last == [.text("2026-09-01"), LedgerEventKind.classified.cell, .null, .text("在建工地"), .text("重点工程, 已苫盖"),
                         LedgerState.open.cell, .text("2026-09-24"), .text("规自科"), .text("d3")])
        // Every entry's fields still follow from its events.
        #expect(try LedgerQueries.check(l.open()).isEmpty)

        // By class: the six entries opened on 2026-08-25 count under the class they have now. By
        // hand from the story: 在建工地 d1 and d3, 农用地 d2, and d4, d5, d6 one each; all six
        // carried at the end of September; none closed. Ranked by open_end, ties by name (d4 before 农用地
        // in code-point order).
        let from = Day("2026-08-01")!, to = Day("2026-09-30")!
        let byClass = try LedgerQueries.report(l.open(), from: from, to: to, by: .landClass)
        #expect(byClass.map(\.group) == ["在建工地", "d4", "d5", "d6", "农用地"])
        #expect(byClass.map(\.openEnd) == [2, 1, 1, 1, 1] && byClass.map(\.opened) == [2, 1, 1, 1, 1])
        let byZone = try LedgerQueries.report(l.open(), from: from, to: to)
        #expect(byZone.map(\.openEnd).reduce(0, +) == byClass.map(\.openEnd).reduce(0, +))
        // The same keys, `class` in place of `zone`.
        let keys = LedgerQueries.reportTable(byClass, by: .landClass).columns.map(\.key)
        #expect(keys == ["class"] + LedgerQueries.reportTable(byZone).columns.map(\.key).dropFirst())
    }

    @Test(arguments: LedgerBackend.available) func wrongClassLinesAreRefusedWithTheirNumbers(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: dir) else { return }
        try ingest(l, "aug", "2026-08-25", Self.august)
        let before = try l.dump()
        let error = #expect(throws: LandWatchError.self) {
            try classify(l, "id,class,note\nDX-202608-0001,在建工地,\nDX-999,农用地,\nDX-202608-0002,  ,\nDX-202608-0001,农用地,\n")
        }
        #expect(error?.description == "\"\(dir)/classes.csv\": line 3: no entry \"DX-999\"; line 4: the class is empty; "
                + "line 5: DX-202608-0001 is classified on line 2 already; nothing was applied")
        let early = #expect(throws: LandWatchError.self) { try classify(l, "id,class\nDX-202608-0001,在建工地\n", on: "2026-08-20") }
        #expect(early?.description.contains("line 2: DX-202608-0001 was opened on 2026-08-25, after 2026-08-20") == true)
        // Nothing applied: the ledger is byte for byte what it was.
        #expect(try l.dump() == before)
    }
}
