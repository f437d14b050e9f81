import ArgumentParser
import Foundation
import GDALKit
import LandWatchCore

extension HotspotOptions.Stat: ExpressibleByArgument {}

/// `landwatch hotspots POINTS --value FIELD`: statistically real VOCs hotspots.
struct HotspotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotspots",
        abstract: "VOCs hotspots from survey readings: Getis-Ord Gi* on a grid, clusters, suspect enterprises.")

    @Argument(help: "Readings (points): PATH[#LAYER][@CRS]; survey apps record GCJ-02: append @GCJ-02.")
    var points: String

    @Option(help: "The reading's value field (TVOC).")
    var value: String

    @Option(help: "Cell size in metres.")
    var cell = HotspotOptions.Spec.cell.defaultValue

    @Option(help: "Cell value: mean, max or p90 of its readings.")
    var stat = HotspotOptions.Spec.stat.defaultValue

    @Option(name: .customLong("min-readings"), help: "Leave out cells with fewer readings.")
    var minReadings = HotspotOptions.Spec.minReadings.defaultValue

    @Option(help: "Distance band in metres (default: every cell gets a neighbour, at least a cell's diagonal).")
    var band: Double?

    @Option(help: "Confidence for clusters: 90, 95 or 99.")
    var confidence = HotspotOptions.Spec.confidence.defaultValue

    @Option(help: "Only readings from this time on (ISO, e.g. 2026-10-08 or 2026-10-08T09:00).")
    var from: String?

    @Option(help: "Only readings up to this time (inclusive at its precision).")
    var to: String?

    @Option(name: .customLong("time-field"), help: "The reading's time field (for --from/--to).")
    var timeField: String?

    @Option(help: "Enterprises (points) to list near each cluster.")
    var sources: String?

    @Option(help: "Distance in metres within which enterprises are listed.")
    var within = HotspotOptions.Spec.within.defaultValue

    @Option(name: .customLong("source-name-field"), help: "The enterprises' name field (default: name, 名称, mc).")
    var sourceNameField: String?

    @Option(help: "Write every analysed cell as GeoJSON.")
    var geojson: String?

    @Option(name: .customLong("clusters-geojson"), help: "Write the cluster polygons as GeoJSON (or .gpkg).")
    var clustersGeojson: String?

    @OptionGroup var zoneOptions: OptionalZoneOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var gis: FeatureOutputOptions

    /// The options as given.
    var options: HotspotOptions {
        var options = HotspotOptions(valueField: value)
        options.cell = cell
        options.stat = stat
        options.minReadings = minReadings
        options.band = band
        options.confidence = confidence
        options.timeField = timeField
        options.from = from
        options.to = to
        options.within = within
        options.sourceNameField = sourceNameField
        return options
    }

    func validate() throws {
        try output.check(features: [geojson, clustersGeojson], inputs: [points, sources, zoneOptions.zones])
        try OptionNames.validating { try options.validate() }
        if let band, band <= 0 { throw ValidationError("--band is a distance in metres, above 0") }
        if (from != nil || to != nil) && timeField == nil { throw ValidationError("--from and --to need --time-field") }
        for (name, bound) in [("--from", from), ("--to", to)] {
            if let bound, !Hotspots.isTimeBound(bound) {
                throw ValidationError("\(name) \(bound): give an ISO date or time, e.g. 2026-10-08 or 2026-10-08T09:00")
            }
        }
        if let from, let to, Hotspots.isReversed(from: from, to: to) { throw ValidationError("--from \(from) is after --to \(to)") }
        if sources == nil && sourceNameField != nil { throw ValidationError("--source-name-field goes with --sources") }
    }

    func run() throws {
        let zoneLayer = try zoneOptions.load(input.readOptions)
        let result = try Hotspots.compute(VectorInput(LayerSource(parsing: points), options: input.readOptions), options: options,
                                          zones: zoneLayer,
                                          sources: try sources.map { try VectorInput(LayerSource(parsing: $0), options: input.readOptions) })
        Console.note(result.summary)
        for warning in [result.skippedWarning, result.sourcesWarning].compactMap({ $0 }) { Console.warning(warning) }
        try output.write([result.table()])
        if let geojson {
            let (features, members) = try result.cellFeatures()
            try gis.write(features, crs: try .wgs84, to: geojson, members: members)
        }
        if let clustersGeojson { try gis.write(result.clusterFeatures(), crs: try .wgs84, to: clustersGeojson) }
    }
}
