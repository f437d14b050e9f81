import Foundation
import GDALKit

/// One row of a coverage result: a zone (or the features outside every zone, `zone == nil`),
/// for all classes (`className == nil`) or one class.
public struct CoverageRow: Sendable, Equatable {
    public let zone: String?
    public let className: String?
    /// Ellipsoidal zone area in m² (nil for the outside row).
    public let zoneArea: Double?
    /// Features assigned here: polygons by their largest piece, points where they fall;
    /// for rasters, whole-pixel equivalents.
    public var count: Double
    /// Features that intersect the zone at all (polygons only).
    public var touching: Int?
    /// Covered area in m²: the union of the pieces inside the zone (polygons and rasters).
    public var area: Double?
    /// Mean and maximum of the value field (points with `--value`).
    public var mean: Double?
    public var max: Double?

    /// A zone's covered area is at most the zone's own: where the two are measured by different
    /// exact methods (a local equal-area frame, geodesic rings) and differ in their last digits
    /// on a tiny zone, the covered area is capped at the zone's.
    public init(zone: String?, className: String?, zoneArea: Double?, count: Double, touching: Int?, area: Double?,
                mean: Double? = nil, max: Double? = nil) {
        self.zone = zone
        self.className = className
        self.zoneArea = zoneArea
        self.count = count
        self.touching = touching
        self.area = zoneArea.map { cap in area.map { Swift.min($0, cap) } } ?? area
        self.mean = mean
        self.max = max
    }

    public var coveragePct: Double? {
        guard let zoneArea, zoneArea > 0, let area else { return nil }
        return 100 * area / zoneArea
    }

    /// Points per km² of zone.
    public var density: Double? {
        guard let zoneArea, zoneArea > 0 else { return nil }
        return count / (zoneArea / 1e6)
    }
}

/// A feature cut by a zone border: the part of one feature inside one zone.
public struct Piece: Sendable {
    public let fid: Int64
    public let zone: Int
    public let className: String?
    public let geometry: Geometry
    /// Ellipsoidal area in m².
    public let area: Double
    /// Its rings in the equal-area plane where the area was measured (nil when measured
    /// geodesically): what a union with overlapping pieces is measured on.
    public let planar: PlanarRings?
}

/// What `coverage` computed: the zone rows, per-class rows, the pieces when asked for, and
/// what reading repaired or skipped.
public struct CoverageResult: Sendable {
    public enum Kind: Sendable { case polygons, points, raster }
    public let kind: Kind
    public let zones: Zones
    /// One row per zone in layer order, then the outside row when any feature fell outside.
    public let rows: [CoverageRow]
    /// One row per (zone, class) present, zones in layer order and classes sorted.
    public let classRows: [CoverageRow]
    public let classes: [String]
    public let pieces: [Piece]
    public let report: ReadReport
    /// Points whose value was missing, in one line (`--value`), or nil.
    public var valueWarning: String? = nil
}

/// Polygon coverage: each feature is cut by the zones it crosses (an STR-tree finds them;
/// prepared zones settle features wholly inside one zone without any intersection), counted in
/// the zone holding its largest piece, and the zone's covered area is the ellipsoidal area of
/// the union of its pieces (pieces that overlap, found with a tree, are measured on their union's
/// boundary without building it: `UnionBoundaryArea`; the rest summed). Zones' unions run on
/// every core.
public enum PolygonCoverage {
    public static func compute(_ input: VectorInput, zones: Zones, classField: String?,
                               keepPieces: Bool, progress: ProgressSink? = nil) throws -> CoverageResult {
        let classFieldName = try classField.map { try Zones.requireField($0, in: input.layer.schema, of: input.label) }
        try input.layer.selectFields(classFieldName.map { [$0] } ?? [])
        var report = ReadReport()
        var accumulator = Accumulator(zoneCount: zones.zones.count)
        let counter = progress.map { ProgressCounter($0, total: input.layer.featureCount) }
        // A layer that splits is read and cut in parts on every core; any other is read on this
        // thread while the cores cut the last batch.
        if let (parts, reading) = try input.mapBatchesInParts(into: zones.crs, parts: Parallel.workers, { batch in
            defer { counter?.add(batch.count) }
            return try cut(batch[...], zones: zones, classField: classFieldName)
        }) {
            for part in parts { accumulator.add(part) }
            report.add(reading)
        } else {
            let inFlight = Overlapped<[Cut]>()
            try input.forEachBatch(into: zones.crs, report: &report) { batch in
                let done = try inFlight.submit {
                    try Parallel.map(count: batch.count) { range in try cut(batch[range], zones: zones, classField: classFieldName) }
                }
                for part in done ?? [] { accumulator.add(part) }
                counter?.add(batch.count)
            }
            for part in try inFlight.wait() ?? [] { accumulator.add(part) }
        }
        progress?.finish()
        report.add(accumulator.repairs)
        let result = try accumulator.finish(zones: zones, report: report, keepPieces: keepPieces)
        // The pieces (one GEOS geometry each) are torn down on another core while the table is written.
        Parallel.releaseInBackground(consume accumulator)
        return result
    }

