import Foundation
import GDALKit

extension VectorInput {
    /// Reads every feature into `target` (lon/lat order) and repairs it for `expected`: coordinates
    /// checked, invalid polygons made valid, what cannot be used skipped and counted. Batches are
    /// repaired on every core while the next one is read.
    public func load(into target: CRS, expecting expected: ExpectedGeometry = .any) throws -> LayerData {
        var report = ReadReport()
        var features: [Feature] = []
        let inFlight = Overlapped<[([Feature], ReadReport)]>()
        func collect(_ parts: [([Feature], ReadReport)]?) {
            for (batch, repairs) in parts ?? [] {
                features.append(contentsOf: batch)
                report.add(repairs)
            }
        }
        var reading = ReadReport()
        try forEachBatch(into: target, report: &reading) { batch in
            collect(try inFlight.submit {
                try Parallel.map(count: batch.count) { range in
                    var repairs = ReadReport()
                    let kept = try batch[range].compactMap { try GeometryRepair.normalise($0, expected: expected, report: &repairs) }
                    return (kept, repairs)
                }
            })
        }
        collect(try inFlight.wait())
        report.add(reading)
        return LayerData(label: label, schema: layer.schema, crs: target, features: features, report: report)
    }
}
