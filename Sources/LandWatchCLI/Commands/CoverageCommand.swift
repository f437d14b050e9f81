import ArgumentParser
import Foundation
import GDALKit
import LandWatchCore

/// `landwatch coverage LAYER --zones ZONES`: how much of each zone a layer covers.
struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Per-zone coverage of a polygon, point or raster layer: areas ellipsoidal, counts exact.")

    @Argument(help: "The layer to measure: PATH[#LAYER][@CRS] (polygons, points or a classified raster).")
    var layer: String

    @OptionGroup var zoneOptions: ZoneOptions

    @Option(name: .customLong("class-field"), help: "Polygons: report per class of this field too.")
    var classField: String?

    @Option(help: "Points: also the mean and maximum of this numeric field.")
    var value: String?

    @Option(help: "Raster: the class values counted as covered, e.g. 1,3.")
    var values: String?

    @Option(help: "Write each feature cut by the zone borders as GeoJSON (or .gpkg, .fgb).")
    var geojson: String?

    @Option(name: .customLong("zones-out"), help: "Write the zones with their figures (.geojson or .gpkg).")
    var zonesOut: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var gis: FeatureOutputOptions

    func validate() throws {
        try output.check(features: [geojson, zonesOut], inputs: [layer, zoneOptions.zones])
        if let values {
            guard parsedValues(values) != nil else { throw ValidationError("--values takes numbers separated by commas, e.g. 1,3") }
            if classField != nil || value != nil { throw ValidationError("--values (rasters) goes with neither --class-field nor --value") }
        }
        if classField != nil && value != nil { throw ValidationError("--class-field is for polygons and --value for points: give one") }
    }

    func parsedValues(_ text: String) -> [Double]? {
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        return parts.isEmpty || parts.contains(nil) ? nil : parts.compactMap { $0 }
    }

    func run() throws {
        let zones = try zoneOptions.load(input.readOptions)
        let source = LayerSource(parsing: layer)
        let result: CoverageResult
        if RasterCoverage.isRaster(source.path) {
            guard let values else { throw LandWatchError.usage("\(source.path) is a raster: give the covered classes with --values, e.g. --values 1,3") }
            result = try RasterCoverage.compute(source, zones: zones, values: parsedValues(values) ?? [], options: input.readOptions)
        } else {
            let vector = try VectorInput(source, options: input.readOptions)
            switch try LayerKind.detect(vector) {
            case .points:
                if classField != nil { throw LandWatchError.usage("\(vector.label) holds points: --class-field is for polygons") }
                result = try PointCoverage.compute(vector, zones: zones, valueField: value)
            case .polygons:
                if value != nil { throw LandWatchError.usage("\(vector.label) holds polygons: --value is for points") }
                result = try PolygonCoverage.compute(vector, zones: zones, classField: classField, keepPieces: geojson != nil,
                                                     progress: TerminalProgress.make("coverage"))
            case .other(let type):
                throw LandWatchError.data("\(vector.label) holds \(type) geometries: coverage measures polygons, points or rasters")
            }
            if let w = result.report.warning(for: vector.label) { Console.warning(w) }
            if let w = result.valueWarning { Console.warning(w) }
        }
        let table = result.table(hasValue: value != nil)
        let tables = output.resolvedFormat == .json || result.classes.isEmpty ? [table] : [result.pivot(), table]
        try output.write(tables)
        if let geojson {
            try gis.write(result.pieceFeatures(), crs: zones.crs, to: geojson)
        }
        if let zonesOut {
            try gis.write(result.zoneFeatures(hasValue: value != nil), crs: zones.crs, to: zonesOut)
        }
    }
}
