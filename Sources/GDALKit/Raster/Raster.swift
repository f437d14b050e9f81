import CGDAL
import CGEOS
import Foundation

/// A single-band raster opened read-only (band 1 is read). Owns its GDAL dataset.
///
/// Not thread-safe: read from one thread at a time.
public final class Raster {
    private let dataset: Dataset
    private let band: GDALRasterBandH
    public let path: String
    public let width: Int
    public let height: Int
    /// GDAL's affine geotransform: x = g0 + col·g1 + row·g2, y = g3 + col·g4 + row·g5.
    public let geoTransform: [Double]
    public let crs: CRS?
    public let noData: Double?
    /// How many bands the file has (band 1 is the one read).
    public let bandCount: Int
    /// Band 1's pixel type as GDAL names it: Byte, Int16, Float32 …
    public let dataType: String
    /// The short name of the driver, e.g. `GTiff`.
    public var driverName: String { dataset.driverName }

    public init(path: String) throws {
        self.path = path
        let dataset = try Dataset(path: path, raster: true)
        self.dataset = dataset
        guard GDALGetRasterCount(dataset.handle) > 0, let b = GDALGetRasterBand(dataset.handle, 1) else {
            throw GDALError(context: "\"\(path)\" has no raster band", message: "")
        }
        band = b
        width = Int(GDALGetRasterXSize(dataset.handle))
        height = Int(GDALGetRasterYSize(dataset.handle))
        var gt = [Double](repeating: 0, count: 6)
        try GDALCall.cpl("\"\(path)\" has no georeferencing") { GDALGetGeoTransform(dataset.handle, &gt) }
        geoTransform = gt
        if let wkt = String(optionalCString: GDALGetProjectionRef(dataset.handle)), !wkt.isEmpty {
            crs = try CRS(wkt)
        } else {
            crs = nil
        }
        var hasNoData: Int32 = 0
        let nd = GDALGetRasterNoDataValue(band, &hasNoData)
        noData = hasNoData != 0 ? nd : nil
        bandCount = Int(GDALGetRasterCount(dataset.handle))
        dataType = String(optionalCString: GDALGetDataTypeName(GDALGetRasterDataType(b))) ?? "unknown"
    }

    /// The extent in the raster's CRS (north-up or not: the envelope of its four corners).
    public var extent: Envelope {
        let g = geoTransform
        let corners = [(0.0, 0.0), (Double(width), 0.0), (0.0, Double(height)), (Double(width), Double(height))]
            .map { c, r in (g[0] + c * g[1] + r * g[2], g[3] + c * g[4] + r * g[5]) }
        return Envelope(minX: corners.map(\.0).min()!, minY: corners.map(\.1).min()!,
                        maxX: corners.map(\.0).max()!, maxY: corners.map(\.1).max()!)
    }

    /// Whether a path opens as a raster (and not as a vector dataset).
    public static func isRaster(_ path: String) -> Bool {
        // GDAL's XYZ driver takes a readings CSV of lon, lat, value for a grid: text tables and
        // vector formats are never probed as rasters.
        let vectorOnly: Set = ["csv", "tsv", "txt", "shp", "dbf", "geojson", "json", "kml", "fgb", "xlsx"]
        guard !vectorOnly.contains((path as NSString).pathExtension.lowercased()) else { return false }
        GDALRuntime.ensure()
        CPLErrorReset()
        CPLPushErrorHandler(CPLQuietErrorHandler)
        defer { CPLPopErrorHandler(); CPLErrorReset() }
        guard let h = GDALOpenEx(path, UInt32(GDAL_OF_RASTER), nil, nil, nil) else { return false }
        defer { GDALClose(h) }
        return GDALGetRasterCount(h) > 0
    }

    /// Reads a window of band 1 as doubles, row by row.
    public func read(x: Int, y: Int, width w: Int, height h: Int) throws -> [Double] {
        var buffer = [Double](repeating: 0, count: w * h)
        try GDALCall.cpl("cannot read \"\(path)\"") {
            GDALRasterIO(band, GF_Read, Int32(x), Int32(y), Int32(w), Int32(h), &buffer, Int32(w), Int32(h), GDT_Float64, 0, 0)
        }
        return buffer
    }

    /// Writes a one-band Byte GeoTIFF (DEFLATE-compressed) to a temporary name, then renames it.
    public static func writeByteGeoTIFF(_ path: String, width: Int, height: Int, geoTransform: [Double], crs: CRS,
                                        noData: Double, values: [UInt8]) throws {
        GDALRuntime.ensure()
        let temporary = TemporaryFile.path(beside: path)
        let driver = try GDALCall.value("no GTiff driver") { GDALGetDriverByName("GTiff") }
        let options = CStringList(["COMPRESS": "DEFLATE", "PREDICTOR": "1"])
        let h = try GDALCall.value("cannot create \"\(path)\"", releasing: { GDALClose($0) }) {
            GDALCreate(driver, temporary, Int32(width), Int32(height), 1, GDT_Byte, options.pointer)
        }
        var gt = geoTransform
        GDALSetGeoTransform(h, &gt)
        GDALSetProjection(h, crs.wkt)
        let band = GDALGetRasterBand(h, 1)
        GDALSetRasterNoDataValue(band, noData)
        var data = values
        CPLErrorReset()
        let err = GDALRasterIO(band, GF_Write, 0, 0, Int32(width), Int32(height), &data, Int32(width), Int32(height), GDT_Byte, 0, 0)
        GDALClose(h)
        if err.rawValue >= CE_Failure.rawValue || GDALCall.failed() {
            unlink(temporary)
            throw GDALCall.error("cannot write \"\(path)\"")
        }
        try TemporaryFile.moveIntoPlace(temporary, to: path)
    }
}

extension Geometry {
    /// The part of this geometry inside a rectangle (GEOS's fast rectangle clip; may be invalid
    /// at the rectangle's edges but has the right area).
    public func clipped(to e: Envelope) throws -> Geometry {
        try GEOSCall.geometry("clip failed") { GEOSClipByRect_r($0, pointer, e.minX, e.minY, e.maxX, e.maxY) }
    }
}
