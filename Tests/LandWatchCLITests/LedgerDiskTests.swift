import Foundation
import Testing
import TestSupport

/// A ledger on a full or read-only disk: a small tmpfs mounted for the test (root on Linux).
/// Where mounting is not allowed the suite does not run.
let canMount: Bool = {
    guard getuid() == 0 else { return false }
    let probe = Fixtures.temporaryDirectory("mount-probe")
    let ok = shell("mount -t tmpfs -o size=64k tmpfs '\(probe)'") == 0
    if ok { _ = shell("umount '\(probe)'") }
    return ok
}()

@discardableResult
func shell(_ command: String) -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command + " 2>/dev/null"]
    try? p.run()
    p.waitUntilExit()
    return p.terminationStatus
}

@Suite(.serialized, .enabled(if: canMount))
struct LedgerDiskTests {
    let zones = ["--zones", Fixtures.data("daxing_towns.gpkg")]

    /// A ledger holding August, on a tmpfs with `spare` bytes free.
    func ledgerOnSmallDisk(spare: Int) throws -> (mount: String, ledger: String, before: Data) {
        let scratch = Fixtures.temporaryDirectory("ledger-disk")
        let seed = scratch + "/seed.gpkg"
        #expect(try Fixtures.run(["ledger", "ingest", "--ledger", seed, Fixtures.data("bare_land_202608.shp"), "--date", "2026-08-25"] + zones).code == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: seed))
        let mount = Fixtures.temporaryDirectory("ledger-mount")
        #expect(shell("mount -t tmpfs -o size=\(before.count + spare) tmpfs '\(mount)'") == 0)
        try before.write(to: URL(fileURLWithPath: mount + "/ledger.gpkg"))
        return (mount, mount + "/ledger.gpkg", before)
    }

    @Test func aFullDiskGivesAClearErrorAndAnIntactLedger() throws {
        let (mount, ledger, before) = try ledgerOnSmallDisk(spare: 64 * 1024)
        defer { shell("umount '\(mount)'") }
        let r = try Fixtures.run(["ledger", "ingest", "--ledger", ledger, Fixtures.data("bare_land_202609.shp"), "--date", "2026-09-25"] + zones)
        #expect(r.code == 74, "\(r.err)")
        #expect(r.err.hasPrefix("landwatch: error: ") && r.err.contains("is full: nothing was changed") && r.err.split(separator: "\n").count == 1, "\(r.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ledger)) == before)
        #expect(try Fixtures.run(["ledger", "check", "--ledger", ledger]).code == 0)
    }

    @Test func aReadOnlyDiskGivesAClearErrorAndAnIntactLedger() throws {
        let (mount, ledger, before) = try ledgerOnSmallDisk(spare: 64 * 1024 * 1024)
        defer { shell("umount '\(mount)'") }
        #expect(shell("mount -o remount,ro '\(mount)'") == 0)
        let r = try Fixtures.run(["ledger", "ingest", "--ledger", ledger, Fixtures.data("bare_land_202609.shp"), "--date", "2026-09-25"] + zones)
        #expect(r.code == 74, "\(r.err)")
        #expect(r.err.hasPrefix("landwatch: error: ") && r.err.contains("read-only") && r.err.split(separator: "\n").count == 1, "\(r.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ledger)) == before)
    }
}
