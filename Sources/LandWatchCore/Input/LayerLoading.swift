import Foundation
import GDALKit

extension VectorInput {
    /// Reads every feature into `target` (lon/lat order) and repairs it for `expected`: coordinates
    /// checked, invalid polygons made valid, what cannot be used skipped and counted. A layer
    /// that splits (GeoPackage, Shapefile) is read in parts on every core, each part repairing
    /// its own features; any other is read on this thread while the cores repair the last batch.
    /// `keep` leaves out, unconverted, the features whose envelope (in `target`) it refuses;
    /// `outlineOnly` reads those whose envelope it accepts as outlines (vertices, unrepaired).
    public func load(into target: CRS, expecting expected: ExpectedGeometry = .any,
                     keep: (@Sendable (Envelope) -> Bool)? = nil,
                     outlineOnly: (@Sendable (Envelope) -> Bool)? = nil) throws -> LayerData {
        let repair: @Sendable ([Feature]) throws -> ([Feature], ReadReport) = { batch in
            var repairs = ReadReport()
            let kept = try batch.compactMap { try GeometryRepair.normalise($0, expected: expected, report: &repairs) }
            return (kept, repairs)
        }
        var report = ReadReport()
        var features: [Feature] = []
        func collect(_ parts: [([Feature], ReadReport)]?) {
            for (batch, repairs) in parts ?? [] {
                features.append(contentsOf: batch)
                report.add(repairs)
            }
        }
        if let (parts, reading) = try mapBatchesInParts(into: target, parts: Parallel.workers, keep: keep, outlineOnly: outlineOnly, repair) {
            collect(parts)
            report.add(reading)
        } else {
            let inFlight = Overlapped<[([Feature], ReadReport)]>()
            var reading = ReadReport()
            try forEachBatch(into: target, keep: keep, outlineOnly: outlineOnly, report: &reading) { batch in
                collect(try inFlight.submit {
                    try Parallel.map(count: batch.count) { try repair(Array(batch[$0])) }
                })
            }
            collect(try inFlight.wait())
            report.add(reading)
        }
        return LayerData(label: label, schema: layer.schema, crs: target, features: features, report: report)
    }
}
