import CGDAL
import Foundation

/// An input layer opened the way every LandWatch command opens one: file checks, text encoding
/// decided (DBF code page, then a UTF-8 check, then GB18030 for Chinese deliveries), CSV
/// coordinate columns found by name, the CRS resolved (override, declared, assumed).
///
/// Owns the dataset. Not thread-safe.
public final class VectorInput {
    public let source: LayerSource
    public let dataset: Dataset
    public let layer: Layer
    public let encoding: TextEncoding
    /// The layer's own CRS, nil when it declares none.
    public let declaredCRS: CRS?
    /// The CRS the coordinates are in: the `@CRS` override, the declared one, WGS84 for CSV
    /// lon/lat columns, or `--assume-crs`; nil when none applies.
    public let crs: CRS?
    /// How `crs` was decided: `declared`, `override`, `assumed`, `lon/lat columns`.
    public let crsSource: String
    /// What GDAL opened (a UTF-8 copy for recoded text formats) and with which options, so that
    /// other threads can open their own handles on it.
    let openPath: String
    let openOptions: [String: String]
    /// How the layer was asked to be read.
    public let options: ReadOptions

    public static let xColumnNames = ["lon", "lng", "longitude", "x", "经度"]
    public static let yColumnNames = ["lat", "latitude", "y", "纬度"]

