import CGDAL
import Foundation

/// An open GDAL vector (or raster) dataset. Owns the GDAL handle and closes it on deinit.
///
/// Not thread-safe: use a dataset and its layers from one thread at a time.
public final class Dataset {
    let handle: GDALDatasetH
    public let path: String

    /// Opens a dataset read-only (or for update), with GDAL driver open options.
    public init(path: String, update: Bool = false, raster: Bool = false, openOptions: [String: String] = [:]) throws {
        GDALRuntime.ensure()
        self.path = path
        var flags = UInt32(GDAL_OF_VERBOSE_ERROR) | (raster ? UInt32(GDAL_OF_RASTER) : UInt32(GDAL_OF_VECTOR))
        if update { flags |= UInt32(GDAL_OF_UPDATE) }
        let options = CStringList(openOptions)
        handle = try GDALCall.value("cannot open \"\(path)\"") {
            GDALOpenEx(path, flags, nil, options.constPointer, nil)
        }
    }

    deinit { GDALClose(handle) }

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
        do {
            let result = try body()
            try GDALCall.ogr("cannot commit to \"\(path)\"") { GDALDatasetCommitTransaction(handle) }
            return result
        } catch {
            _ = GDALDatasetRollbackTransaction(handle)
            throw error
        }
    }

    /// Runs SQL (in the dataset's own dialect); rows of a result set are returned as features.
    @discardableResult
    public func execute(_ sql: String) throws -> [Feature] {
        CPLErrorReset()
        let result = GDALDatasetExecuteSQL(handle, sql, nil, nil)
        if GDALCall.failed() { 
            if let result { GDALDatasetReleaseResultSet(handle, result) }
            throw GDALCall.error("SQL failed on \"\(path)\"") 
        }
        guard let result else { return [] }
        defer { GDALDatasetReleaseResultSet(handle, result) }
        let layer = Layer(handle: result, dataset: self)
        return try layer.readAll()
    }
}
