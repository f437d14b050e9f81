import ArgumentParser
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger diff`: entries whose state changed in a period.
struct LedgerDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Entries whose state changed in a period.")

    @OptionGroup var store: LedgerOptions

    @OptionGroup var period: PeriodOptions

    @Option(help: "Write the changed entries as GeoJSON (or .gpkg).")
    var geojson: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var gis: FeatureOutputOptions

    func validate() throws {
        try output.check(features: [geojson], inputs: [store.inputPath])
    }

    func run() throws {
        let (table, features) = try LedgerQueries.diff(try store.openForReading(), from: period.from, to: period.to)
        try output.write([table])
        if let geojson { try gis.write(features, crs: try .wgs84, to: geojson) }
    }
}
