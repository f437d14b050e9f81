import ArgumentParser
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger history ID`: one entry's events.
struct LedgerHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "One entry's events, oldest first.")

    @OptionGroup var store: LedgerOptions

    @Argument(help: "The entry id.")
    var id: String

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.check(features: [], inputs: [store.inputPath])
    }

    func run() throws {
        try output.write([try LedgerQueries.history(try store.openForReading(), id: id)])
    }
}
