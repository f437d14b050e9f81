import Foundation
import GDALKit

/// A feature for output: ordered properties and a geometry.
public struct OutputFeature: Sendable {
    public var properties: [(String, JSONValue)]
    public var geometry: Geometry?

    public init(_ properties: [(String, JSONValue)], geometry: Geometry?) {
        self.properties = properties
        self.geometry = geometry
    }
}

/// Writes features for GIS staff: RFC 7946 GeoJSON written by LandWatch itself (WGS84 lon/lat,
/// counter-clockwise shells, clockwise holes, at most 7 decimals, no `crs` member, properties
/// in a fixed order), or any other vector format GDAL writes, chosen by extension (.gpkg, .fgb,
/// .shp). Files are written to a temporary name and renamed.
///
/// A Shapefile's text is written in UTF-8 with a `.cpg` saying so, or in the encoding asked
/// for (GBK, GB18030), so that GDAL and QGIS read Chinese names back as written.
public enum FeatureWriter {
    /// Writes the features; returns the warnings a user should see (Shapefile field names cut
    /// to 10 characters).
    @discardableResult
    public static func write(_ features: [OutputFeature], crs: CRS, to path: String,
                             members: [(String, JSONValue)] = [], layerName: String? = nil,
                             encoding: String? = nil) throws -> [String] {
        let ext = (path as NSString).pathExtension.lowercased()
        do {
            if ext == "geojson" || ext == "json" {
                try AtomicFile.write(try geoJSON(features, crs: crs, members: members), to: path)
                return []
            } else {
                return try viaGDAL(features, crs: crs, to: path, layerName: layerName, encoding: encoding)
            }
        } catch let error as LandWatchError {
            throw error
        } catch {
            throw LandWatchError.io("cannot write \"\(path)\": \(error)")
        }
    }

    /// The features as an RFC 7946 FeatureCollection, one feature per line.
    public static func geoJSON(_ features: [OutputFeature], crs: CRS, members: [(String, JSONValue)] = []) throws -> String {
        let transform = try CoordinateTransform(from: crs, to: CRS.wgs84)
        var out = "{\"type\":\"FeatureCollection\""
        for (key, value) in members { out += "," + JSONValue.string(key).serialized() + ":" + value.serialized() }
        out += ",\"features\":["
        for (i, f) in features.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            let geometry = try f.geometry.map { try geometryJSON(transform.transform($0).shape) } ?? .null
            out += JSONValue.object([("type", .string("Feature")), ("properties", .object(f.properties)),
                                     ("geometry", geometry)]).serialized()
        }
        return out + "\n]}\n"
    }

    static func geometryJSON(_ shape: Shape) -> JSONValue {
        func position(_ c: Coordinate) -> JSONValue { .array([.number(c.x, decimals: 7), .number(c.y, decimals: 7)]) }
        func line(_ cs: [Coordinate]) -> JSONValue { .array(cs.map(position)) }
        func polygon(_ rings: [[Coordinate]]) -> JSONValue {
            .array(rings.enumerated().map { i, ring in
                // RFC 7946: shells counter-clockwise, holes clockwise.
                let ccw = signedArea(ring) > 0
                return line((i == 0) == ccw ? ring : ring.reversed())
            })
        }
        func typed(_ type: String, _ coordinates: JSONValue) -> JSONValue {
            .object([("type", .string(type)), ("coordinates", coordinates)])
        }
        switch shape {
        case .point(let c): return typed("Point", position(c))
        case .lineString(let cs): return typed("LineString", line(cs))
        case .polygon(let rings): return typed("Polygon", polygon(rings))
        case .multiPoint(let cs): return typed("MultiPoint", line(cs))
        case .multiLineString(let ls): return typed("MultiLineString", .array(ls.map(line)))
        case .multiPolygon(let ps): return typed("MultiPolygon", .array(ps.map(polygon)))
        case .collection(let parts):
            return .object([("type", .string("GeometryCollection")), ("geometries", .array(parts.map(geometryJSON)))])
        }
    }

    static func signedArea(_ ring: [Coordinate]) -> Double {
        guard ring.count > 2 else { return 0 }
        var s = 0.0
        for i in 0..<(ring.count - 1) { s += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y }
        return s / 2
    }

    /// The value of a Shapefile's `.cpg` for an encoding a user names: `UTF-8` by default,
    /// `936` (GBK's code page, which GDAL, QGIS and ArcGIS read) or `GB18030`.
    public static func shapefileCodePage(_ encoding: String?) throws -> String {
        switch encoding?.uppercased().replacingOccurrences(of: "-", with: "") {
        case nil, "UTF8": return "UTF-8"
        case "GBK", "CP936", "936": return "936"
        case "GB18030": return "GB18030"
        default: throw LandWatchError.usage("cannot write Shapefiles in \"\(encoding ?? "")\": use UTF-8, GBK or GB18030")
        }
    }

    private static func viaGDAL(_ features: [OutputFeature], crs: CRS, to path: String, layerName: String?,
                                encoding: String?) throws -> [String] {
        let isShapefile = VectorWriter.driverName(forPath: path) == "ESRI Shapefile"
        let first = features.first?.properties ?? []
        let fields = first.map { key, _ -> FieldDefinition in
            let values = features.compactMap { f in f.properties.first { $0.0 == key }?.1 }
            let type: FieldType = values.allSatisfy { if case .int = $0 { true } else if case .null = $0 { true } else { false } }
                ? .integer64
                : values.allSatisfy { switch $0 { case .int, .number, .null: true; default: false } } ? .real : .string
            let decimals = values.compactMap { if case .number(_, let d) = $0 { d } else { nil } }.max()
            return FieldDefinition(key, type, decimals: type == .real ? (decimals ?? 0) : nil)
        }
        let kinds = Set(features.compactMap { $0.geometry?.kind })
        let kind: GeometryKind = kinds.isSubset(of: [.polygon, .multiPolygon]) ? .multiPolygon
            : kinds.count == 1 ? kinds.first! : .collection
        let writer = try VectorWriter(path: path)
        let name = layerName ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var layerOptions = isShapefile ? ["ENCODING": try shapefileCodePage(encoding)] : [:]
        if VectorWriter.driverName(forPath: path) == "GPKG", fields.contains(where: { $0.name.lowercased() == "fid" }) {
            // A GeoPackage's key column is "fid" unless told otherwise; LandWatch's "fid" is the
            // source feature's, repeated when a feature is cut in pieces.
            layerOptions["FID"] = "ogc_fid"
        }
        let layer = try writer.addLayer(name, crs: crs, geometryKind: kind, fields: fields, options: layerOptions)
        let renamed = zip(fields.map(\.name), layer.schema.names).filter { $0 != $1 }
        let inTransaction = layer.startTransaction()
        for f in features {
            let values = f.properties.map { _, v -> FieldValue in
                switch v {
                case .null: return .null
                case .int(let i): return .integer(Int64(i))
                case .number(let d, _): return .real(d)
                case .string(let s): return .string(s)
                default: return .string(v.serialized())
                }
            }
            var g = f.geometry
            if kind == .multiPolygon, let p = g, p.kind == .polygon { g = try Geometry(shape: .multiPolygon(p.shape.polygons)) }
            try layer.insert(values, geometry: g)
        }
        if inTransaction { try layer.commitTransaction() }
        try writer.commit()
        guard !renamed.isEmpty else { return [] }
        return ["\(path): a Shapefile's field names have at most 10 characters: "
                + renamed.map { "\($0) is \($1)" }.joined(separator: ", ")]
    }
}
