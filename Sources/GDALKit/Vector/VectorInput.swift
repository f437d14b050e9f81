import CGDAL
import Foundation

/// An input layer opened the way every LandWatch command opens one: file checks, text encoding
/// decided (given, .cpg, DBF code page, a UTF-8 check, then the caller's fallback), CSV
/// coordinate columns found by the caller's names, the CRS resolved (override, declared, assumed).
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
    /// lon/lat columns, or the assumed one; nil when none applies.
    public let crs: CRS?
    /// How `crs` was decided: `declared`, `override`, `assumed`, `lon/lat columns`.
    public let crsSource: String
    /// What GDAL opened (a UTF-8 copy for recoded text formats) and with which options, so that
    /// other threads can open their own handles on it.
    let openPath: String
    let openOptions: [String: String]
    /// How the layer was asked to be read.
    public let options: ReadOptions

    /// Opens the layer `source` names; with `anyLayer`, the first layer of a multi-layer dataset
    /// that names none (for listing), else such a dataset is an error listing its layers.
    public init(_ source: LayerSource, options: ReadOptions, anyLayer: Bool = false) throws {
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
            openOptions["X_POSSIBLE_NAMES"] = options.xField ?? options.xColumnNames.joined(separator: ",")
            openOptions["Y_POSSIBLE_NAMES"] = options.yField ?? options.yColumnNames.joined(separator: ",")
            openOptions["KEEP_GEOM_COLUMNS"] = "NO"
            openOptions["AUTODETECT_TYPE"] = options.detectCSVTypes ? "YES" : "NO"
        }
        var encoding = TextEncoding(name: "UTF-8", source: "format")
        var textPath: String?
        if format == .csv || format == .geojson {
            (encoding, textPath) = try TextFile.utf8Copy(path, encoding: options.encoding,
                                                         fallback: format == .geojson ? nil : options.fallbackEncoding)
        }
        if format == .shapefile {
            encoding = try VectorInput.shapefileEncoding(path, options: options)
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

    /// Refuses a CSV whose coordinate columns were not found, listing its columns. Other layers pass.
    public func requireCoordinates() throws {
        guard VectorInput.format(of: openPath) == .csv, !layer.hasGeometry else { return }
        // Every column of the file, the ones GDAL took for coordinates included.
        let names = (try? Dataset(path: openPath).layer(at: 0).schema.names) ?? layer.schema.names
        for (axis, name) in [(LayerProblem.Axis.x, options.xField), (.y, options.yField)] {
            if let name, !names.contains(name) {
                throw LayerProblem(label, .missingCoordinateColumn(name: name, axis: axis, columns: names))
            }
        }
        throw LayerProblem(label, .noCoordinateColumns(columns: names, xNames: options.xColumnNames, yNames: options.yColumnNames))
    }

    /// The CRS, or a `LayerProblem` saying why there is none.
    public func requireCRS() throws -> CRS {
        try requireCoordinates()
        if let crs { return crs }
        throw LayerProblem(label, crsSource == "unreadable .prj" ? .unreadablePRJ : .noCRS)
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

    /// The DBF's encoding: the given one, else the .cpg, else the DBF code-page byte, else UTF-8
    /// when every text value is valid UTF-8, else the fallback (a layer whose text is not UTF-8
    /// is refused without one).
    static func shapefileEncoding(_ path: String, options: ReadOptions) throws -> TextEncoding {
        if let given = options.encoding { return TextEncoding(name: given, source: "given") }
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
        if let byte = firstNonUTF8Byte(layer) {
            guard let fallback = options.fallbackEncoding else {
                throw LayerProblem("\"\(path)\"", .notUTF8(byte: byte, offset: nil))
            }
            return TextEncoding(name: fallback, source: "fallback")
        }
        return TextEncoding(name: "UTF-8", source: "detected")
    }

    /// The first bad byte of the first text value that is not valid UTF-8, in a layer opened
    /// without recoding; nil when all are valid.
    private static func firstNonUTF8Byte(_ layer: Layer) -> UInt8? {
        let defn = OGR_L_GetLayerDefn(layer.handle)
        let textFields = (0..<OGR_FD_GetFieldCount(defn)).filter {
            OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, $0)) == OFTString
        }
        OGR_L_ResetReading(layer.handle)
        defer { OGR_L_ResetReading(layer.handle) }
        while let f = OGR_L_GetNextFeature(layer.handle) {
            defer { OGR_F_Destroy(f) }
            for i in textFields where OGR_F_IsFieldSetAndNotNull(f, i) != 0 {
                guard let p = OGR_F_GetFieldAsString(f, i) else { continue }
                let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
                if let bad = TextFile.firstInvalidUTF8(bytes) { return bytes[bad] }
            }
        }
        return nil
    }
}
