import Foundation
import GDALKit

/// Hotspot results as tables and features.
extension HotspotResult {
    /// One row per cluster, ranked by peak value; the zone column only when a zones layer named them.
    /// The clusters; `unit`, when given, goes into the value columns' headers (μg/m³).
    public func table(unit: String? = nil) -> Table {
        let u = unit.map { " (\($0))" } ?? "", uz = unit.map { "(\($0))" } ?? ""
        let zone = zoned ? [Column("zone", en: "Zone", zh: "镇街", nullText: ("(outside all zones)", "(区外)"))] : []
        var t = Table(title: "hotspots", zh: "走航高值区", columns: [Column("cluster", en: "Cluster", zh: "高值区", decimals: 0)] + zone + [
            Column("cells", en: "Cells", zh: "网格数", decimals: 0), Column("readings", en: "Readings", zh: "读数", decimals: 0),
            Column("max_value", en: "Max" + u, zh: "最大值" + uz, decimals: 2), Column("mean_value", en: "Mean" + u, zh: "均值" + uz, decimals: 2),
            Column("peak_lon", en: "Peak lon", zh: "峰值经度", decimals: 6), Column("peak_lat", en: "Peak lat", zh: "峰值纬度", decimals: 6),
            Column("confidence", en: "Confidence (%)", zh: "置信度(%)", decimals: 0),
            Column("sources", en: "Suspect enterprises (to area; to centre)", zh: "疑似来源企业(距高值区; 距中心)"),
        ])
        t.rows = clusters.map { c in
            [.int(c.id)] + (zoned ? [Cell(c.zone)] : []) + [.int(c.cells.count), .int(c.readings), .number(c.maxValue), .number(c.meanValue),
             .number(c.peak.x), .number(c.peak.y), .int(c.confidence),
             .json(.array(c.sources.map { .object([("name", .string($0.name)), ("distance_m", .number($0.distance, decimals: 1)),
                                                     ("centre_distance_m", .number($0.centreDistance, decimals: 1))]) }),
                   display: c.sources.map { "\($0.name) (\(Int($0.distance.rounded())) m; \(Int($0.centreDistance.rounded())) m)" }
                       .joined(separator: ", "))]
        }
        return t
    }

    /// Every analysed cell as a square with its statistics, and the analysis parameters.
    public func cellFeatures() throws -> (features: [OutputFeature], members: [(String, JSONValue)]) {
        let toLonLat = try CoordinateTransform(from: metric, to: CRS.wgs84)
        let size = cellSize
        let features = try cells.map { c -> OutputFeature in
            let x0 = Double(c.column) * size, y0 = Double(c.row) * size
            let square = try toLonLat.transform(Geometry(envelope: Envelope(minX: x0, minY: y0, maxX: x0 + size, maxY: y0 + size)))
            return OutputFeature([("value", .number(c.value, decimals: 4)), ("readings", .int(c.readings)),
                                  ("gi_z", .number(c.z, decimals: 6)), ("gi_p", .number(c.p, decimals: 8)), ("gi_bin", .int(c.bin)),
                                  ("cx", .number(x0 + size / 2, decimals: 1)), ("cy", .number(y0 + size / 2, decimals: 1))],
                                 geometry: square)
        }
        let analysis: JSONValue = .object([("cell_m", .number(size, decimals: 3)), ("band_m", .number(band, decimals: 3)),
                                           ("crs", .string(projection)), ("cells", .int(cells.count))])
        return (features, [("analysis", analysis)])
    }

    /// The cluster polygons with their row's values.
    public func clusterFeatures() -> [OutputFeature] {
        let t = table()
        return zip(clusters, t.rows).map { c, row in
            OutputFeature(zip(t.columns, row).map { ($0.key, $1.json(decimals: $0.decimals)) }, geometry: c.geometry)
        }
    }

    /// What the analysis used, for the log.
    public var summary: String { summary(.en) }

    /// What the analysis used, in a language (the bulletin's note).
    public func summary(_ language: Language) -> String {
        let band = String(format: "%.1f", self.band)
        if language == .zh {
            return "\(readings) 个读数, \(projection) 下 \(Int(cellSize)) 米网格 \(cells.count) 个; 距离阈值 \(band) 米; "
                + "\(options.confidence)% 置信度下高值区 \(clusters.count) 个"
        }
        return "\(cells.count) cells of \(Int(cellSize)) m in \(projection) from \(readings) readings; distance band \(band) m; "
            + "\(clusters.count) \(clusters.count == 1 ? "cluster" : "clusters") at \(options.confidence)% confidence"
    }
}
