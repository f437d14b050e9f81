import CGDAL
import Foundation

/// What kind of geometry a command expects from a layer.
public enum ExpectedGeometry: Sendable {
    case polygons, points, any
}

/// Counts of what reading a layer repaired or skipped, for the one-line warning.
public struct ReadReport: Sendable, Equatable {
    public var features = 0
    public var repaired = 0
    public var nullGeometry = 0
    public var emptyGeometry = 0
    public var wrongType = 0
    public var collapsed = 0
    /// Geometries GEOS cannot take even after closing their rings (rings of fewer than 4 points).
    public var unreadable = 0
    /// Features whose unclosed rings were closed (KML and GML deliveries).
    public var ringsClosed = 0
    /// Features a reader's `keep` test left out unread (too far from anything that matters).
    public var leftOut = 0

    public init() {}

    /// Adds another report's counts (from another worker).
    public mutating func add(_ o: ReadReport) {
        features += o.features
        repaired += o.repaired
        nullGeometry += o.nullGeometry
        emptyGeometry += o.emptyGeometry
        wrongType += o.wrongType
        collapsed += o.collapsed
        unreadable += o.unreadable
        ringsClosed += o.ringsClosed
        leftOut += o.leftOut
    }

    public var skipped: Int { nullGeometry + emptyGeometry + wrongType + collapsed + unreadable }

    /// `"x.shp": 3 invalid geometries repaired; 2 skipped (2 null)`, or nil when nothing happened.
    public func warning(for label: String) -> String? {
        var parts: [String] = []
        if ringsClosed > 0 { parts.append("\(ringsClosed) \(ringsClosed == 1 ? "geometry" : "geometries") with unclosed rings closed") }
        if repaired > 0 { parts.append("\(repaired) invalid \(repaired == 1 ? "geometry" : "geometries") repaired (make-valid)") }
        var why: [String] = []
        if nullGeometry > 0 { why.append("\(nullGeometry) null") }
        if emptyGeometry > 0 { why.append("\(emptyGeometry) empty") }
        if wrongType > 0 { why.append("\(wrongType) of the wrong geometry type") }
        if collapsed > 0 { why.append("\(collapsed) with no area left after repair") }
        if unreadable > 0 { why.append("\(unreadable) with rings too short to be polygons") }
        if !why.isEmpty { parts.append("\(skipped) \(skipped == 1 ? "feature" : "features") skipped (\(why.joined(separator: ", ")))") }
        return parts.isEmpty ? nil : "\(label): " + parts.joined(separator: "; ")
    }
}

/// A layer's features, normalised: in the analysis CRS, repaired, with what was done counted.
public struct LayerData: Sendable {
    public let label: String
    public let schema: Schema
    public let crs: CRS
    public let features: [Feature]
    public let report: ReadReport

    public init(label: String, schema: Schema, crs: CRS, features: [Feature], report: ReadReport) {
        self.label = label
        self.schema = schema
        self.crs = crs
        self.features = features
        self.report = report
    }
}

extension VectorInput {
    /// Streams the features in batches, transformed into `target`, with coordinates checked and
    /// null or empty geometries counted and left out. Geometries are not yet repaired: callers
    /// pass each feature through `GeometryRepair.normalise`, possibly on other threads.
    /// `keep` and `outlineOnly` (see `Layer.forEach`) leave out features whose envelope `keep`
    /// refuses, and read those `outlineOnly` accepts as outlines.
    public func forEachBatch(into target: CRS, size: Int = 4096, keep: ((Envelope) -> Bool)? = nil,
                             outlineOnly: ((Envelope) -> Bool)? = nil,
                             report: inout ReadReport, _ body: ([Feature]) throws -> Void) throws {
        try VectorInput.batches(of: layer, label: label, from: requireCRS(), into: target, size: size, range: nil,
                                keep: keep, outlineOnly: outlineOnly, report: &report, body)
    }

