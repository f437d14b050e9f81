import ArgumentParser
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger verify FILE.csv`: applies field-verification results.
struct LedgerVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Apply a field-verification CSV (id, result fixed|not-fixed|false-positive, date, note).")

    @OptionGroup var store: LedgerOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "The CSV file.")
    var file: String

    @Option(name: .customLong("deadline-days"), help: "Days to fix a patch found not fixed after it was closed.")
    var deadlineDays = IngestOptions.Spec.deadlineDays.defaultValue

    @Option(help: "Text encoding of the CSV, overriding detection (UTF-8, else GB18030 as Excel saves it on Chinese Windows).")
    var encoding: String?

    func run() throws {
        let counts = try LedgerVerification.verify(try store.open(), csv: file, deadlineDays: deadlineDays, actor: actor.name,
                                                   encoding: encoding)
        Console.note("applied " + LedgerVerification.Result.allCases.map { "\(counts[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
    }
}
