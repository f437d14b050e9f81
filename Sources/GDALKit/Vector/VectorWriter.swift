import CGDAL
import Foundation

/// Writes a new vector dataset (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, CSV, XLSX …),
/// one or more layers, to a temporary name beside the target; `commit()` renames it into place,
/// so that a killed run never leaves a half file a GIS would open as whole.
///
/// Owns the GDAL dataset handle. Not thread-safe.
public final class VectorWriter {
    public let path: String
    private let temporaryPath: String
    private var handle: GDALDatasetH?
    private let driverName: String

    /// The GDAL driver for a file extension.
    public static func driverName(forPath path: String) -> String? {
        switch (path as NSString).pathExtension.lowercased() {
        case "gpkg": return "GPKG"
        case "shp": return "ESRI Shapefile"
        case "geojson", "json": return "GeoJSON"
        case "fgb": return "FlatGeobuf"
        case "csv": return "CSV"
        case "xlsx": return "XLSX"
        case "kml": return "KML"
        default: return nil
        }
    }

    public init(path: String, driver: String? = nil, options: [String: String] = [:]) throws {
        GDALRuntime.ensure()
        guard let name = driver ?? VectorWriter.driverName(forPath: path) else {
            throw GDALError(context: "cannot write \"\(path)\"",
                            message: "unknown extension; use .gpkg, .shp, .geojson, .fgb, .csv or .xlsx")
        }
        self.path = path
        self.driverName = name
        let url = URL(fileURLWithPath: path)
        let stem = ".\(url.deletingPathExtension().lastPathComponent).partial-\(getpid())"
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(stem + "." + url.pathExtension).path
        VectorWriter.removeFamily(of: temporaryPath)
        let driver = try GDALCall.value("no GDAL driver \(name)") { GDALGetDriverByName(name) }
        let opts = CStringList(options)
        handle = try GDALCall.value("cannot create \"\(path)\"") {
            GDALCreate(driver, temporaryPath, 0, 0, 0, GDT_Unknown, opts.pointer)
        }
    }

    deinit {
        if let handle {
            GDALClose(handle)
            VectorWriter.removeFamily(of: temporaryPath)
        }
    }

    /// Adds a layer. `geometryKind` nil makes an attribute table.
    public func addLayer(_ name: String, crs: CRS?, geometryKind: GeometryKind?, fields: [FieldDefinition],
                         options: [String: String] = [:]) throws -> LayerWriter {
        guard let handle else { throw GDALError(context: "\"\(path)\" is already closed", message: "") }
        let srs = try crs.map { try $0.spatialReference() }
        let opts = CStringList(options)
        let layer = try GDALCall.value("cannot create layer \"\(name)\" in \"\(path)\"") {
            GDALDatasetCreateLayer(handle, name, srs?.handle, geometryKind?.ogrType ?? wkbNone, opts.pointer)
        }
        for field in fields {
            let defn = OGR_Fld_Create(field.name, field.type.ogrType)
            defer { OGR_Fld_Destroy(defn) }
            try GDALCall.ogr("cannot create field \"\(field.name)\" in \"\(path)\"") { OGR_L_CreateField(layer, defn, 1) }
        }
        return LayerWriter(handle: layer, writer: self, fieldCount: fields.count, path: path)
    }

    /// Flushes, closes and renames the file (and its Shapefile side files) into place.
    public func commit() throws {
        guard let h = handle else { return }
        handle = nil
        CPLErrorReset()
        GDALClose(h)
        if GDALCall.failed() {
            VectorWriter.removeFamily(of: temporaryPath)
            throw GDALCall.error("cannot write \"\(path)\"")
        }
        try VectorWriter.renameFamily(from: temporaryPath, to: path)
    }

    /// A Shapefile is several files: the ones sharing the stem.
    private static func family(of path: String) -> [(String, String)] {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let stem = url.deletingPathExtension().lastPathComponent
        guard url.pathExtension.lowercased() == "shp",
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            return [(path, "")]
        }
        return names.filter { ($0 as NSString).deletingPathExtension == stem }
            .map { (dir.appendingPathComponent($0).path, "." + ($0 as NSString).pathExtension) }
    }

    private static func removeFamily(of path: String) {
        for (file, _) in family(of: path) { try? FileManager.default.removeItem(atPath: file) }
    }

    private static func renameFamily(from temporary: String, to final: String) throws {
        let finalBase = (final as NSString).deletingPathExtension
        for (file, ext) in family(of: temporary) {
            let target = ext.isEmpty ? final : finalBase + ext
            if rename(file, target) != 0 {
                throw GDALError(context: "cannot move \"\(file)\" to \"\(target)\"", message: String(cString: strerror(errno)))
            }
        }
    }
}

/// Writes features into one layer of a `VectorWriter`. Keeps its writer alive.
public final class LayerWriter {
    private let handle: OGRLayerH
    private let writer: VectorWriter
    private let fieldCount: Int
    private let path: String

    init(handle: OGRLayerH, writer: VectorWriter, fieldCount: Int, path: String) {
        self.handle = handle
        self.writer = writer
        self.fieldCount = fieldCount
        self.path = path
    }

    /// Writes one feature: values in field order, and an optional geometry.
    public func write(_ values: [FieldValue], geometry: Geometry? = nil) throws {
        guard let f = OGR_F_Create(OGR_L_GetLayerDefn(handle)) else {
            throw GDALError(context: "cannot create a feature in \"\(path)\"", message: "")
        }
        defer { OGR_F_Destroy(f) }
        for (i, value) in values.prefix(fieldCount).enumerated() {
            switch value {
            case .null: OGR_F_SetFieldNull(f, Int32(i))
            case .integer(let v): OGR_F_SetFieldInteger64(f, Int32(i), v)
            case .real(let v): OGR_F_SetFieldDouble(f, Int32(i), v)
            case .string(let s): OGR_F_SetFieldString(f, Int32(i), s)
            }
        }
        if let geometry {
            var bytes = geometry.wkb
            var g: OGRGeometryH?
            try GDALCall.ogr("cannot convert a geometry for \"\(path)\"") {
                OGR_G_CreateFromWkb(&bytes, nil, &g, Int32(bytes.count))
            }
            try GDALCall.ogr("cannot set a geometry in \"\(path)\"") { OGR_F_SetGeometryDirectly(f, g) }
        }
        try GDALCall.ogr("cannot write a feature to \"\(path)\"") { OGR_L_CreateFeature(handle, f) }
    }

    private var inTransaction = false

    /// Groups the following writes in one transaction where the driver has them (GeoPackage).
    public func startTransaction() {
        inTransaction = OGR_L_StartTransaction(handle) == OGRERR_NONE
        CPLErrorReset()
    }

    /// Commits what `startTransaction` began (nothing to do for drivers without transactions).
    public func commitTransaction() throws {
        guard inTransaction else { return }
        inTransaction = false
        try GDALCall.ogr("cannot commit to \"\(path)\"") { OGR_L_CommitTransaction(handle) }
    }
}

extension GeometryKind {
    var ogrType: OGRwkbGeometryType {
        switch self {
        case .point: return wkbPoint
        case .lineString, .linearRing: return wkbLineString
        case .polygon: return wkbPolygon
        case .multiPoint: return wkbMultiPoint
        case .multiLineString: return wkbMultiLineString
        case .multiPolygon: return wkbMultiPolygon
        case .collection: return wkbGeometryCollection
        }
    }
}
