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
        // Arrays are made at their size (or doubled), not grown feature by feature: growing
        // copies what they hold and touches fresh memory each time.
        let repair: @Sendable ([Feature]) throws -> ([Feature], ReadReport) = { batch in
            var repairs = ReadReport()
            var kept: [Feature] = []
            kept.reserveCapacity(batch.count)
            for f in batch {
                if let normalised = try GeometryRepair.normalise(f, expected: expected, report: &repairs) { kept.append(normalised) }
            }
            return (kept, repairs)
        }
        var report = ReadReport()
        var features: [Feature] = []
        func collect(_ parts: [([Feature], ReadReport)]?) {
            let needed = features.count + (parts ?? []).reduce(0) { $0 + $1.0.count }
            if needed > features.capacity { features.reserveCapacity(max(needed, 2 * features.capacity)) }
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
