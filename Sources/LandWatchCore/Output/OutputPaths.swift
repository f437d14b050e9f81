import Foundation
import GDALKit

/// Where a command may write: never onto one of its inputs (a Shapefile's side files included),
/// never twice to one file, and only in a format its extension names.
public enum OutputPaths {
    /// The extensions a table is written as, by `-o`.
    public static let tableExtensions = ["csv", "json", "md", "txt", "xlsx"]
    /// The extensions features are written as (`--geojson`, `--zones-out` …).
    public static let featureExtensions = ["geojson", "json", "gpkg", "fgb", "shp"]

    /// Refuses a table output whose extension names no table format or another format than
    /// `format`, and a feature output whose extension names no GIS format.
    public static func checkFormats(table: String?, format: TableFormat?, features: [String]) throws {
        if let table {
            guard let named = TableFormat.from(path: table) else {
                let extensions = tableExtensions.joined(separator: ", .")
                throw LandWatchError.usage("\(Setting.outFile) \(table): a table is written as .\(extensions); the extension chooses the format")
            }
            if let format, format != named {
                throw LandWatchError.usage("\(Setting.format) \(format.rawValue) does not match \(Setting.outFile) \(table), which names \(named.rawValue)")
            }
        }
        for path in features where !featureExtensions.contains((path as NSString).pathExtension.lowercased()) {
            let extensions = featureExtensions.joined(separator: ", .")
            throw LandWatchError.usage("\(path): features are written as .\(extensions); the extension chooses the format")
        }
    }

    /// Refuses an output that is one of the inputs (layer arguments `PATH[#LAYER][@CRS]`, or
    /// the ledger) or another output.
    public static func refuseOverwriting(outputs: [String], inputs: [String]) throws {
        let inputKeys = inputs.map { LayerSource(parsing: $0).path }.filter { !VectorInput.isDatabase($0) }.map(key)
        var seen: [String: String] = [:]
        for output in outputs {
            let k = key(output)
            if let input = zip(inputKeys, inputs).first(where: { $0.0 == k })?.1 {
                throw LandWatchError.usage("\(output) would overwrite the input \(input): write to another file")
            }
            if let other = seen[k] { throw LandWatchError.usage("\(output) and \(other) are the same file: give two names") }
            seen[k] = output
        }
    }

    /// A file's identity: its absolute, symlink-free path, a Shapefile's side files as one.
    static func key(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let folder = url.deletingLastPathComponent().resolvingSymlinksInPath()
        var name = url.lastPathComponent
        if ["shp", "shx", "dbf", "prj", "cpg"].contains(url.pathExtension.lowercased()) {
            name = url.deletingPathExtension().lastPathComponent + ".shp"
        }
        return folder.appendingPathComponent(name).resolvingSymlinksInPath().path
    }
}