    /// Opens the layer `source` names; with `anyLayer`, the first layer of a multi-layer dataset
    /// that names none (for listing), else such a dataset is an error listing its layers.
    public init(_ source: LayerSource, options: ReadOptions = ReadOptions(), anyLayer: Bool = false) throws {
        GDALRuntime.ensure()
        self.source = source
        self.options = options
        if !VectorInput.isDatabase(source.path) { try VectorInput.checkFile(source.path) }
        // A folder of Shapefiles is read as the one Shapefile it names, so that its encoding
        // is found (or overridden) as a file's is.
        let path = VectorInput.shapefile(inFolder: source) ?? source.path
        if path != source.path { try VectorInput.checkFile(path) }
        let format = VectorInput.format(of: path)
        var openOptions: [String: String] = [:]
        if format == .csv {
            openOptions["X_POSSIBLE_NAMES"] = options.xField ?? VectorInput.xColumnNames.joined(separator: ",")
            openOptions["Y_POSSIBLE_NAMES"] = options.yField ?? VectorInput.yColumnNames.joined(separator: ",")
            openOptions["KEEP_GEOM_COLUMNS"] = "NO"
            openOptions["AUTODETECT_TYPE"] = "YES"
        }
        var encoding = TextEncoding(name: "UTF-8", source: "format")
        var textPath: String?
        if format == .csv || format == .geojson {
            (encoding, textPath) = try TextFile.utf8Copy(path, encoding: options.encoding, strict: format == .geojson)
        }
        if format == .shapefile {
            encoding = try VectorInput.shapefileEncoding(path, override: options.encoding)
            openOptions["ENCODING"] = encoding.name
        }
        self.encoding = encoding
        self.openPath = textPath ?? path
        self.openOptions = openOptions
        do {
            dataset = try Dataset(path: self.openPath, openOptions: openOptions)
        } catch let error as GDALError {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw GDALError(context: "cannot open \"\(source.path)\"", message: "it is a folder holding no layer GDAL reads")
            }
            throw GDALError(context: "cannot open \"\(source.path)\"", message: error.message)
        }
        layer = anyLayer && source.layer == nil && dataset.layerCount > 0
            ? try dataset.layer(at: 0) : try VectorInput.pickLayer(dataset, source)
        declaredCRS = try layer.crs()
        if let override = source.crs {
            crs = try CRS(override)
            crsSource = "override"
        } else if let declaredCRS {
            crs = declaredCRS
            crsSource = "declared"
        } else if let assumed = options.assumeCRS {
            crs = try CRS(assumed)
            crsSource = "assumed"
        } else if format == .csv, layer.hasGeometry {
            crs = try CRS.wgs84
            crsSource = "lon/lat columns"
        } else {
            crs = nil
            crsSource = format == .shapefile && VectorInput.sideFile(of: path, "prj") != nil ? "unreadable .prj" : "none"
        }
    }

    /// A short name for messages: `"towns.gpkg" layer "towns"`.
    public var label: String { "\"\(source.path)\" layer \"\(layer.name)\"" }

    /// Refuses a CSV whose coordinate columns were not found: its columns and the options to
    /// name them. Other layers pass.
    public func requireCoordinates() throws {
        guard VectorInput.format(of: openPath) == .csv, !layer.hasGeometry else { return }
        // Every column of the file, the ones GDAL took for coordinates included.
        let names = (try? Dataset(path: openPath).layer(at: 0).schema.names) ?? layer.schema.names
        let columns = names.joined(separator: ", ")
        for (option, name) in [("--x-field", options.xField), ("--y-field", options.yField)] {
            if let name, !names.contains(name) {
                throw GDALError(context: "\(label) has no column \"\(name)\" (\(option))", message: "its columns are \(columns)")
            }
        }
        throw GDALError(context: "\(label) has no coordinate columns",
                        message: "its columns are \(columns); name them with --x-field and --y-field (found by name: "
                            + VectorInput.xColumnNames.joined(separator: ", ") + " and " + VectorInput.yColumnNames.joined(separator: ", ") + ")")
    }

    /// The CRS, or an error telling the user how to give one.
    public func requireCRS() throws -> CRS {
        try requireCoordinates()
        if let crs { return crs }
        if crsSource == "unreadable .prj" {
            throw GDALError(context: "\(label): its .prj holds a CRS that PROJ cannot read",
                            message: "fix the .prj, or give the CRS with @EPSG:n after the path (or --assume-crs)")
        }
        throw GDALError(context: "\(label) has no CRS",
                        message: "give one with --assume-crs EPSG:4490 (or append @EPSG:n to the path); "
                            + "lon/lat taken from a Chinese web map is usually GCJ-02 (@GCJ-02)")
    }

    // MARK: Opening

    enum Format { case shapefile, csv, geojson, other }

    static func format(of path: String) -> Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "shp", "dbf": return .shapefile
        case "csv", "tsv": return .csv
        case "geojson", "json": return .geojson
        default: return .other
        }
    }

    /// Whether a path names a database connection GDAL opens (`PG:dbname=…`) rather than a file.
    public static func isDatabase(_ path: String) -> Bool { path.lowercased().hasPrefix("pg:") }

    static func checkFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GDALError(context: "cannot open \"\(path)\"", message: "no such file", isFileProblem: true)
        }
        if !isDirectory.boolValue,
           let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size == 0 {
            throw GDALError(context: "cannot open \"\(path)\"", message: "the file is empty")
        }
        if format(of: path) == .shapefile, (path as NSString).pathExtension.lowercased() == "shp" {
            for ext in ["shx", "dbf"] where sideFile(of: path, ext) == nil {
                throw GDALError(context: "\"\(path)\" lacks its .\(ext)",
                                message: "a Shapefile comes as .shp, .shx and .dbf (and .prj): ask for the whole set")
            }
        }
    }

    /// The Shapefile a folder argument names: the one `#LAYER` names, or the folder's only one.
    static func shapefile(inFolder source: LayerSource) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: source.path) else { return nil }
        let shapefiles = names.filter { ($0 as NSString).pathExtension.lowercased() == "shp" }
        let named = source.layer.flatMap { layer in shapefiles.first { ($0 as NSString).deletingPathExtension == layer } }
        guard let file = named ?? (shapefiles.count == 1 ? shapefiles.first : nil) else { return nil }
        return (source.path as NSString).appendingPathComponent(file)
    }

    /// A Shapefile's side file with this extension, in either case, if present.
    static func sideFile(of path: String, _ ext: String) -> String? {
        let base = (path as NSString).deletingPathExtension
        return [ext, ext.uppercased()].map { base + "." + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    static func pickLayer(_ dataset: Dataset, _ source: LayerSource) throws -> Layer {
        if let name = source.layer { return try dataset.layer(named: name) }
        let names = dataset.layerNames
        guard names.count == 1 else {
            if names.isEmpty {
                throw GDALError(context: "\"\(source.path)\" holds no vector layer", message: "")
            }
            throw GDALError(context: "\"\(source.path)\" holds \(names.count) layers",
                            message: "name one as \(source.path)#LAYER: \(names.joined(separator: ", "))")
        }
        return try dataset.layer(at: 0)
    }

    /// The DBF's encoding: `--encoding`, else the .cpg, else the DBF code-page byte, else UTF-8
    /// when every text value is valid UTF-8, else GB18030 (a superset of GBK/CP936).
    static func shapefileEncoding(_ path: String, override: String?) throws -> TextEncoding {
        if let override { return TextEncoding(name: override, source: "--encoding") }
        let base = (path as NSString).deletingPathExtension
        for ext in ["cpg", "CPG"] {
            if let cpg = try? String(contentsOfFile: base + "." + ext, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines), !cpg.isEmpty {
                return TextEncoding(name: cpg, source: ".cpg")
            }
        }
        // The DBF header's language driver id (byte 29); GDAL maps it when it is not 0.
        let raw = try Dataset(path: path, openOptions: ["ENCODING": ""])
        let layer = try raw.layer(at: 0)
        if let ldid = String(optionalCString: GDALGetMetadataItem(UnsafeMutableRawPointer(layer.handle), "LDID_VALUE", "SHAPEFILE")),
           let fromLDID = String(optionalCString: GDALGetMetadataItem(UnsafeMutableRawPointer(layer.handle), "ENCODING_FROM_LDID", "SHAPEFILE")),
           ldid != "0", !fromLDID.isEmpty {
            return TextEncoding(name: fromLDID, source: "DBF code page \(ldid)")
        }
        return rawTextIsUTF8(layer) ? TextEncoding(name: "UTF-8", source: "detected")
                                    : TextEncoding(name: "GB18030", source: "fallback")
    }

    /// Whether every text value of a layer opened without recoding is valid UTF-8.
    private static func rawTextIsUTF8(_ layer: Layer) -> Bool {
        let defn = OGR_L_GetLayerDefn(layer.handle)
        let textFields = (0..<OGR_FD_GetFieldCount(defn)).filter {
            OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, $0)) == OFTString
        }
        OGR_L_ResetReading(layer.handle)
        defer { OGR_L_ResetReading(layer.handle) }
        while let f = OGR_L_GetNextFeature(layer.handle) {
            defer { OGR_F_Destroy(f) }
            for i in textFields where OGR_F_IsFieldSetAndNotNull(f, i) != 0 {
                if let p = OGR_F_GetFieldAsString(f, i), String(validatingCString: p) == nil { return false }
            }
        }
        return true
    }
}
