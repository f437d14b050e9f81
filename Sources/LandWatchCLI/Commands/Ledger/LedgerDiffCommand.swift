import ArgumentParser
import LandWatchCore

/// `landwatch ledger diff`: entries whose state changed in a period.
struct LedgerDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Entries whose state changed in a period.")

    @OptionGroup var store: LedgerOptions

    @Option(help: "First day of the period, YYYY-MM-DD.")
    var from: Day

    @Option(help: "Last day of the period, YYYY-MM-DD.")
    var to: Day

    @Option(help: "Write the changed entries as GeoJSON (or .gpkg).")
    var geojson: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard from <= to else { throw ValidationError("--from must not be after --to") }
    }

    func run() throws {
        let (table, features) = try LedgerQueries.diff(try store.open(), from: from, to: to)
        try output.write([table])
        if let geojson { try FeatureWriter.write(features, crs: try .wgs84, to: geojson) }
    }
}
