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
    private var dataset: Dataset?

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
        temporaryPath = TemporaryFile.path(beside: path)
        VectorWriter.removeFamily(of: temporaryPath)
        do {
            dataset = try Dataset(creating: temporaryPath, driver: name, options: options)
        } catch let error as GDALError {
            // The driver exists (the extension named it): the file system refused the file.
            throw VectorWriter.writeFailure(error, path: path)
        }
    }

    deinit {
        if dataset != nil {
            dataset = nil
            VectorWriter.removeFamily(of: temporaryPath)
        }
    }

    /// Adds a layer. `geometryKind` nil makes an attribute table.
    public func addLayer(_ name: String, crs: CRS?, geometryKind: GeometryKind?, fields: [FieldDefinition],
                         options: [String: String] = [:]) throws -> Layer {
        guard let dataset else { throw GDALError(context: "\"\(path)\" is already closed", message: "") }
        return try dataset.createLayer(name, crs: crs, geometryKind: geometryKind, fields: fields, options: options)
    }

    /// Flushes, closes and renames the file (and its Shapefile side files) into place; returns
    /// the files now in place, sorted.
    @discardableResult
    public func commit() throws -> [String] {
        guard let d = dataset else { return [] }
        dataset = nil
        CPLErrorReset()
        guard d.close() else {
            VectorWriter.removeFamily(of: temporaryPath)
            throw VectorWriter.writeFailure(GDALCall.error(""), path: path)
        }
        return try VectorWriter.renameFamily(from: temporaryPath, to: path)
    }

    /// A file the system would not let GDAL write, said by the final name (never the temporary
    /// one) and, when it is missing, its folder.
    private static func writeFailure(_ error: GDALError, path: String) -> GDALError {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let message = FileManager.default.fileExists(atPath: folder) ? error.message : "the folder \"\(folder)\" does not exist"
        return GDALError(context: "cannot write \"\(path)\"", message: message, number: error.number, isFileProblem: true)
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

    private static func renameFamily(from temporary: String, to final: String) throws -> [String] {
        let finalBase = (final as NSString).deletingPathExtension
        var moved: [String] = []
        for (file, ext) in family(of: temporary) {
            let target = ext.isEmpty ? final : finalBase + ext
            try TemporaryFile.moveIntoPlace(file, to: target)
            moved.append(target)
        }
        return moved.sorted()
    }
}

extension GeometryKind {
    /// The kind of a flat, linear OGR geometry type; nil for curves and others.
    init?(ogr type: OGRwkbGeometryType) {
        guard let kind = GeometryKind.allCases.first(where: { $0 != .linearRing && $0.ogrType == type }) else { return nil }
        self = kind
    }

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
