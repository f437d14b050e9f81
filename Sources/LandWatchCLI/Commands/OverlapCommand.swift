import ArgumentParser
import Foundation
import GDALKit
import LandWatchCore

/// `landwatch overlap PLOTS --sensitive LAYER`: plots against sensitive land uses.
struct OverlapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlap",
        abstract: "Contaminated plots against sensitive land uses: overlap areas and distances.")

    @Argument(help: "Plots (polygons): PATH[#LAYER][@CRS].")
    var plots: String

    @Option(help: "Sensitive land uses (polygons or points): PATH[#LAYER][@CRS].")
    var sensitive: String

    @Option(name: .customLong("class-field"), help: "Field of the sensitive layer holding its class (居住用地, 学校 …).")
    var classField: String?

    @Option(help: "Only these classes, separated by commas.")
    var classes: String?

    @Option(help: "Also report pairs that lie within this many metres (default 0: overlaps only).")
    var within = OverlapOptions.Spec.within.defaultValue

    @Option(help: "Ring distances in metres counted per class in --summary.")
    var rings = OverlapOptions.Spec.rings.defaultValue.map { String(format: "%g", $0) }.joined(separator: ",")

    @Option(name: .customLong("id-field"), help: "Plot id field (default: feature ids).")
    var idField: String?

    @Option(name: .customLong("sensitive-id-field"), help: "Sensitive feature id field (default: feature ids).")
    var sensitiveIdField: String?

    @Option(help: "Plot attributes to carry into each row, separated by commas (e.g. risk).")
    var keep: String?

    @Flag(help: "One row per plot instead of one per pair.")
    var summary = false

    @Option(help: "Write the overlap pieces (and, with --within, the shortest lines) as GeoJSON (or .gpkg).")
    var geojson: String?

    @OptionGroup var zoneOptions: OptionalZoneOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var gis: FeatureOutputOptions

    /// `--rings` as distances in order, or nil when one is not a distance the rings allow.
    var ringValues: [Double]? {
        let parts = rings.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return parts.isEmpty || !OverlapOptions.Spec.rings.allows(parts) ? nil : parts.compactMap(Double.init).sorted()
    }

    static func list(_ text: String?) -> [String]? {
        text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// The options as given.
    var options: OverlapOptions {
        var options = OverlapOptions()
        options.classField = classField
        options.classes = Self.list(classes)
        options.within = within
        options.rings = ringValues ?? []
        options.plotIdField = idField
        options.parcelIdField = sensitiveIdField
        options.setKeep(Self.list(keep) ?? [])
        options.keepGeometry = geojson != nil
        return options
    }

    func validate() throws {
        try output.check(features: [geojson, geojson.map(OverlapResult.linesPath)], inputs: [plots, sensitive, zoneOptions.zones])
        try OptionNames.validating { try options.validate() }
        guard ringValues != nil else { throw ValidationError("--rings takes positive distances in metres separated by commas") }
        if classes != nil && classField == nil { throw ValidationError("--classes needs --class-field") }
    }

    func run() throws {
        let zoneLayer = try zoneOptions.load(input.readOptions)
        let result = try Overlap.compute(plots: VectorInput(LayerSource(parsing: plots), options: input.readOptions),
                                         sensitive: VectorInput(LayerSource(parsing: sensitive), options: input.readOptions),
                                         zones: zoneLayer, options: options)
        for (label, report) in result.reports {
            if let w = report.warning(for: label) { Console.warning(w) }
        }
        try output.write([summary ? result.summaryTable() : result.pairTable()])
        if let geojson {
            let (pieces, lines) = result.features()
            try gis.write(pieces, crs: result.crs, to: geojson)
            if within > 0 {
                let linesPath = OverlapResult.linesPath(besides: geojson)
                try gis.write(lines, crs: result.crs, to: linesPath)
                Console.note("overlap pieces in \(geojson), shortest lines in \(linesPath)")
            }
        }
    }
}
