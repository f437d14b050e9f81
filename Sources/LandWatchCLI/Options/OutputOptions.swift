import ArgumentParser
import GDALKit
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
        try OptionNames.validating { try OutputPaths.checkFormats(table: output, format: format, features: []) }
        if resolvedFormat == .xlsx && output == nil {
            throw ValidationError("--format xlsx needs an output file: add -o FILE.xlsx")
        }
    }

    /// Refuses feature outputs of no GIS format, and any output onto an input or onto another
    /// output; commands call it from their `validate()` with their own paths.
    func check(features: [String?], inputs: [String?]) throws {
        let features = features.compactMap { $0 }
        try OptionNames.validating {
            try OutputPaths.checkFormats(table: nil, format: nil, features: features)
            try OutputPaths.refuseOverwriting(outputs: (output.map { [$0] } ?? []) + features, inputs: inputs.compactMap { $0 })
        }
    }

    func write(_ tables: consuming [Table]) throws {
        try TableWriter.write(tables, format: resolvedFormat, language: lang, to: output)
    }
}

/// How a command with GIS outputs (`--geojson`, `--zones-out` …) writes them.
struct FeatureOutputOptions: ParsableArguments {
    @Option(name: .customLong("out-encoding"),
            help: "Text encoding of Shapefile outputs: UTF-8 (default, with a .cpg), GBK or GB18030.")
    var outEncoding: String?

    func validate() throws {
        if let outEncoding, (try? FeatureWriter.shapefileCodePage(outEncoding)) == nil {
            throw ValidationError("--out-encoding takes UTF-8, GBK or GB18030, not \"\(outEncoding)\"")
        }
    }

    /// Writes features to a GIS file (GeoJSON, GeoPackage, FlatGeobuf, Shapefile in
    /// `--out-encoding`) and prints what the user should know about it.
    func write(_ features: [OutputFeature], crs: CRS, to path: String, members: [(String, JSONValue)] = []) throws {
        for warning in try FeatureWriter.write(features, crs: crs, to: path, members: members, encoding: outEncoding) {
            Console.warning(warning)
        }
    }
}
