import Foundation
import GDALKit

/// What `overlap` compares and how.
public struct OverlapOptions: Sendable {
    public var classField: String?
    /// Only sensitive features of these classes (nil: all).
    public var classes: [String]?
    /// Pairs closer than this (metres) are reported; 0 for overlaps only.
    public var within: Double = 0
    /// Ring distances (metres) counted per class in the summary.
    public var rings: [Double] = [100, 300, 500]
    public var plotIdField: String?
    public var parcelIdField: String?
    /// Plot attributes carried into each row.
    public var keep: [String] = []
    /// Keep the intersection pieces and nearest-distance lines for GeoJSON.
    public var keepGeometry = false

    public init() {}

    /// How far to look: the threshold or the widest ring.
    var searchRadius: Double { max(within, rings.max() ?? 0) }
}

/// A plot and a sensitive feature that intersect or lie within the threshold.
public struct OverlapPair: Sendable {
    public let plotIndex: Int
    public let plot: String
    public let parcel: String
    public let className: String?
    /// Ellipsoidal area of the intersection in m² (0 when they only touch or lie near).
    public let overlap: Double
    /// 100 × overlap / plot area.
    public let plotShare: Double
    /// Shortest geodesic distance in metres (0 when they touch or overlap).
    public let distance: Double
    /// The intersection (lon/lat) when there is one and geometry was asked for.
    public let piece: Geometry?
    /// The shortest line from the plot to the feature (lon/lat), for pairs that only lie near.
    public let line: Geometry?
    /// The sensitive feature itself (lon/lat), when geometry was asked for.
    public let parcelGeometry: Geometry?
}

/// One plot with what lies on and around it.
public struct PlotSummary: Sendable {
    public let plot: String
    public let zone: String?
    public let kept: [FieldValue]
    public var overlapping = 0
    public var within = 0
    public var nearest: (className: String?, parcel: String, distance: Double)?
    /// Per class: overlap area and counts within each ring.
    public var overlapByClass: [String: Double] = [:]
    public var ringCounts: [String: [Int]] = [:]
    /// The plot (lon/lat).
    public let geometry: Geometry
}

/// The result of `overlap`.
public struct OverlapResult: Sendable {
    public let pairs: [OverlapPair]
    public let plots: [PlotSummary]
    public let classes: [String]
    public let options: OverlapOptions
    public let crs: CRS
    public let hasZones: Bool
    public let reports: [(String, ReadReport)]
}

/// Contaminated plots against sensitive land uses: overlaps by ellipsoidal area of the
/// intersection, proximity by the shortest distance measured in a local equal-area metric frame
/// (`LocalEqualArea`) and reported as the geodesic distance between the two nearest points.
public enum Overlap {
    public static func compute(plots plotInput: VectorInput, sensitive sensitiveInput: VectorInput, zones: Zones?,
                               options: OverlapOptions) throws -> OverlapResult {
        let crs = try zones?.crs ?? plotInput.requireCRS().geographic()
        let plotSchema = plotInput.layer.schema
        let plotId = try options.plotIdField.map { try Zones.requireField($0, in: plotSchema, of: plotInput.label) }
        let keep = try options.keep.map { try Zones.requireField($0, in: plotSchema, of: plotInput.label) }
        let sensitiveSchema = sensitiveInput.layer.schema
        let parcelId = try options.parcelIdField.map { try Zones.requireField($0, in: sensitiveSchema, of: sensitiveInput.label) }
        let classField = try options.classField.map { try Zones.requireField($0, in: sensitiveSchema, of: sensitiveInput.label) }
        try plotInput.layer.selectFields([plotId].compactMap { $0 } + keep)
        try sensitiveInput.layer.selectFields([parcelId, classField].compactMap { $0 })
        if options.classes != nil && classField == nil {
            throw LandWatchError.usage("--classes needs --class-field to say which field holds the class")
        }
        let plotsData = try plotInput.load(into: crs, expecting: .polygons)
        let kind = try LayerKind.detect(sensitiveInput)
        let sensitiveData = try sensitiveInput.load(into: crs, expecting: kind == .points ? .points : .polygons)
        try checkUnique(plotsData, field: plotId)
        try checkUnique(sensitiveData, field: parcelId)

        let wanted = options.classes.map(Set.init)
        let parcels: [Parcel] = sensitiveData.features.compactMap { f in
            let c = classField.flatMap { f[$0].flatMap { $0.isNull ? nil : $0.description } }
            if let wanted, !wanted.contains(c ?? "") { return nil }
            return Parcel(id: identifier(f, field: parcelId), className: c, geometry: f.geometry!)
        }
        let extent = plotsData.features.reduce(Envelope.empty) { $0.union($1.geometry!.envelope) }
        let context = try Context(crs: crs, centre: extent.isEmpty ? Coordinate(0, 0) : extent.center,
                                  parcels: parcels, options: options, zones: zones)
        let plots = plotsData.features
        let results = try Parallel.map(count: plots.count, chunks: Parallel.workers * 4) { range in
            let worker = try Worker(context)
            return try range.map { i in
                try worker.measure(plots[i], index: i, id: identifier(plots[i], field: plotId),
                                   kept: keep.map { plots[i][$0] ?? .null })
            }
        }.flatMap { $0 }
        let classes = Set(parcels.compactMap(\.className)).sorted()
        return OverlapResult(pairs: results.flatMap(\.pairs), plots: results.map(\.summary), classes: classes,
                             options: options, crs: crs, hasZones: zones != nil,
                             reports: [(plotsData.label, plotsData.report), (sensitiveData.label, sensitiveData.report)])
    }

