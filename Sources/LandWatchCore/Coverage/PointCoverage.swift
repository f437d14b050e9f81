import Foundation
import GDALKit

/// Point coverage: each point is counted in the first zone (in layer order) that covers it, so
/// a point on a shared border counts once; with a value field, the mean and maximum per zone.
public enum PointCoverage {
    public static func compute(_ input: VectorInput, zones: Zones, valueField: String?) throws -> CoverageResult {
        let valueName = try valueField.map { try Zones.requireField($0, in: input.layer.schema, of: input.label) }
        var report = ReadReport()
        var counts = Array(repeating: 0, count: zones.zones.count)
        var sums = Array(repeating: 0.0, count: zones.zones.count)
        var maxima = Array(repeating: -Double.infinity, count: zones.zones.count)
        var outside = 0
        var repairs = ReadReport()
        let cutter = ZoneCutter(zones)
        try input.forEachBatch(into: zones.crs, report: &report) { batch in
            for raw in batch {
                guard let feature = try GeometryRepair.normalise(raw, expected: .points, report: &repairs),
                      let g = feature.geometry else { continue }
                let value = try valueName.map { try number(feature, field: $0, label: input.label) } ?? nil
                let point = try g.kind == .point ? g : Geometry(shape: .point(g.shape.coordinates[0]))
                guard let z = try cutter.zone(ofPoint: point) else { outside += 1; continue }
                counts[z] += 1
                if let value {
                    sums[z] += value
                    maxima[z] = max(maxima[z], value)
                }
            }
        }
        report.add(repairs)
        var rows = zones.zones.enumerated().map { z, zone in
            CoverageRow(zone: zone.name, className: nil, zoneArea: zone.area, count: Double(counts[z]),
                        mean: valueName != nil && counts[z] > 0 ? sums[z] / Double(counts[z]) : nil,
                        max: valueName != nil && counts[z] > 0 ? maxima[z] : nil)
        }
        if outside > 0 { rows.append(CoverageRow(zone: nil, className: nil, zoneArea: nil, count: Double(outside))) }
        return CoverageResult(kind: .points, zones: zones, rows: rows, classRows: [], classes: [], pieces: [], report: report)
    }

    /// A feature's value as a number: null stays nil, text that is not a number is an error
    /// naming the feature.
    static func number(_ feature: Feature, field: String, label: String) throws -> Double? {
        guard let value = feature[field], !value.isNull else { return nil }
        guard let n = value.number, n.isFinite else {
            throw LandWatchError.data("\(label) feature \(feature.fid) field \"\(field)\": \"\(value)\" is not a number")
        }
        return n
    }
}

extension CoverageRow {
    init(zone: String?, className: String?, zoneArea: Double?, count: Double, mean: Double? = nil, max: Double? = nil) {
        self.init(zone: zone, className: className, zoneArea: zoneArea, count: count, touching: nil, area: nil,
                  mean: mean, max: max)
    }
}
