import Foundation
import GDALKit

/// What `landwatch info` reports about a raster (a classified image for `coverage --values`):
/// size, bands, CRS, pixel size, extent, nodata and, for an image of few values, its classes
/// with their pixel counts.
public struct RasterInfo: Sendable {
    public let path: String
    public let driver: String
    public let crs: CRS?
    public let width: Int
    public let height: Int
    public let bands: Int
    public let dataType: String
    /// Pixel width and height in the CRS's units.
    public let pixelSize: (Double, Double)
    public let extent: Envelope
    public let lonLatExtent: Envelope?
    public let noData: Double?
    /// Band 1's values and their pixel counts, nodata left out; nil when it holds more than
    /// `maxClasses` values (a continuous image).
    public let classes: [(value: Double, pixels: Int)]?

    public static let maxClasses = 64

    public static func inspect(_ path: String) throws -> RasterInfo {
        do {
            let raster = try Raster(path: path)
            let g = raster.geoTransform
            return RasterInfo(path: path, driver: raster.driverName, crs: raster.crs, width: raster.width, height: raster.height,
                              bands: raster.bandCount, dataType: raster.dataType,
                              pixelSize: ((g[1] * g[1] + g[4] * g[4]).squareRoot(), (g[2] * g[2] + g[5] * g[5]).squareRoot()),
                              extent: raster.extent,
                              lonLatExtent: try raster.crs.map { try CoordinateTransform(from: $0, to: CRS.wgs84).transform(raster.extent) },
                              noData: raster.noData, classes: try classes(raster))
        } catch {
            throw LandWatchError.from(error)
        }
    }

    /// Counts band 1's values row by row, giving up past `maxClasses` distinct values.
    private static func classes(_ raster: Raster) throws -> [(value: Double, pixels: Int)]? {
        var counts: [Double: Int] = [:]
        for row in 0..<raster.height {
            for v in try raster.read(x: 0, y: row, width: raster.width, height: 1) where v != raster.noData && !v.isNaN {
                counts[v, default: 0] += 1
                if counts.count > maxClasses { return nil }
            }
        }
        return counts.sorted { $0.key < $1.key }.map { (value: $0.key, pixels: $0.value) }
    }

    private func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// The same information as data.
    public var json: JSONValue {
        let decimals = crs.map { $0.isGeographic ? 7 : 3 } ?? 3
        func envelope(_ e: Envelope?, _ d: Int) -> JSONValue {
            e.map { .array([$0.minX, $0.minY, $0.maxX, $0.maxY].map { .number($0, decimals: d) }) } ?? .null
        }
        return .object([
            ("path", .string(path)), ("driver", .string(driver)),
            ("crs", crs.map { .string($0.authority ?? $0.name) } ?? .null),
            ("crs_name", crs.map { .string($0.name) } ?? .null),
            ("width", .int(width)), ("height", .int(height)), ("bands", .int(bands)), ("data_type", .string(dataType)),
            ("pixel_size", .array([.number(pixelSize.0, decimals: 9), .number(pixelSize.1, decimals: 9)])),
            ("extent", envelope(extent, decimals)), ("extent_lonlat", envelope(lonLatExtent, 7)),
            ("nodata", noData.map { .number($0, decimals: 6) } ?? .null),
            ("classes", classes.map { .array($0.map { .object([("value", .number($0.value, decimals: 6)), ("pixels", .int($0.pixels))]) }) } ?? .null),
        ])
    }

    /// A readable block, one fact a line, as `LayerInfo.text`.
    public func text(_ language: Language) -> String {
        let zh = language == .zh
        let decimals = crs.map { $0.isGeographic ? 7 : 3 } ?? 3
        let classText = classes.map { list in
            list.isEmpty ? "-" : list.map { "\(number($0.value)) (\($0.pixels))" }.joined(separator: ", ")
        } ?? (zh ? "超过 \(RasterInfo.maxClasses) 个值 (连续影像)" : "more than \(RasterInfo.maxClasses) values (a continuous image)")
        let facts: [(String, String, String)] = [
            ("driver", "驱动", driver),
            ("CRS", "坐标系", crs.map(\.description) ?? (zh ? "无 (未声明)" : "none (not declared)")),
            ("size", "大小", "\(width) × \(height) " + (zh ? "像元, \(bands) 个波段 (\(dataType))" : "pixels, \(bands) band\(bands == 1 ? "" : "s") (\(dataType))")),
            ("pixel", "像元大小", String(format: "%.\(decimals + 2)g × %.\(decimals + 2)g", pixelSize.0, pixelSize.1)),
            ("extent", "范围", InfoText.envelope(extent, decimals)),
            ("lon/lat", "经纬度范围", InfoText.envelope(lonLatExtent, 7)),
            ("nodata", "无效值", noData.map(number) ?? "-"),
            ("classes", "类别 (像元数)", classText),
        ]
        return InfoText.block(title: path, facts: facts.map { (zh ? $0.1 : $0.0, $0.2) })
    }
}