    /// What one worker found for a run of features: the pieces by zone, in feature order.
    struct Cut: Sendable {
        var assignments: [(zone: Int?, touching: [Int], className: String?)] = []
        var pieces: [[Piece]]
        var repairs = ReadReport()

        init(zoneCount: Int) { pieces = Array(repeating: [], count: zoneCount) }
    }

    static func cut(_ features: ArraySlice<Feature>, zones: Zones, classField: String?) throws -> Cut {
        let cutter = ZoneCutter(zones)
        var out = Cut(zoneCount: zones.zones.count)
        for raw in features {
            guard let feature = try GeometryRepair.normalise(raw, expected: .polygons, report: &out.repairs),
                  let g = feature.geometry else { continue }
            let className = classField.flatMap { f in feature[f].flatMap { $0.isNull ? nil : $0.description } }
            let (touching, shares) = try cutter.cut(g)
            for s in shares {
                out.pieces[s.zone].append(Piece(fid: feature.fid, zone: s.zone, className: className, geometry: s.piece, area: s.area,
                                                planar: s.planar))
            }
            out.assignments.append((ZoneCutter.largest(shares), touching, className))
        }
        return out
    }

    /// Sums what the workers found, then unions overlapping pieces per zone. The pieces stay in
    /// the workers' runs until each zone's are gathered on the core that measures them.
    struct Accumulator {
        var counts: [Int]
        var touching: [Int]
        var classCounts: [Int: [String: Int]] = [:]
        var classTouching: [Int: [String: Int]] = [:]
        var outside = 0
        var outsideClasses: [String: Int] = [:]
        /// By run, then by zone.
        var pieces: [[[Piece]]] = []
        var repairs = ReadReport()

        init(zoneCount: Int) {
            counts = Array(repeating: 0, count: zoneCount)
            touching = Array(repeating: 0, count: zoneCount)
        }

        /// A zone's pieces, runs in reading order.
        func pieces(of zone: Int) -> [Piece] { pieces.flatMap { $0[zone] } }

        mutating func add(_ cut: Cut) {
            repairs.add(cut.repairs)
            for a in cut.assignments {
                if let z = a.zone {
                    counts[z] += 1
                    if let c = a.className { classCounts[z, default: [:]][c, default: 0] += 1 }
                } else {
                    outside += 1
                    if let c = a.className { outsideClasses[c, default: 0] += 1 }
                }
                for z in a.touching {
                    touching[z] += 1
                    if let c = a.className { classTouching[z, default: [:]][c, default: 0] += 1 }
                }
            }
            pieces.append(cut.pieces)
        }

