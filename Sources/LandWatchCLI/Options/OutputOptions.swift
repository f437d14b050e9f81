import ArgumentParser
import LandWatchCore

extension TableFormat: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

/// Where and how a command writes its table: shared by every command with tabular results.
struct OutputOptions: ParsableArguments {
    @Option(help: "table, csv, json, md or xlsx (default: from the -o extension, else table).")
    var format: TableFormat?

    @Option(name: [.short, .customLong("output")], help: "Write the table to this file instead of stdout.")
    var output: String?

    @Option(help: "Language of headers: en or zh. JSON keys stay English.")
    var lang: Language = .en

    var resolvedFormat: TableFormat {
        format ?? output.flatMap(TableFormat.from(path:)) ?? .table
    }

    func validate() throws {
        if resolvedFormat == .xlsx && output == nil {
            throw ValidationError("--format xlsx needs an output file: add -o FILE.xlsx")
        }
    }

    func write(_ tables: [Table]) throws {
        try TableWriter.write(tables, format: resolvedFormat, language: lang, to: output)
    }
}
