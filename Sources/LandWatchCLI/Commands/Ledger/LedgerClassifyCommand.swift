import ArgumentParser
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger classify`: the planning bureau's land types for entries (类型认定).
struct LedgerClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify", abstract: "Apply the planning bureau's land types: a CSV with columns id, class, note.")

    @OptionGroup var store: LedgerOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "The CSV file.")
    var file: String

    @Option(help: "The date of the classification, YYYY-MM-DD (default: today, China time).", transform: Day.argument)
    var date: Day?

    @Option(help: "Text encoding of the CSV, overriding detection (UTF-8, else GB18030 as Excel saves it on Chinese Windows).")
    var encoding: String?

    func run() throws {
        let entries = try LedgerClassification.apply(try store.open(), csv: file, encoding: encoding, date: date ?? .today, actor: actor.name)
        let classes = Set(entries.compactMap(\.className)).count
        Console.note("classified \(entries.count) \(entries.count == 1 ? "entry" : "entries") into \(classes) \(classes == 1 ? "class" : "classes")")
    }
}