    /// Reads the layer on `threads` threads at once, each with its own handle on the dataset (the
    /// first with this input's, which nothing else reads meanwhile, the others opening theirs),
    /// and applies `transform` to each batch there (see `forEachBatch`); the results come back in
    /// the layer's order. The layer is cut into several ranges per thread, handed out as threads
    /// come free, so that a part dense in wanted features does not hold the others up. Nil when
    /// the layer cannot be split (see `ranges`): the caller then reads it with `forEachBatch`.
    public func mapBatchesInParts<R: Sendable>(into target: CRS, parts threads: Int, size: Int = 4096,
                                               keep: (@Sendable (Envelope) -> Bool)? = nil,
                                               outlineOnly: (@Sendable (Envelope) -> Bool)? = nil,
                                               _ transform: @escaping @Sendable ([Feature]) throws -> R) throws
        -> (results: [R], report: ReadReport)? {
        guard threads > 1, let ranges = try ranges(16 * threads) else { return nil }
        let source = try requireCRS()
        let (path, options, layerName, fields, label) = (openPath, openOptions, layer.name, layer.selectedFieldNames, label)
        let outcomes = Slots<Result<([R], ReadReport), Error>>(ranges.count)
        let own = Handover(layer)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var handle: Result<Layer, Error>? = t == 0 ? .success(own.value) : nil
            while let k = outcomes.claim() {
                outcomes[k] = Result {
                    let layer = try (handle ?? Result {
                        let layer = try Dataset(path: path, openOptions: options).layer(named: layerName)
                        if let fields { try layer.selectFields(fields) }
                        return layer
                    }).get()
                    handle = .success(layer)
                    var report = ReadReport()
                    var results: [R] = []
                    try VectorInput.batches(of: layer, label: label, from: source, into: target, size: size, range: ranges[k],
                                            keep: keep, outlineOnly: outlineOnly, report: &report) { results.append(try transform($0)) }
                    return (results, report)
                }
            }
        }
        var results: [R] = []
        var report = ReadReport()
        for outcome in outcomes.values {
            let (part, counts) = try outcome!.get()
            results += part
            report.add(counts)
        }
        return (results, report)
    }

    /// Splits the layer into `parts` ranges that separate handles can read: GeoPackage layers
    /// by FID range, layers that seek cheaply (Shapefiles) by position. Nil when the driver can
    /// do neither, or when the layer is too small (under 20,000 features) for it to pay.
    func ranges(_ parts: Int) throws -> [Layer.ReadRange]? {
        let count = OGR_L_GetFeatureCount(layer.handle, 0)
        guard parts > 1, count >= 20_000 else { return nil }
        func split(_ lower: Int64, _ upper: Int64) -> [Range<Int64>] {
            (0..<Int64(parts)).map { k in
                (lower + (upper - lower) * k / Int64(parts))..<(lower + (upper - lower) * (k + 1) / Int64(parts))
            }
        }
        if dataset.driverName == "GPKG", let column = String(optionalCString: OGR_L_GetFIDColumn(layer.handle)), !column.isEmpty {
            // Two queries: SQLite answers MIN or MAX of the rowid alone from the B-tree, not both at once.
            func bound(_ f: String) throws -> Int64? {
                let sql = "SELECT \(f)(\(Layer.sqlName(column))) AS v FROM \(Layer.sqlName(layer.name))"
                guard case .integer(let v)? = try dataset.execute(sql).first?["v"] else { return nil }
                return v
            }
            guard let lowest = try bound("MIN"), let highest = try bound("MAX") else { return nil }
            return split(lowest, highest + 1).map { .fids(column: column, $0) }
        }
        if OGR_L_TestCapability(layer.handle, OLCFastSetNextByIndex) != 0 {
            return split(0, count).map { .positions($0) }
        }
        return nil
    }

    /// The reading loop of `forEachBatch`, for any layer handle and range.
    private static func batches(of layer: Layer, label: String, from sourceCRS: CRS, into target: CRS, size: Int,
                                range: Layer.ReadRange?, keep: ((Envelope) -> Bool)?, outlineOnly: ((Envelope) -> Bool)?,
                                report: inout ReadReport, _ body: ([Feature]) throws -> Void) throws {
        let transform = try CoordinateTransform(from: sourceCRS, to: target)
        // Coordinates are checked in the source CRS, before transformation.
        let check = CoordinateCheck(crs: sourceCRS, label: label)
        var batch: [Feature] = []
        batch.reserveCapacity(size)
        var counts = report
        let leftOut = try layer.forEach(transform: transform, check: check.validate, range: range, keep: keep,
                                        outlineOnly: outlineOnly) { raw in
            counts.features += 1
            if raw.outline == nil {
                guard let g = raw.geometry else {
                    if layer.currentGeometryUnreadable { counts.unreadable += 1 } else { counts.nullGeometry += 1 }
                    return
                }
                guard !g.isEmpty else { counts.emptyGeometry += 1; return }
                if layer.currentRingsClosed { counts.ringsClosed += 1 }
            }
            batch.append(raw)
            if batch.count == size {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try body(batch) }
        counts.features += leftOut
        counts.leftOut += leftOut
        report = counts
    }
}

