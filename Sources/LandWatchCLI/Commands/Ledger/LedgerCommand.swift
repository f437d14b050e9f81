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

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension LedgerState: ExpressibleByArgument {}
