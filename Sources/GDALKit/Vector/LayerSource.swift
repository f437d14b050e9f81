import Foundation

/// How a user names an input layer on the command line: `PATH[#LAYER][@CRS]`.
///
/// `#LAYER` picks a layer of a multi-layer dataset (a GeoPackage); `@CRS` overrides the layer's
/// CRS, e.g. `readings.csv@GCJ-02` or `towns.shp@EPSG:4490`. A path that exists as given is
/// never split, so file names containing `#` or `@` still work.
public struct LayerSource: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var layer: String?
    /// A CRS definition that replaces the layer's own (`GCJ-02`, `EPSG:4490`, WKT …).
    public var crs: String?

    public init(path: String, layer: String? = nil, crs: String? = nil) {
        self.path = path
        self.layer = layer
        self.crs = crs
    }

    public init(parsing argument: String) {
        var rest = argument
        var crs: String?
        var layer: String?
        if !FileManager.default.fileExists(atPath: rest), let at = rest.lastIndex(of: "@") {
            crs = String(rest[rest.index(after: at)...])
            rest = String(rest[..<at])
        }
        if !FileManager.default.fileExists(atPath: rest), let hash = rest.lastIndex(of: "#") {
            layer = String(rest[rest.index(after: hash)...])
            rest = String(rest[..<hash])
        }
        self.init(path: rest, layer: layer?.isEmpty == true ? nil : layer, crs: crs?.isEmpty == true ? nil : crs)
    }

    public var description: String {
        path + (layer.map { "#" + $0 } ?? "") + (crs.map { "@" + $0 } ?? "")
    }

    /// The path without a password (`password=…` of a `PG:` connection), for messages, ledgers
    /// and manifests.
    public var redactedPath: String {
        guard VectorInput.isDatabase(path) else { return path }
        return path.replacingOccurrences(of: #"password\s*=\s*('([^'\\]|\\.)*'|\S*)\s*"#, with: "", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces)
    }

    /// The file name alone, for messages.
    public var fileName: String { (path as NSString).lastPathComponent }
}

/// Reading options shared by every command.
public struct ReadOptions: Sendable, Hashable {
    /// The CRS of layers that declare none (`--assume-crs`).
    public var assumeCRS: String?
    /// The text encoding of attribute values, overriding detection (`--encoding`).
    public var encoding: String?
    /// CSV coordinate columns, when not found by name.
    public var xField: String?
    public var yField: String?

    public init(assumeCRS: String? = nil, encoding: String? = nil, xField: String? = nil, yField: String? = nil) {
        self.assumeCRS = assumeCRS
        self.encoding = encoding
        self.xField = xField
        self.yField = yField
    }
}

/// The text encoding a layer's attributes were decoded from, and how LandWatch decided it.
public struct TextEncoding: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// `.cpg`, `DBF code page`, `detected`, `fallback`, `--encoding`, or `format` (always UTF-8).
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    public var description: String { "\(name) (\(source))" }
}
