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

/// How to read input layers. GDALKit takes no decision of its own here: the encoding to fall
/// back on and the coordinate column names are the caller's policy (LandWatch's is
/// `ReadOptions.landWatch`, in LandWatchCore).
public struct ReadOptions: Sendable, Hashable {
    /// The CRS of layers that declare none.
    public var assumeCRS: String?
    /// The text encoding of attribute values, overriding detection.
    public var encoding: String?
    /// CSV coordinate columns, when not found by name.
    public var xField: String?
    public var yField: String?
    /// The encoding text that is not UTF-8 is decoded with when neither `encoding` nor the file
    /// says (a DBF code page, a .cpg); nil refuses such text.
    public var fallbackEncoding: String?
    /// The CSV column names taken for coordinates, in order of preference.
    public var xColumnNames: [String]
    public var yColumnNames: [String]
    /// Whether CSV columns get types detected from their values (numbers, dates); false keeps
    /// them as written (a column mixing dates and date-times stays text).
    public var detectCSVTypes = true

    public init(assumeCRS: String? = nil, encoding: String? = nil, xField: String? = nil, yField: String? = nil,
                fallbackEncoding: String? = nil, xColumnNames: [String] = [], yColumnNames: [String] = []) {
        self.assumeCRS = assumeCRS
        self.encoding = encoding
        self.xField = xField
        self.yField = yField
        self.fallbackEncoding = fallbackEncoding
        self.xColumnNames = xColumnNames
        self.yColumnNames = yColumnNames
    }
}

/// The text encoding a layer's attributes were decoded from, and how LandWatch decided it.
public struct TextEncoding: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// `.cpg`, `DBF code page N`, `detected`, `fallback`, `given` (`ReadOptions.encoding`), or
    /// `format` (always UTF-8).
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    public var description: String { "\(name) (\(source))" }
}