        func finish(zones: Zones, report: ReadReport, keepPieces: Bool) throws -> CoverageResult {
            let meter = zones.areas
            let classes = Set(classCounts.values.flatMap(\.keys)).union(classTouching.values.flatMap(\.keys))
                .union(outsideClasses.keys).sorted()
            // Union areas per zone (all classes, then each class), zones spread over the cores.
            let unions = try Parallel.map(count: zones.zones.count, chunks: zones.zones.count) { range in
                try range.map { z -> (Double, [String: Double]) in
                    let inZone = pieces(of: z)
                    let total = try unionArea(inZone, areas: meter)
                    var byClass: [String: Double] = [:]
                    for c in Set(inZone.compactMap(\.className)) {
                        byClass[c] = try unionArea(inZone.filter { $0.className == c }, areas: meter)
                    }
                    return (total, byClass)
                }
            }.flatMap { $0 }
            var rows: [CoverageRow] = []
            var classRows: [CoverageRow] = []
            for (z, zone) in zones.zones.enumerated() {
                rows.append(CoverageRow(zone: zone.name, className: nil, zoneArea: zone.area, count: Double(counts[z]),
                                        touching: touching[z], area: unions[z].0))
                for c in classes {
                    classRows.append(CoverageRow(zone: zone.name, className: c, zoneArea: zone.area,
                                                 count: Double(classCounts[z]?[c] ?? 0),
                                                 touching: classTouching[z]?[c] ?? 0, area: unions[z].1[c] ?? 0))
                }
            }
            if outside > 0 {
                rows.append(CoverageRow(zone: nil, className: nil, zoneArea: nil, count: Double(outside), touching: nil, area: nil))
                for c in classes where outsideClasses[c] != nil {
                    classRows.append(CoverageRow(zone: nil, className: c, zoneArea: nil, count: Double(outsideClasses[c]!),
                                                 touching: nil, area: nil))
                }
            }
            let kept = keepPieces ? zones.zones.indices.flatMap(pieces(of:)).sorted { ($0.fid, $0.zone) < ($1.fid, $1.zone) } : []
            return CoverageResult(kind: .polygons, zones: zones, rows: rows, classRows: classRows, classes: classes,
                                  pieces: kept, report: report)
        }
    }

    /// The ellipsoidal area of the union of pieces. Pieces whose envelopes meet no other's are
    /// summed as they are. Each group of pieces with meeting envelopes (an STR-tree finds them) is
    /// measured on its union's boundary without building the union (`UnionBoundaryArea`: on the
    /// pieces' projected rings, kept from when their areas were measured), or, when it spans
    /// more than the projection's reach (`EllipsoidalArea.maxSpan`), by unioning the
    /// pieces that meet (GEOS cascaded union) and measuring the union as drawn.
    static func unionArea(_ pieces: [Piece], areas: EllipsoidalArea) throws -> Double {
        guard pieces.count > 1 else { return pieces.first?.area ?? 0 }
        var total = 0.0
        for members in try groups(pieces, meeting: { _, _ in true }) {
            guard members.count > 1 else {
                total += pieces[members[0]].area
                continue
            }
            let envelope = members.reduce(Envelope.empty) { $0.union(pieces[$1].geometry.envelope) }
            let planar = members.compactMap { pieces[$0].planar }
            if envelope.width <= areas.maxSpan && envelope.height <= areas.maxSpan && planar.count == members.count {
                var polygons = UnionBoundaryArea.Polygons()
                for rings in planar { polygons.append(rings) }
                total += UnionBoundaryArea.area(polygons)
            } else {
                total += try builtUnionArea(members.map { pieces[$0] }, areas: areas)
            }
        }
        return total
    }

    /// The area of the union built with GEOS: each group of pieces that meet (checked with
    /// `intersects`) unioned once (cascaded union), then measured.
    static func builtUnionArea(_ pieces: [Piece], areas: EllipsoidalArea) throws -> Double {
        var total = 0.0
        for members in try groups(pieces, meeting: { try $0.geometry.intersects($1.geometry) }) {
            if members.count == 1 {
                total += pieces[members[0]].area
            } else {
                total += areas.area(try Geometry.union(members.map { pieces[$0].geometry }).polygonalPart())
            }
        }
        return total
    }

    /// The pieces in groups that meet, directly or through others: candidates are pairs whose
    /// envelopes meet (an STR-tree), kept when `meeting` says so. Groups in order of their first
    /// piece, pieces in input order.
    static func groups(_ pieces: [Piece], meeting: (Piece, Piece) throws -> Bool) throws -> [[Int]] {
        let envelopes = pieces.map(\.geometry.envelope)
        let tree = STRTree(envelopes)
        var parent = Array(pieces.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for i in pieces.indices {
            for j in tree.query(envelopes[i]) where j > i && root(j) != root(i) {
                guard try meeting(pieces[i], pieces[j]) else { continue }
                let (a, b) = (root(i), root(j))
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in pieces.indices { groups[root(i), default: []].append(i) }
        return groups.keys.sorted().map { groups[$0]! }
    }
}
