import ArgumentParser
import Foundation
import GDALKit
import LandWatchCore

/// `landwatch info LAYER...`: what is in each layer.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe layers: driver, CRS, geometry type, count, extent, fields, encoding, bad geometries.")

    @Argument(help: "Layers: PATH[#LAYER][@CRS]. A multi-layer file without #LAYER lists every layer.")
    var layers: [String]

    @OptionGroup var input: InputOptions

    @Option(help: "table or json.")
    var format: TableFormat = .table

    @Option(name: [.short, .customLong("output")], help: "Write to this file instead of stdout.")
    var output: String?

    @Option(help: "Language of labels: en or zh.")
    var lang: Language = .en

    func validate() throws {
        guard format == .table || format == .json else {
            throw ValidationError("info writes table or json")
        }
    }

    func run() throws {
        let infos: [any InfoReport] = try layers.flatMap { argument -> [any InfoReport] in
            let source = LayerSource(parsing: argument)
            if Raster.isRaster(source.path) { return [try RasterInfo.inspect(source.path)] }
            return try LayerInfo.inspect(source, options: input.readOptions)
        }
        let text = format == .json
            ? JSONValue.array(infos.map(\.json)).serialized(pretty: true) + "\n"
            : infos.map { $0.text(lang) }.joined(separator: "\n")
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            print(text, terminator: "")
        }
    }
}
