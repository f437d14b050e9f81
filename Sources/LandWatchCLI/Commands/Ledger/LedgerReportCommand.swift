import ArgumentParser
import LandWatchCore

/// `landwatch ledger report`: the per-zone ranking for a period (排名通报).
struct LedgerReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "One row per zone for a period, ranked.")

    @OptionGroup var store: LedgerOptions

    @OptionGroup var period: PeriodOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.check(features: [], inputs: [store.inputPath])
    }

    func run() throws {
        try output.write([LedgerQueries.reportTable(try LedgerQueries.report(try store.openForReading(), from: period.from, to: period.to))])
    }
}
