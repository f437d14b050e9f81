import CGDAL
import Foundation

/// An open GDAL vector (or raster) dataset. Owns the GDAL handle and closes it on deinit.
///
/// Not thread-safe: use a dataset and its layers from one thread at a time.
public final class Dataset {
    private var owned: GDALDatasetH?
    public let path: String

    var handle: GDALDatasetH { owned! }

    /// Whether the dataset is open (its layers may be used).
    var isOpen: Bool { owned != nil }

    /// Opens a dataset read-only (or for update), with GDAL driver open options.
    public init(path: String, update: Bool = false, raster: Bool = false, openOptions: [String: String] = [:]) throws {
        GDALRuntime.ensure()
        self.path = path
        var flags = UInt32(GDAL_OF_VERBOSE_ERROR) | (raster ? UInt32(GDAL_OF_RASTER) : UInt32(GDAL_OF_VECTOR))
        if update { flags |= UInt32(GDAL_OF_UPDATE) }
        let options = CStringList(openOptions)
        owned = try GDALCall.value("cannot open \"\(path)\"", releasing: { GDALClose($0) }) {
            GDALOpenEx(path, flags, nil, options.constPointer, nil)
        }
    }

    /// Creates a new vector dataset with a GDAL driver (`GPKG`, `GeoJSON` …).
    public init(creating path: String, driver name: String, options: [String: String] = [:]) throws {
        GDALRuntime.ensure()
        self.path = path
        let driver = try GDALCall.value("no GDAL driver \(name)") { GDALGetDriverByName(name) }
        let opts = CStringList(options)
        owned = try GDALCall.value("cannot create \"\(path)\"", releasing: { GDALClose($0) }) {
            GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, opts.pointer)
        }
    }

    deinit { if let owned { GDALClose(owned) } }

    /// Closes the dataset now, flushing what it holds; false when GDAL reported a failure.
    /// Layers of a closed dataset must not be used.
    func close() -> Bool {
        guard let h = owned else { return true }
        owned = nil
        CPLErrorReset()
        GDALClose(h)
        return !GDALCall.failed()
    }

    /// Creates a layer with its fields. `geometryKind` nil makes an attribute table.
    public func createLayer(_ name: String, crs: CRS?, geometryKind: GeometryKind?, fields: [FieldDefinition],
                            options: [String: String] = [:]) throws -> Layer {
        let srs = try crs.map { try $0.spatialReference() }
        let opts = CStringList(options)
        let layer = try GDALCall.value("cannot create layer \"\(name)\" in \"\(path)\"") {
            GDALDatasetCreateLayer(handle, name, srs?.handle, geometryKind?.ogrType ?? wkbNone, opts.pointer)
        }
        // A driver that renames a field (a Shapefile's 10-character names) says so as a warning;
        // the caller reads the names back from `Layer.schema` and says it in its own words.
        CPLPushErrorHandler(CPLQuietErrorHandler)
        defer { CPLPopErrorHandler() }
        for field in fields {
            let defn = OGR_Fld_Create(field.name, field.type.ogrType)
            defer { OGR_Fld_Destroy(defn) }
            if let decimals = field.decimals {
                // Room for 15 significant digits before the point, a sign and the decimals.
                OGR_Fld_SetWidth(defn, Int32(17 + decimals))
                OGR_Fld_SetPrecision(defn, Int32(decimals))
            }
            try GDALCall.ogr("cannot create field \"\(field.name)\" in \"\(path)\"") { OGR_L_CreateField(layer, defn, 1) }
        }
        return Layer(handle: layer, dataset: self)
    }

    /// The short name of the driver, e.g. `ESRI Shapefile`, `GPKG`, `GeoJSON`.
    public var driverName: String {
        String(optionalCString: GDALGetDriverShortName(GDALGetDatasetDriver(handle))) ?? "unknown"
    }

    public var layerCount: Int { Int(GDALDatasetGetLayerCount(handle)) }

    public var layerNames: [String] {
        (0..<Int32(layerCount)).compactMap { i in
            GDALDatasetGetLayer(handle, i).flatMap { String(optionalCString: OGR_L_GetName($0)) }
        }
    }

    /// The layer at an index.
    public func layer(at index: Int) throws -> Layer {
        let h = try GDALCall.value("\"\(path)\" has no layer \(index)") { GDALDatasetGetLayer(handle, Int32(index)) }
        return Layer(handle: h, dataset: self)
    }

    /// The layer with a name; the error lists the layers there are.
    public func layer(named name: String) throws -> Layer {
        guard let h = GDALDatasetGetLayerByName(handle, name) else {
            throw GDALError(context: "\"\(path)\" has no layer \"\(name)\"",
                            message: "its layers are \(layerNames.joined(separator: ", "))")
        }
        return Layer(handle: h, dataset: self)
    }

    /// Runs `body` inside one dataset transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try GDALCall.ogr("cannot start a transaction on \"\(path)\"") { GDALDatasetStartTransaction(handle, 0) }
        inTransaction = true
        defer { inTransaction = false }
        do {
            let result = try body()
            try recordingSQLiteResult {
                try GDALCall.ogr("cannot commit to \"\(path)\"") { GDALDatasetCommitTransaction(handle) }
            }
            return result
        } catch {
            _ = GDALDatasetRollbackTransaction(handle)
            throw error
        }
    }

    /// Whether `transaction` is running its body.
    public private(set) var inTransaction = false

    /// Runs SQL (in the dataset's own dialect); rows of a result set are returned as features.
    @discardableResult
    public func execute(_ sql: String) throws -> [Feature] {
        CPLErrorReset()
        let result = GDALDatasetExecuteSQL(handle, sql, nil, nil)
        if GDALCall.failed() {
            let error = withSQLiteResult(GDALCall.error("SQL failed on \"\(path)\""))
            if let result { GDALDatasetReleaseResultSet(handle, result) }
            throw error
        }
        guard let result else { return [] }
        defer { GDALDatasetReleaseResultSet(handle, result) }
        let layer = Layer(handle: result, dataset: self)
        return try layer.readAll()
    }
}