    static func identifier(_ f: Feature, field: String?) -> String {
        guard let field, let v = f[field], !v.isNull else { return String(f.fid) }
        return v.description
    }

    /// Ids named by an id field must be unique: the error names the first duplicate.
    static func checkUnique(_ data: LayerData, field: String?) throws {
        guard let field else { return }
        var seen: [String: Int64] = [:]
        for f in data.features {
            let id = identifier(f, field: field)
            if let first = seen[id] {
                throw LandWatchError.data("\(data.label) field \"\(field)\": id \"\(id)\" is used by features \(first) and \(f.fid); ids must be unique")
            }
            seen[id] = f.fid
        }
    }

    struct Parcel: Sendable {
        let id: String
        let className: String?
        let geometry: Geometry
    }

    /// What every worker shares (read-only): the parcels in lon/lat and in the metric frame.
    struct Context: Sendable {
        let crs: CRS
        let parcels: [Parcel]
        let metricParcels: [Geometry]
        let tree: STRTree
        let options: OverlapOptions
        let zones: Zones?
        let areas: EllipsoidalArea

        init(crs: CRS, centre: Coordinate, parcels: [Parcel], options: OverlapOptions, zones: Zones?) throws {
            self.crs = crs
            let areas = EllipsoidalArea(crs.ellipsoid, centre: centre)
            self.areas = areas
            self.parcels = parcels
            metricParcels = try Parallel.map(count: parcels.count) { range in
                try range.map { try areas.projection.project(parcels[$0].geometry) }
            }.flatMap { $0 }
            tree = STRTree(parcels.map(\.geometry.envelope))
            self.options = options
            self.zones = zones
        }
    }

    /// One thread's tools: the zones prepared for it.
    final class Worker {
        let context: Context
        let cutter: ZoneCutter?

        init(_ context: Context) throws {
            self.context = context
            cutter = context.zones.map(ZoneCutter.init)
        }

        func measure(_ plot: Feature, index: Int, id: String, kept: [FieldValue]) throws -> (pairs: [OverlapPair], summary: PlotSummary) {
            let g = plot.geometry!
            let options = context.options
            let plotArea = context.areas.area(g)
            let zone = try cutter.flatMap { c in ZoneCutter.largest(try c.cut(g).shares).map { c.zones.zones[$0].name } }
            var summary = PlotSummary(plot: id, zone: zone, kept: kept, geometry: g)
            let radius = options.searchRadius
            // Candidates: lon/lat envelope grown by the search radius (generously, in degrees).
            let e = g.envelope
            let dLat = radius / 110_000 * 1.01
            let dLon = radius / (110_000 * cos(max(abs(e.minY), abs(e.maxY)) * .pi / 180)) * 1.01
            let search = Envelope(minX: e.minX - dLon, minY: e.minY - dLat, maxX: e.maxX + dLon, maxY: e.maxY + dLat)
            let prepared = try PreparedGeometry(g)
            var plotMetric: Geometry?
            let projection = context.areas.projection
            var pairs: [OverlapPair] = []
            for i in context.tree.query(search) {
                let parcel = context.parcels[i]
                var distance = 0.0
                var overlap = 0.0
                var piece: Geometry?
                var line: Geometry?
                if try prepared.intersects(parcel.geometry) {
                    if parcel.geometry.kind.isPolygonal || parcel.geometry.kind == .collection {
                        let p = try g.intersection(parcel.geometry).polygonalPart()
                        overlap = p.isEmpty ? 0 : context.areas.area(p)
                        if overlap > 0 && options.keepGeometry { piece = p }
                    }
                } else {
                    let pm = try plotMetric ?? projection.project(g)
                    plotMetric = pm
                    let parcelMetric = context.metricParcels[i]
                    let (a, b) = try pm.nearestPoints(to: parcelMetric)
                    guard ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() <= radius * 1.001 else { continue }
                    let la = projection.inverse(a.x, a.y), lb = projection.inverse(b.x, b.y)
                    distance = context.areas.geodesic.distance(la, lb)
                    guard distance <= radius else { continue }
                    if options.keepGeometry { line = try Geometry(shape: .lineString([la, lb])) }
                }
                let c = parcel.className ?? ""
                if overlap > 0 {
                    summary.overlapping += 1
                    summary.overlapByClass[c, default: 0] += overlap
                }
                if distance <= options.within { summary.within += 1 }
                var rings = summary.ringCounts[c] ?? Array(repeating: 0, count: options.rings.count)
                for (k, r) in options.rings.enumerated() where distance <= r { rings[k] += 1 }
                summary.ringCounts[c] = rings
                if summary.nearest == nil || distance < summary.nearest!.distance
                    || (distance == summary.nearest!.distance && parcel.id < summary.nearest!.parcel) {
                    summary.nearest = (parcel.className, parcel.id, distance)
                }
                if distance <= options.within {
                    pairs.append(OverlapPair(plotIndex: index, plot: id, parcel: parcel.id, className: parcel.className,
                                             overlap: overlap, plotShare: plotArea > 0 ? 100 * overlap / plotArea : 0,
                                             distance: distance, piece: piece, line: line,
                                             parcelGeometry: options.keepGeometry ? parcel.geometry : nil))
                }
            }
            pairs.sort { ($0.distance, -$0.overlap, $0.parcel) < ($1.distance, -$1.overlap, $1.parcel) }
            return (pairs, summary)
        }
    }
}
