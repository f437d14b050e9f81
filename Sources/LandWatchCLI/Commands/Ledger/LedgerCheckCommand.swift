import ArgumentParser
import LandWatchCore

/// `landwatch ledger check`: is every entry what its events say?
struct LedgerCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Verify that every entry follows from its events.")

    @OptionGroup var store: LedgerOptions

    func run() throws {
        let problems = try LedgerQueries.check(try store.open())
        guard problems.isEmpty else {
            for p in problems.prefix(50) { Console.line(p) }
            throw LandWatchError.data("\(problems.count) \(problems.count == 1 ? "problem" : "problems") in \"\(store.ledger)\"")
        }
        Console.note("\(store.ledger): consistent")
    }
}
