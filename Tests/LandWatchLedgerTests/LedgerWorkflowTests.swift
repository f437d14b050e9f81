import DatabaseKit
import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger
import Testing
import TestSupport

/// The web application's rules: reported fixes, approval and rejection, classification, closing
/// and reopening by hand, who may do what, accounts and photos; on both stores.
@Suite(.serialized) struct LedgerWorkflowTests {
    /// The hand-made story of `LedgerTests`: six August patches, d1 d2 d4 d5 d6 in zone A, d3 in B.
    let story = LedgerTests()
    let townA = LedgerAccount(name: "town-a", role: .town, zone: "A")
    let townB = LedgerAccount(name: "town-b", role: .town, zone: "B")
    let admin = LedgerAccount(name: "bureau", role: .admin, zone: nil)
    let planning = LedgerAccount(name: "planner", role: .planning, zone: nil)
    let viewer = LedgerAccount(name: "reader", role: .viewer, zone: nil)
    /// The day the actions happen: after August's ingest (2026-08-25), before September's.
    let today = Day("2026-09-20")!
    /// The 8-byte PNG signature and a little more: a photo by its bytes.
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4]

    func id(_ n: Int) -> String { "DX-202608-000\(n)" }

    @Test(arguments: LedgerBackend.available) func everyTransitionAndWhoMayDoIt(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: story.dir) else { return }
        try story.ingest(l, "aug", "2026-08-25", LedgerTests.august)
        let store = try l.open()
        let day = Day("2026-09-10")!

        // A town reports a fix on its own entry, with a photo: reported, awaiting verification.
        let photo = try #require(LedgerPhoto(bytes: png))
        let reported = try LedgerWorkflow.perform(store, id: id(1), .report(measure: "苫盖", note: "<b>已苫盖</b>", photos: [photo]), by: townA, date: day, today: today, photosRequired: false)
        #expect(reported.state == .reported)
        let event = try #require(try store.events(of: id(1)).last)
        #expect((event.kind, event.reason, event.actor, event.note) == (.reported, "苫盖", "town-a", "<b>已苫盖</b>"))
        let stored = try store.photos(of: id(1))
        #expect(stored.map(\.mime) == ["image/png"] && stored.first?.size == png.count)
        #expect(try LedgerWorkflow.photo(store, number: stored[0].number, for: townA)?.1 == png)
        // Another town neither sees the photo nor can act on the entry; nothing changes.
        #expect(try LedgerWorkflow.photo(store, number: stored[0].number, for: townB) == nil)
        #expect(throws: LedgerActionError.notFound("no ledger entry \"\(id(2))\"")) {
            try LedgerWorkflow.perform(store, id: id(2), .report(measure: "苫盖", note: nil, photos: []), by: townB, date: day, today: today, photosRequired: false)
        }
        // Roles that may not report, approve or classify.
        for (account, action) in [(admin, "report"), (viewer, "report"), (planning, "report")] {
            #expect(throws: LedgerActionError.forbidden("a \(account.role.rawValue) account may not \(action) an entry")) {
                try LedgerWorkflow.perform(store, id: id(2), .report(measure: "苫盖", note: nil, photos: []), by: account, date: day, today: today, photosRequired: false)
            }
        }
        #expect(throws: LedgerActionError.forbidden("a town account may not approve an entry")) {
            try LedgerWorkflow.perform(store, id: id(1), .approve(note: nil), by: townA, date: day, today: today, photosRequired: false)
        }
        #expect(throws: LedgerActionError.forbidden("a admin account may not classify an entry")) {
            try LedgerWorkflow.perform(store, id: id(1), .classify(className: "x", note: nil), by: admin, date: day, today: today, photosRequired: false)
        }
        // Wrong measure, a date before the entry or after today, a second report: refused.
        #expect(throws: LedgerActionError.self) {
            try LedgerWorkflow.perform(store, id: id(2), .report(measure: "扫地", note: nil, photos: []), by: townA, date: day, today: today, photosRequired: false)
        }
        for bad in ["2026-08-24", "2026-09-21"] {
            #expect(throws: LedgerActionError.self) {
                try LedgerWorkflow.perform(store, id: id(2), .report(measure: "苫盖", note: nil, photos: []), by: townA, date: Day(bad)!, today: today, photosRequired: false)
            }
        }
        #expect(throws: LedgerActionError.conflict("\(id(1)) is reported: it cannot be reported now")) {
            try LedgerWorkflow.perform(store, id: id(1), .report(measure: "苫盖", note: nil, photos: []), by: townA, date: day, today: today, photosRequired: false)
        }

        // The bureau approves: closed with the reported measure.
        let approved = try LedgerWorkflow.perform(store, id: id(1), .approve(note: nil), by: admin, date: today, today: today, photosRequired: false)
        #expect((approved.state, approved.closeReason, approved.closedOn) == (.closed, "苫盖", today))
        #expect(throws: LedgerActionError.self) { try LedgerWorkflow.perform(store, id: id(1), .approve(note: nil), by: admin, date: today, today: today, photosRequired: false) }

        // Rejected with a reason (and refused without one): back to open.
        _ = try LedgerWorkflow.perform(store, id: id(2), .report(measure: "绿化", note: nil, photos: []), by: townA, date: day, today: today, photosRequired: false)
        #expect(throws: LedgerActionError.invalid("a rejection says why (note)")) {
            try LedgerWorkflow.perform(store, id: id(2), .reject(note: "  "), by: admin, date: today, today: today, photosRequired: false)
        }
        #expect(try LedgerWorkflow.perform(store, id: id(2), .reject(note: "照片看不清"), by: admin, date: today, today: today, photosRequired: false).state == .open)
        #expect(try store.events(of: id(2)).last.map { ($0.kind, $0.note, $0.actor) } ?? (.opened, nil, nil) == (.rejected, "照片看不清", "bureau"))

        // The planning bureau classifies: the old class is kept with the event.
        #expect(try LedgerWorkflow.perform(store, id: id(4), .classify(className: "施工裸地", note: "规自认定"), by: planning, date: day, today: today, photosRequired: false).className == "施工裸地")
        let classified = try #require(try store.events(of: id(4)).last)
        #expect((classified.kind, classified.reason, classified.previous) == (.classified, "施工裸地", "d4"))

        // Closed by hand and reopened, with a new deadline.
        #expect(try LedgerWorkflow.perform(store, id: id(5), .close(reason: "硬化", note: nil), by: admin, date: day, today: today, photosRequired: false).state == .closed)
        let reopened = try LedgerWorkflow.perform(store, id: id(5), .reopen(note: "仍有裸露"), by: admin, date: today, today: today, photosRequired: false)
        #expect((reopened.state, reopened.dueOn, reopened.closedOn) == (.open, Day("2026-10-20"), nil))

        // Reported fixes meet September's detections: d6 is seen again (back to open,
        // `redetected`), d3 is gone (it stays reported; no `missed`).
        _ = try LedgerWorkflow.perform(store, id: id(6), .report(measure: "苫盖", note: nil, photos: []), by: townA, date: day, today: today, photosRequired: false)
        _ = try LedgerWorkflow.perform(store, id: id(3), .report(measure: "绿化", note: nil, photos: []), by: townB, date: day, today: today, photosRequired: false)
        try story.ingest(l, "sep", "2026-09-25", LedgerTests.september)
        let after = try l.open()
        #expect(try story.entry(l, id(6)).state == .open && after.events(of: id(6)).last?.kind == .redetected)
        #expect(try story.entry(l, id(3)).state == .reported && after.events(of: id(3)).last?.kind == .reported)
        #expect(try after.events(of: id(6)).last?.actor == nil)

        // The report counts what awaits verification; the check replays every new event.
        let september = try LedgerQueries.report(after, from: Day("2026-09-01")!, to: Day("2026-09-30")!)
        #expect(september.first { $0.group == "B" }?.reported == 1)
        // Zone A in September: 5 carried at the start (d1 d2 d4 d5 d6); closed: d1 (approved) and
        // d5 (by hand); back on the ledger: d5 (reopened) and d1 (seen again on 09-25: relapsed);
        // d2's rejection and d6's report change nothing carried. 5 - 2 + 2 = 5 at the end.
        let a = try #require(september.first { $0.group == "A" })
        #expect((a.openStart, a.closed, a.relapsed, a.openEnd) == (5, 2, 2, 5))
        #expect(try LedgerQueries.check(after).isEmpty)
        let history = try LedgerQueries.history(after, id: id(1))
        #expect(history.rows.map { $0[1] } == [LedgerEventKind.opened, .reported, .approved, .relapsed].map(\.cell))
        #expect(history.rows.map { $0[7] } == [nil, "town-a", "bureau", nil].map { Cell($0) })

        // A hand edit of a class is found.
        try l.execute("UPDATE patches SET class = 'x' WHERE id = '\(id(4))'")
        #expect(try LedgerQueries.check(l.open()) == ["\(id(4)): class is x but its events give 施工裸地"])
    }

    @Test(arguments: LedgerBackend.available) func accountsWithHashedPasswords(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: story.dir) else { return }
        try story.ingest(l, "aug", "2026-08-25", LedgerTests.august)
        let store = try l.open()
        let day = Day("2026-09-01")!
        try LedgerAccounts.add(store, townA, password: "town-a-secret", zones: ["A", "B"], on: day)
        try LedgerAccounts.add(store, admin, password: "bureau's \"secret\"", zones: nil, on: day)
        #expect(try LedgerAccounts.list(store) == [admin, townA])
        // A town needs a zone of the zones layer; only a town has one; names are unique.
        #expect(throws: LandWatchError.self) { try LedgerAccounts.add(store, LedgerAccount(name: "c", role: .town, zone: "C"), password: "long-enough", zones: ["A", "B"], on: day) }
        #expect(throws: LandWatchError.self) { try LedgerAccounts.add(store, LedgerAccount(name: "c", role: .town, zone: nil), password: "long-enough", zones: ["A"], on: day) }
        #expect(throws: LandWatchError.self) { try LedgerAccounts.add(store, LedgerAccount(name: "c", role: .viewer, zone: "A"), password: "long-enough", zones: ["A"], on: day) }
        #expect(throws: LandWatchError.self) { try LedgerAccounts.add(store, townA, password: "another-one", zones: ["A"], on: day) }
        #expect(throws: LandWatchError.self) { try LedgerAccounts.add(store, viewer, password: "short", zones: nil, on: day) }
        // Passwords are kept as bcrypt hashes only.
        let hashes = try l.execute("SELECT password_hash FROM users").map { $0.text("password_hash") ?? "" }
        #expect(hashes.count == 2 && hashes.allSatisfy { $0.hasPrefix("$2") && !$0.contains("secret") })
        #expect(try LedgerAccounts.authenticate(store, name: "town-a", password: "town-a-secret")?.account == townA)
        #expect(try LedgerAccounts.authenticate(store, name: "bureau", password: "bureau's \"secret\"")?.account == admin)
        #expect(try LedgerAccounts.authenticate(store, name: "town-a", password: "town-a-secreT") == nil)
        #expect(try LedgerAccounts.authenticate(store, name: "nobody", password: "town-a-secret") == nil)
        try LedgerAccounts.setPassword(store, name: "town-a", password: "new-password")
        #expect(try LedgerAccounts.authenticate(store, name: "town-a", password: "town-a-secret") == nil)
        #expect(try LedgerAccounts.authenticate(store, name: "town-a", password: "new-password")?.account == townA)
        try LedgerAccounts.remove(store, name: "town-a")
        #expect(try LedgerAccounts.list(store) == [admin])
        #expect(throws: LandWatchError.self) { try LedgerAccounts.remove(store, name: "town-a") }
    }

    @Test func photosAreCheckedByTheirBytes() {
        #expect(LedgerPhoto(bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0])?.mime == "image/jpeg")
        #expect(LedgerPhoto(bytes: png)?.mime == "image/png")
        // A script named photo.jpg, a GIF, an empty file, one byte over 10 MB.
        #expect(LedgerPhoto(bytes: Array("<script>alert(1)</script>".utf8)) == nil)
        #expect(LedgerPhoto(bytes: Array("GIF89a".utf8)) == nil)
        #expect(LedgerPhoto(bytes: []) == nil)
        #expect(LedgerPhoto(bytes: [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: LedgerPhoto.maximumBytes - 2)) == nil)
    }

    @Test(arguments: LedgerBackend.available) func aLedgerOfSchemaOneIsUpgradedWhenOpened(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: story.dir) else { return }
        try story.ingest(l, "aug", "2026-08-25", LedgerTests.august)
        // Back to schema 1 as LandWatch wrote it: no users, no attachments, events without actor,
        // and in a GeoPackage dates as text.
        for sql in ["DROP TABLE users", "DROP TABLE attachments", "ALTER TABLE events DROP COLUMN actor",
                    "ALTER TABLE events DROP COLUMN previous", "UPDATE meta SET value = '1' WHERE key = 'schema_version'"] {
            try l.execute(sql)
        }
        let dated = [("patches", ["opened_on", "due_on", "closed_on", "first_seen", "last_seen"]), ("events", ["date", "due_after"]),
                     ("batches", ["date"])]
        if backend == .geoPackage {
            let d = try Dataset(path: l.location, update: true)
            for (table, fields) in dated { for f in fields { try d.layer(named: table).alterFieldType(f, to: .string) } }
            #expect(try d.layer(named: "patches").schema.fields.first { $0.name == "opened_on" }?.type == .string)
        }
        let before = try LedgerQueries.report(l.open(), from: Day("2026-08-01")!, to: Day("2026-08-31")!)
        let store = try l.open()
        #expect(try store.schemaVersion() == LedgerSchema.version)
        try LedgerAccounts.add(store, admin, password: "long-enough", zones: nil, on: Day("2026-09-01")!)
        _ = try LedgerWorkflow.perform(store, id: id(1), .close(reason: "绿化", note: nil), by: admin, date: Day("2026-09-01")!, today: today, photosRequired: false)
        #expect(try store.events(of: id(1)).last?.actor == "bureau")
        #expect(try LedgerQueries.report(l.open(), from: Day("2026-08-01")!, to: Day("2026-08-31")!) == before)
        #expect(try LedgerQueries.check(store).isEmpty)
        // Dates are DATE columns that QGIS filters as dates, their values kept.
        if backend == .geoPackage {
            let d = try Dataset(path: l.location)
            for (table, fields) in dated {
                let types = try d.layer(named: table).schema.fields.filter { fields.contains($0.name) }.map(\.type)
                #expect(types == Array(repeating: FieldType.date, count: fields.count), "\(table)")
            }
        }
    }

    /// Photos of a schema-3 ledger (base64 text) become bytes when a writer opens it, and read
    /// back as the bytes sent; a reader of schema 3 reads them as they are.
    @Test(arguments: LedgerBackend.available) func photosKeptAsTextBecomeBytes(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: story.dir) else { return }
        try story.ingest(l, "aug", "2026-08-25", LedgerTests.august)
        let photo = try #require(LedgerPhoto(bytes: png))
        try LedgerWorkflow.perform(l.open(), id: id(1), .report(measure: "苫盖", note: nil, photos: [photo]), by: townA,
                                   date: Day("2026-09-10")!, today: today, photosRequired: false)
        // Back to schema 3: the photo's bytes as base64 text ("iVBORw0KGgoBAgME" is png's base64, by `base64` of coreutils).
        switch backend {
        case .geoPackage:
            let d = try Dataset(path: l.location, update: true)
            try d.layer(named: "attachments").alterFieldType("data", to: .string)
            try d.sqlite!.execute("UPDATE attachments SET data = $1", [.text("iVBORw0KGgoBAgME")])
        case .postGIS:
            try l.execute("ALTER TABLE attachments ALTER COLUMN data TYPE text USING encode(data, 'base64')")
        }
        try l.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        let number = try #require(try LedgerLocation(parsing: l.location).open(readOnly: true).photos(of: id(1)).first?.number)
        #expect(try LedgerLocation(parsing: l.location).open(readOnly: true).photo(number: number)?.bytes == png)
        let store = try l.open()
        #expect(try store.schemaVersion() == LedgerSchema.version)
        // Stored as bytes: a BLOB in SQLite's own terms, a bytea in PostgreSQL's.
        let raw = backend == .geoPackage ? try Dataset(path: l.location).sqlite!.query("SELECT data FROM attachments")
            : try l.execute("SELECT data FROM attachments")
        #expect(raw.first?.bytes("data") == png)
        #expect(try LedgerWorkflow.photo(store, number: number, for: townA)?.1 == png)
    }
}
