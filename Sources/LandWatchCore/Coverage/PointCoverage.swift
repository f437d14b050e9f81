import Foundation
import GDALKit

/// Point coverage: each point is counted in the first zone (in layer order) that covers it, so
/// a point on a shared border counts once; with a value field, the mean and maximum per zone.
public enum PointCoverage {
    public static func compute(_ input: VectorInput, zones: Zones, valueField: String?) throws -> CoverageResult {
        let valueName = try valueField.map { try Zones.requireField($0, in: input.layer.schema, of: input.label) }
        var report = ReadReport()
        var counts = Array(repeating: 0, count: zones.zones.count)
        var valued = Array(repeating: 0, count: zones.zones.count)
        var missing = 0
        var sums = Array(repeating: 0.0, count: zones.zones.count)
        var maxima = Array(repeating: -Double.infinity, count: zones.zones.count)
        var outside = 0
        var repairs = ReadReport()
        let cutter = ZoneCutter(zones)
        try input.forEachBatch(into: zones.crs, report: &report) { batch in
            for raw in batch {
                guard let feature = try GeometryRepair.normalise(raw, expected: .points, report: &repairs),
                      let g = feature.geometry else { continue }
                let value = try valueName.map { try ReadingValue.number(feature[$0], fid: feature.fid, field: $0, label: input.label) } ?? nil
                if valueName != nil && value == nil { missing += 1 }
                let point = try g.kind == .point ? g : Geometry(shape: .point(g.shape.coordinates[0]))
                guard let z = try cutter.zone(ofPoint: point) else { outside += 1; continue }
                counts[z] += 1
                if let value {
                    valued[z] += 1
                    sums[z] += value
                    maxima[z] = max(maxima[z], value)
                }
            }
        }
        report.add(repairs)
        var rows = zones.zones.enumerated().map { z, zone in
            CoverageRow(zone: zone.name, className: nil, zoneArea: zone.area, count: Double(counts[z]),
                        mean: valued[z] > 0 ? sums[z] / Double(valued[z]) : nil,
                        max: valued[z] > 0 ? maxima[z] : nil)
        }
        if outside > 0 { rows.append(CoverageRow(zone: nil, className: nil, zoneArea: nil, count: Double(outside))) }
        let warning = valueName.flatMap {
            ReadingValue.missingWarning(missing, field: $0, label: input.label, effect: "counted as points, left out of the mean and maximum")
        }
        return CoverageResult(kind: .points, zones: zones, rows: rows, classRows: [], classes: [], pieces: [], report: report,
                              valueWarning: warning)
    }
}

extension CoverageRow {
    init(zone: String?, className: String?, zoneArea: Double?, count: Double, mean: Double? = nil, max: Double? = nil) {
        self.init(zone: zone, className: className, zoneArea: zoneArea, count: count, touching: nil, area: nil,
                  mean: mean, max: max)
    }
}
