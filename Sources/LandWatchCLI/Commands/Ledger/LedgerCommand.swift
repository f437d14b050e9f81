import ArgumentParser
import Foundation
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger …`: the bare-land 挂销账 ledger.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The bare-land ledger (挂销账) in a GeoPackage or PostGIS: ingest detections, close, verify, report.",
        discussion: """
        --ledger is a GeoPackage path, PG:"dbname=… host=… port=… user=… schema=…" or \
        postgresql://user@host:port/dbname?schema=… (one ledger per schema, default landwatch); \
        the password comes from the string, PGPASSWORD or ~/.pgpass. LANDWATCH_LEDGER gives the default.
        """,
        subcommands: [LedgerIngestCommand.self, LedgerCloseCommand.self, LedgerVerifyCommand.self, LedgerClassifyCommand.self, LedgerStatusCommand.self,
                      LedgerReportCommand.self, LedgerHistoryCommand.self, LedgerDiffCommand.self, LedgerCheckCommand.self,
                      LedgerCopyCommand.self])
}

/// The ledger, shared by every ledger subcommand (and `serve`, in the executable).
public struct LedgerOptions: ParsableArguments {
    public init() {}

    /// The environment variable that gives the default `--ledger`.
    static let environmentVariable = "LANDWATCH_LEDGER"

    @Option(help: "The ledger: a GeoPackage or a PostgreSQL connection (default: $LANDWATCH_LEDGER).")
    public var ledger: String?

    /// The ledger asked for, from `--ledger` or the environment.
    public func location() throws -> LedgerLocation {
        guard let text = ledger ?? ProcessInfo.processInfo.environment[Self.environmentVariable] else {
            throw LandWatchError.usage("no ledger: give --ledger PATH|PG:… or set \(Self.environmentVariable)")
        }
        return try LedgerLocation(parsing: text)
    }

    func open(create: Bool = false) throws -> any LedgerStore { try location().open(create: create) }

    /// The ledger for a command that only reads it: works on a read-only file, share or role.
    func openForReading() throws -> any LedgerStore { try location().open(readOnly: true) }

    /// The ledger as an input no output may overwrite.
    var inputPath: String? { ledger ?? ProcessInfo.processInfo.environment[Self.environmentVariable] }
}

/// Who does a change, recorded with its events (`ledger history` shows it).
struct ActorOptions: ParsableArguments {
    @Option(help: "Who does this, recorded with the events (default: the operating-system user).")
    var actor: String?

    /// `--actor`, or the operating-system user.
    var name: String {
        if let actor, !actor.isEmpty { return actor }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(getuid())"
    }
}

/// A period of days, for `report` and `diff`.
struct PeriodOptions: ParsableArguments {
    @Option(help: "First day of the period, YYYY-MM-DD.", transform: Day.argument)
    var from: Day

    @Option(help: "Last day of the period, YYYY-MM-DD.", transform: Day.argument)
    var to: Day

    func validate() throws {
        guard from <= to else { throw ValidationError("--from must not be after --to") }
    }
}

extension Day {
    /// A day from the command line; the error says the form expected.
    static func argument(_ text: String) throws -> Day {
        guard let day = Day(text) else { throw ValidationError("give a day as YYYY-MM-DD, e.g. 2026-10-25") }
        return day
    }
}

extension LedgerState: ExpressibleByArgument {}
