import ArgumentParser
import LandWatchCore

/// `landwatch ledger report`: the per-zone ranking for a period (排名通报).
struct LedgerReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "One row per zone for a period, ranked.")

    @OptionGroup var store: LedgerOptions

    @Option(help: "First day of the period, YYYY-MM-DD.")
    var from: Day

    @Option(help: "Last day of the period, YYYY-MM-DD.")
    var to: Day

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard from <= to else { throw ValidationError("--from must not be after --to") }
    }

    func run() throws {
        try output.write([LedgerQueries.reportTable(try LedgerQueries.report(try store.open(), from: from, to: to))])
    }
}
