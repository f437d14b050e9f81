import ArgumentParser
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger check`: is every entry what its events say?
struct LedgerCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Verify that every entry follows from its events.")

    @OptionGroup var store: LedgerOptions

    func run() throws {
        let ledger = try store.openForReading()
        let problems = try LedgerQueries.check(ledger)
        guard problems.isEmpty else {
            for p in problems.prefix(50) { Console.line(p) }
            throw LandWatchError.data("\(problems.count) \(problems.count == 1 ? "problem" : "problems") in \(ledger.label)")
        }
        Console.note("\(ledger.label): consistent")
    }
}