/// Make-valid and geometry-type checks, the same for every command.
public enum GeometryRepair {
    /// The feature with its geometry fit for `expected`, or nil when it must be skipped; what was
    /// repaired or skipped is counted in `report`. Safe to call from any thread.
    /// An outline is only checked for its kind: it is measured, never intersected, so it is
    /// not repaired.
    public static func normalise(_ feature: Feature, expected: ExpectedGeometry, report: inout ReadReport) throws -> Feature? {
        if let kind = feature.outline?.kind {
            let fits = switch expected {
            case .any: true
            case .points: kind == .point || kind == .multiPoint
            case .polygons: kind.isPolygonal || kind == .collection
            }
            if !fits { report.wrongType += 1 }
            return fits ? feature : nil
        }
        guard let g = feature.geometry else { return nil }
        switch expected {
        case .any:
            return feature
        case .points:
            guard g.kind == .point || g.kind == .multiPoint else { report.wrongType += 1; return nil }
            return feature
        case .polygons:
            guard g.kind.isPolygonal || g.kind == .collection else { report.wrongType += 1; return nil }
            var geometry = g
            if !geometry.isValid {
                geometry = try geometry.makeValid().polygonalPart()
                report.repaired += 1
            } else if geometry.kind == .collection {
                geometry = try geometry.polygonalPart()
            }
            guard !geometry.isEmpty, try geometry.planarArea() > 0 else { report.collapsed += 1; return nil }
            var out = feature
            out.geometry = geometry
            return out
        }
    }
}

/// Refuses coordinates a CRS cannot hold: not finite, or outside lon/lat range for a geographic
/// CRS (saying so when latitude and longitude look swapped).
struct CoordinateCheck {
    let crs: CRS
    let label: String

    /// `vertices` is asked for only when the envelope is wrong, to name the vertex at fault.
    func validate(_ e: Envelope, _ fid: Int64, _ vertices: () -> [Coordinate]) throws {
        var where_: String { "\(label) feature \(fid)" }
        let finite = e.minX.isFinite && e.minY.isFinite && e.maxX.isFinite && e.maxY.isFinite
        let inRange = !crs.isGeographic || (e.minX >= -180 && e.maxX <= 180 && e.minY >= -90 && e.maxY <= 90)
        if finite && inRange { return }
        let points = vertices()
        if let k = points.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            throw GDALError(context: "\(where_) has NaN or infinite coordinates (vertex \(k + 1): \(points[k].x), \(points[k].y))",
                            message: "fix or remove the feature")
        }
        let swapped = e.minY >= -180 && e.maxY <= 180 && e.minX >= -90 && e.maxX <= 90
        if swapped {
            throw GDALError(context: "\(where_): latitude and longitude look swapped (x \(e.minX), y \(e.minY))",
                            message: "the layer is declared \(crs) (lon/lat); swap the columns or fix the data")
        }
        let k = points.firstIndex { abs($0.x) > 180 || abs($0.y) > 90 } ?? 0
        let bad = points.isEmpty ? Coordinate(e.maxX, e.maxY) : points[k]
        throw GDALError(context: "\(where_): vertex \(k + 1) (\(bad.x), \(bad.y)) is outside lon/lat range for \(crs)",
                        message: "the layer is probably projected: give its real CRS with @EPSG:n")
    }
}
