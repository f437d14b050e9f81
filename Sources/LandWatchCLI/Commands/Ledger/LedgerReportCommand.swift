import ArgumentParser
import LandWatchCore
import LandWatchLedger

extension LedgerGrouping: ExpressibleByArgument {}

/// `landwatch ledger report`: the per-zone ranking for a period (排名通报), or per land type.
struct LedgerReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "One row per zone (or land type) for a period, ranked.")

    @OptionGroup var store: LedgerOptions

    @OptionGroup var period: PeriodOptions

    @Option(help: "What to rank: zone (the towns) or class (the land types, as the planning bureau classified them).")
    var by: LedgerGrouping = .zone

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.check(features: [], inputs: [store.inputPath])
    }

    func run() throws {
        let rows = try LedgerQueries.report(try store.openForReading(), from: period.from, to: period.to, by: by)
        try output.write([LedgerQueries.reportTable(rows, by: by)])
    }
}
