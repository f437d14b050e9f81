import Foundation
import LandWatchCore
import LandWatchLedger
import Testing
import TestSupport

/// `landwatch users`: accounts kept in the ledger, passwords from standard input only.
@Suite struct UsersCommandTests {
    let dir = Fixtures.temporaryDirectory("users-cli")

    @Test func addListPasswdRemove() throws {
        let ledger = dir + "/ledger.gpkg"
        func users(_ arguments: [String], input: String? = nil) throws -> (code: Int32, out: String, err: String) {
            try Fixtures.run(["users"] + arguments + ["--ledger", ledger], input: input)
        }
        // The first account makes the ledger; a town is checked against the zones layer.
        #expect(try users(["add", "bureau", "--role", "admin"], input: "bureau-secret\n").code == 0)
        let unknownZone = try users(["add", "x", "--role", "town", "--zone", "火星镇", "--zones", "Data/daxing_towns.gpkg"], input: "long-enough\n")
        #expect(unknownZone.code == 64 && unknownZone.err.contains("no zone \"火星镇\" in the zones layer"), "\(unknownZone.err)")
        let noLayer = try users(["add", "x", "--role", "town", "--zone", "西红门镇"], input: "long-enough\n")
        #expect(noLayer.code == 64, "\(noLayer.err)")
        #expect(try users(["add", "xhm", "--role", "town", "--zone", "西红门镇", "--zones", "Data/daxing_towns.gpkg"], input: "xhm-secret\n").code == 0)
        let short = try users(["add", "v", "--role", "viewer"], input: "short\n")
        #expect(short.code == 64 && short.err.contains("at least 8 characters"))
        // No password on standard input: refused, not empty.
        #expect(try users(["add", "v", "--role", "viewer"]).code == 64)
        let list = try users(["list", "--format", "csv"])
        #expect(list.out.contains("bureau,admin,") && list.out.contains("xhm,town,西红门镇"), "\(list.out)")
        #expect(try users(["passwd", "xhm"], input: "new-xhm-secret\n").code == 0)
        let store = try LedgerLocation(parsing: ledger).open()
        #expect(try LedgerAccounts.authenticate(store, name: "xhm", password: "new-xhm-secret")?.account.zone == "西红门镇")
        // Unlocking records when, in the ledger, for every server of it; an unknown name is refused.
        let unlocked = try users(["unlock", "xhm"])
        #expect(unlocked.code == 0 && unlocked.err.contains("unlocked \"xhm\""), "\(unlocked.err)")
        #expect(try store.account(named: "xhm")?.unlockedAt != nil)
        #expect(try users(["unlock", "nobody"]).code == 65)
        #expect(try users(["remove", "xhm"]).code == 0)
        #expect(try users(["remove", "xhm"]).code == 65)
        // The password is in the ledger only as a bcrypt hash.
        let hashes = try Fixtures.run(["users", "list", "--ledger", ledger]).out
        #expect(!hashes.contains("secret"))
    }
}
