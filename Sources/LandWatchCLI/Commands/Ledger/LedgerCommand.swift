import ArgumentParser
import LandWatchCore

/// `landwatch ledger …`: the bare-land 挂销账 ledger.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The bare-land ledger (挂销账) in a GeoPackage: ingest detections, close, verify, report.",
        subcommands: [LedgerIngestCommand.self, LedgerCloseCommand.self, LedgerVerifyCommand.self, LedgerStatusCommand.self,
                      LedgerReportCommand.self, LedgerHistoryCommand.self, LedgerDiffCommand.self, LedgerCheckCommand.self])
}

/// The ledger file, shared by every ledger subcommand.
struct LedgerOptions: ParsableArguments {
    @Option(help: "The ledger GeoPackage.")
    var ledger: String

    func open(create: Bool = false) throws -> LedgerStore { try LedgerStore(path: ledger, create: create) }
}

/// A period of days, for `report` and `diff`.
struct PeriodOptions: ParsableArguments {
    @Option(help: "First day of the period, YYYY-MM-DD.")
    var from: Day

    @Option(help: "Last day of the period, YYYY-MM-DD.")
    var to: Day

    func validate() throws {
        guard from <= to else { throw ValidationError("--from must not be after --to") }
    }
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension LedgerState: ExpressibleByArgument {}
