import ArgumentParser
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger close`: takes entries off the ledger (销账) after a field check.
struct LedgerCloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close entries (销账) with a reason.")

    @OptionGroup var store: LedgerOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "Entry ids.")
    var ids: [String]

    @Option(help: "Why: \(LedgerVerification.closeReasons.joined(separator: ", ")).")
    var reason: String

    @Option(help: "The date of the closure, YYYY-MM-DD.", transform: Day.argument)
    var date: Day

    @Option(help: "A note kept with the event.")
    var note: String?

    func validate() throws {
        guard LedgerVerification.closeReasons.contains(reason) else {
            throw ValidationError("--reason is one of \(LedgerVerification.closeReasons.joined(separator: ", "))")
        }
    }

    func run() throws {
        let n = try LedgerVerification.close(try store.open(), ids: ids, reason: reason, date: date, note: note, actor: actor.name)
        Console.note("closed \(n) \(n == 1 ? "entry" : "entries")")
    }
}
