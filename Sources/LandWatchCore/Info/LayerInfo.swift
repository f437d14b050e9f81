import Foundation
import GDALKit

/// What `landwatch info` reports about one layer.
public struct LayerInfo: Sendable {
    public let path: String
    public let driver: String
    public let layer: String
    public let crs: CRS?
    /// How the CRS was decided: declared, override, assumed, lon/lat columns, none.
    public let crsSource: String
    public let geometryType: String
    public let featureCount: Int
    /// The extent in the layer's own CRS.
    public let extent: Envelope?
    /// The extent in WGS84 lon/lat (after GCJ-02 conversion where declared).
    public let lonLatExtent: Envelope?
    public let fields: [FieldDefinition]
    public let encoding: TextEncoding
    public let nullGeometries: Int
    public let emptyGeometries: Int
    public let invalidGeometries: Int

    /// Inspects the layer a source names, or every layer of its dataset when it names none.
    public static func inspect(_ source: LayerSource, options: ReadOptions = ReadOptions.landWatch()) throws -> [LayerInfo] {
        do {
            if source.layer == nil {
                let first = try VectorInput(LayerSource(path: source.path, layer: nil, crs: source.crs), options: options, anyLayer: true)
                let names = first.dataset.layerNames
                if names.count > 1 {
                    return try names.map { name in
                        var named = source
                        named.layer = name
                        return try inspect(VectorInput(named, options: options))
                    }
                }
                return [try inspect(first)]
            }
            return [try inspect(VectorInput(source, options: options))]
        } catch {
            throw LandWatchError.from(error)
        }
    }

    static func inspect(_ input: VectorInput) throws -> LayerInfo {
        var nulls = 0, empties = 0, invalid = 0, count = 0
        try input.layer.forEach { f in
            count += 1
            guard let g = f.geometry else { nulls += 1; return }
            if g.isEmpty { empties += 1 } else if !g.isValid { invalid += 1 }
        }
        let extent = input.layer.hasGeometry && count > nulls ? input.layer.extent() : nil
        var lonLat: Envelope?
        if let extent, let crs = input.crs {
            lonLat = try? CoordinateTransform(from: crs, to: CRS.wgs84).transform(extent)
        }
        return LayerInfo(path: input.source.path, driver: input.dataset.driverName, layer: input.layer.name,
                         crs: input.crs, crsSource: input.crsSource, geometryType: input.layer.geometryTypeName,
                         featureCount: count, extent: extent, lonLatExtent: lonLat, fields: input.layer.schema.fields,
                         encoding: input.encoding, nullGeometries: nulls, emptyGeometries: empties, invalidGeometries: invalid)
    }

    // MARK: Rendering

    private static func extentJSON(_ e: Envelope?, decimals: Int) -> JSONValue {
        guard let e else { return .null }
        return .array([e.minX, e.minY, e.maxX, e.maxY].map { .number($0, decimals: decimals) })
    }

    /// The same information as data.
    public var json: JSONValue {
        let projected = crs.map { !$0.isGeographic } ?? true
        return .object([
            ("path", .string(path)), ("driver", .string(driver)), ("layer", .string(layer)),
            ("crs", crs.map { .string($0.authority ?? $0.name) } ?? .null),
            ("crs_name", crs.map { .string($0.name) } ?? .null),
            ("crs_source", .string(crsSource)),
            ("geometry_type", .string(geometryType)),
            ("features", .int(featureCount)),
            ("extent", LayerInfo.extentJSON(extent, decimals: projected ? 3 : 7)),
            ("extent_lonlat", LayerInfo.extentJSON(lonLatExtent, decimals: 7)),
            ("fields", .array(fields.map { .object([("name", .string($0.name)), ("type", .string($0.type.name))]) })),
            ("encoding", .string(encoding.name)),
            ("encoding_source", .string(encoding.source)),
            ("null_geometries", .int(nullGeometries)),
            ("empty_geometries", .int(emptyGeometries)),
            ("invalid_geometries", .int(invalidGeometries)),
        ])
    }

    /// Why there is no CRS: a table without geometry needs none; a Shapefile lacks its .prj.
    private func missingCRS(_ zh: Bool) -> String {
        if geometryType == "None" { return zh ? "无 (属性表, 无几何)" : "none (a table without geometry)" }
        if crsSource == "unreadable .prj" { return zh ? "无 (.prj 无法识别)" : "none (unreadable .prj)" }
        if driver == "ESRI Shapefile" { return zh ? "无 (缺少 .prj)" : "none (no .prj)" }
        return zh ? "无 (未声明)" : "none (not declared)"
    }

    /// A readable block, one fact a line.
    public func text(_ language: Language) -> String {
        let zh = language == .zh
        let crsText = crs.map { "\($0) [\(crsSource)]" } ?? missingCRS(zh)
        let facts: [(String, String, String)] = [
            ("driver", "驱动", driver),
            ("CRS", "坐标系", crsText),
            ("geometry", "几何类型", geometryType),
            ("features", "要素数", String(featureCount)),
            ("extent", "范围", InfoText.envelope(extent, crs.map { $0.isGeographic ? 7 : 3 } ?? 3)),
            ("lon/lat", "经纬度范围", InfoText.envelope(lonLatExtent, 7)),
            ("encoding", "编码", encoding.description),
            ("geometries", "几何问题", "\(nullGeometries) null, \(emptyGeometries) empty, \(invalidGeometries) invalid"),
            ("fields", "字段", ""),
        ]
        var text = InfoText.block(title: "\(path)#\(layer)", facts: facts.map { (zh ? $0.1 : $0.0, $0.2) })
        let width = fields.map { displayWidth($0.name) }.max() ?? 0
        for f in fields {
            text += "    \(f.name)\(String(repeating: " ", count: width - displayWidth(f.name)))  \(f.type.name)\n"
        }
        return text
    }
}

/// What `info` says of a layer or a raster.
public protocol InfoReport: Sendable {
    var json: JSONValue { get }
    func text(_ language: Language) -> String
}

extension LayerInfo: InfoReport {}
extension RasterInfo: InfoReport {}

/// `info`'s text layout: a title, then one aligned `label: fact` line each.
enum InfoText {
    /// An extent as `minX, minY, maxX, maxY` at `decimals`, or `-`.
    static func envelope(_ e: Envelope?, _ decimals: Int) -> String {
        guard let e else { return "-" }
        return [e.minX, e.minY, e.maxX, e.maxY].map { String(format: "%.\(decimals)f", $0) }.joined(separator: ", ")
    }

    static func block(title: String, facts: [(String, String)]) -> String {
        let labelWidth = facts.map { displayWidth($0.0) }.max() ?? 0
        var lines = [title]
        for (label, fact) in facts {
            let pad = String(repeating: " ", count: labelWidth - displayWidth(label))
            lines.append("  \(label):\(pad) \(fact)".replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
