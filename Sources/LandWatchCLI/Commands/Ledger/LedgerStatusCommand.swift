import ArgumentParser
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger status`: the entries, as they stand.
struct LedgerStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "List entries as they stood on a date.")

    @OptionGroup var store: LedgerOptions

    @Option(name: .customLong("as-of"), help: "The date, YYYY-MM-DD (default: today).", transform: Day.argument)
    var asOf: Day?

    @Option(help: "Only this zone.")
    var zone: String?

    @Option(help: "Only this state: open, suspected, reported or closed.")
    var state: LedgerState?

    @Flag(help: "Only entries past their deadline.")
    var overdue = false

    @Option(help: "Also write the entries as GeoJSON (or .gpkg) for the map.")
    var geojson: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var gis: FeatureOutputOptions

    func validate() throws {
        try output.check(features: [geojson], inputs: [store.inputPath])
    }

    func run() throws {
        var filter = LedgerQueries.StatusFilter(asOf: asOf ?? Day.today)
        filter.zone = zone
        filter.state = state
        filter.overdueOnly = overdue
        let ledger = try store.openForReading()
        if let zone { try LedgerQueries.requireZone(ledger, zone) }
        let (table, features) = try LedgerQueries.status(ledger, filter)
        try output.write([table])
        if let geojson { try gis.write(features, crs: try .wgs84, to: geojson) }
    }
}
