import Foundation
import GDALKit

/// What `overlap` compares and how.
public struct OverlapOptions: Sendable {
    public var classField: String?
    /// Only sensitive features of these classes (nil: all).
    public var classes: [String]?
    /// Pairs closer than this (metres) are reported; 0 for overlaps only.
    public var within = Spec.within.defaultValue
    /// Ring distances (metres) counted per class in the summary.
    public var rings = Spec.rings.defaultValue
    public var plotIdField: String?
    public var parcelIdField: String?
    /// Plot attributes carried into each row.
    public var keep: [String] = []
    /// Their headers in Chinese tables, by field (`--keep risk:风险等级`); the field name otherwise.
    public var keepHeaders: [String: String] = [:]

    /// Takes `FIELD` or `FIELD:表头` items (`--keep`, the config's `keep`).
    public mutating func setKeep(_ items: [String]) {
        keep = []
        keepHeaders = [:]
        for item in items {
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            keep.append(parts[0])
            if parts.count == 2, !parts[1].isEmpty { keepHeaders[parts[0]] = parts[1] }
        }
    }
    /// Keep the intersection pieces and nearest-distance lines for GeoJSON.
    public var keepGeometry = false

    public init() {}

    /// How far to look: the threshold or the widest ring.
    var searchRadius: Double { max(within, rings.max() ?? 0) }

    /// The defaults and ranges of the options that `run`'s config has too (the monthly job's
    /// `within` is its own: `RunConfig.ContaminatedSection.Spec.within`).
    public enum Spec {
        public static let within = OptionSpec(default: 0.0, .amount)
        public static let rings = OptionSpec(default: [100.0, 300, 500], .list(.metres))
    }

    /// Refuses a distance out of range, as a usage error naming it.
    public func validate() throws {
        try Spec.within.check(within, as: .within, is: "a distance in metres, 0 or more")
    }
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
    /// The pairs, plots in layer order, each plot's nearest first (kept in the chunks the
    /// workers filled, so that a million pairs are not copied into one array).
    public var pairs: FlattenSequence<[[OverlapPair]]> { pairChunks.joined() }
    let pairChunks: [[OverlapPair]]
    public let plots: [PlotSummary]
    public let classes: [String]
    public let options: OverlapOptions
    public let crs: CRS
    public let hasZones: Bool
    public let reports: [(String, ReadReport)]
}

/// Contaminated plots against sensitive land uses: overlaps by ellipsoidal area of the
/// intersection, proximity by the nearest points found in each plot's `LocalFrame` and reported
/// as the ellipsoidal distance between them. Sensitive features beyond every plot's reach are
/// left unread; plots are measured on every core.
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
            throw LandWatchError.usage("a choice of classes needs the sensitive layer's class field, to say which field holds the class")
        }
        // Found out while the plots are read: whether the sensitive layer's CRS needs a transformation.
        if let sensitiveCRS = try? sensitiveInput.requireCRS() { CoordinateTransform.prepare(from: sensitiveCRS, to: crs) }
        let plotsData = try plotInput.load(into: crs, expecting: .polygons)
        let kind = try LayerKind.detect(sensitiveInput)
        // Sensitive features beyond every plot's reach are not read; of the others, only those
        // whose envelope meets a plot's may be intersected and become GEOS geometries (repaired
        // when invalid): the rest are measured on their outlines.
        let plotEnvelopes = plotsData.features.map { $0.geometry!.envelope }
        let reach = ReachMask(plotEnvelopes.map { Reach(plot: $0, ellipsoid: crs.ellipsoid, radius: options.searchRadius).search })
        let touch = ReachMask(plotEnvelopes)
        let outlineOnly: (@Sendable (Envelope) -> Bool)? = options.keepGeometry ? nil : { @Sendable envelope in !touch.reaches(envelope) }
        let sensitiveData = try sensitiveInput.load(into: crs, expecting: kind == .points ? .points : .polygons,
                                                    keep: { reach.reaches($0) }, outlineOnly: outlineOnly)
        try checkUnique(plotsData, field: plotId)
        try checkUnique(sensitiveData, field: parcelId)

        let wanted = options.classes.map(Set.init)
        let chosen = wanted.map { wanted in sensitiveData.features.filter { wanted.contains(className($0, field: classField) ?? "") } }
            ?? sensitiveData.features
        let extent = plotsData.features.reduce(Envelope.empty) { $0.union($1.geometry!.envelope) }
        let context = try Context(crs: crs, centre: extent.isEmpty ? Coordinate(0, 0) : extent.center, parcels: chosen,
                                  idField: parcelId, classField: classField, options: options, zones: zones)
        let plots = plotsData.features
        // Plots are measured in the order of their place on the map, so that one worker's plots
        // in a row look at the same parcels; the results are put back in layer order.
        let order = Overlap.mapOrder(plotEnvelopes)
        let chunks = try Parallel.map(count: plots.count, chunks: Parallel.workers * 4) { range in
            let worker = try Worker(context)
            return try context.vertices.withView { parcelVertices in
                try order[range].map { i in
                    try worker.measure(plots[i], index: i, id: identifier(plots[i], field: plotId),
                                       kept: keep.map { plots[i][$0] ?? .null }, parcelVertices: parcelVertices)
                }
            }
        }
        var measured = [(pairs: [OverlapPair], summary: PlotSummary)?](repeating: nil, count: plots.count)
        for (i, m) in zip(order, chunks.joined()) { measured[i] = m }
        let result = OverlapResult(pairChunks: measured.map { $0!.pairs }, plots: measured.map { $0!.summary }, classes: context.classes.filter { !$0.isEmpty },
                                   options: options, crs: crs, hasZones: zones != nil,
                                   reports: [(plotsData.label, plotsData.report), (sensitiveData.label, sensitiveData.report)])
        Parallel.releaseInBackground((consume context, consume sensitiveData, consume chosen, consume chunks))
        return result
    }

    /// Indexes of envelopes by their centres in rows of 0.01° from south to north, each row
    /// west to east and back (a serpentine), so that neighbours in the order are neighbours on
    /// the map; ties in layer order.
    static func mapOrder(_ envelopes: [Envelope]) -> [Int] {
        let keys = envelopes.enumerated().map { i, e -> (UInt64, Int) in
            let c = e.center
            let row = UInt64(max(0, min(18_000, ((c.y + 90) * 100).rounded(.down))))
            let x = UInt64(max(0, min(3.6e9, ((c.x + 180) * 1e7).rounded())))
            return (row << 32 | (row % 2 == 0 ? x : 3_600_000_000 - x), i)
        }
        return keys.sorted { $0 < $1 }.map(\.1)
    }

    /// Features closer than this (metres) touch.
    static let touching = 0.001

    static func identifier(_ f: Feature, field: String?) -> String {
        guard let field, let v = f[field], !v.isNull else { return String(f.fid) }
        return v.description
    }

    /// A feature's class: the class field's value, nil when null or when there is no such field.
    static func className(_ f: Feature, field: String?) -> String? {
        field.flatMap { f[$0].flatMap { $0.isNull ? nil : $0.description } }
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

    /// What every worker shares (read-only): the sensitive features (parcels) as columns in map
    /// order (the order of their tree's leaves), so that the parcels around a plot lie near each
    /// other in memory too: ids, classes (also as indexes into `classes`), GEOS geometries (for
    /// those that may meet a plot; the others are measured on their outlines), envelopes and
    /// vertices.
    struct Context: Sendable {
        let crs: CRS
        let ids: [String]
        let classNames: [String?]
        let geometries: [Geometry?]
        let envelopes: [Envelope]
        let vertices: VertexRuns
        /// Every class present, sorted; "" for parcels without one.
        let classes: [String]
        let classIndex: [Int]
        /// The envelopes, by their index in the columns.
        let tree: STRTree
        let options: OverlapOptions
        let zones: Zones?
        let areas: EllipsoidalArea

        init(crs: CRS, centre: Coordinate, parcels: [Feature], idField: String?, classField: String?,
             options: OverlapOptions, zones: Zones?) throws {
            self.crs = crs
            areas = EllipsoidalArea(crs.ellipsoid, centre: centre)
            // The tree, its order and everything else are first found in the order read, where
            // the parcels lie in memory, then put in map order: the tree is built while ids and
            // classes are read, the vertices are gathered while the rest is put in order.
            let ((read, classNames), (tree, order)) = try Parallel.both({
                (parcels.map { Overlap.identifier($0, field: idField) }, parcels.map { Overlap.className($0, field: classField) })
            }, { STRTree(parcels.map { $0.geometry?.envelope ?? $0.outline!.envelope }).renumberedInLeafOrder() })
            self.tree = tree
            let (vertices, (ids, found, geometries)) = try Parallel.both({
                VertexRuns(concatenating: parcels.map { f in f.geometry.map { VertexRuns([$0]) } ?? f.outline!.vertices }).reordered(order)
            }, { () -> ([String], ([String], [Int]), [Geometry?]) in
                let (classes, indexes) = Context.classIndexes(classNames)
                return (order.map { read[$0] }, (classes, order.map { indexes[$0] }), order.map { parcels[$0].geometry })
            })
            (self.ids, self.geometries, self.vertices) = (ids, geometries, vertices)
            self.classNames = order.map { classNames[$0] }
            envelopes = tree.envelopes
            (classes, classIndex) = found
            self.options = options
            self.zones = zones
        }

        /// Every class present, sorted, and each parcel's as an index into them. A class is
        /// looked up only when it differs from the parcel's before (200,000 parcels of one class,
        /// or of none, are not each hashed).
        static func classIndexes(_ classNames: [String?]) -> (classes: [String], indexes: [Int]) {
            var seen: [String: Int] = [:]
            var last: (name: String, index: Int)?
            let found = classNames.map { className in
                let name = className ?? ""
                if let last, last.name == name { return last.index }
                let index = seen[name] ?? seen.count
                seen[name] = index
                last = (name, index)
                return index
            }
            let classes = seen.keys.sorted()
            var rank = [Int](repeating: 0, count: classes.count)
            for (k, name) in classes.enumerated() { rank[seen[name]!] = k }
            return (classes, found.map { rank[$0] })
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

        /// What lies on and around one plot. Candidates come from the tree; those whose
        /// envelopes meet the plot's go to GEOS for the intersection, the others are measured
        /// on their vertices in the plot's `LocalFrame` (after a cheaper test on the envelopes).
        func measure(_ plot: Feature, index: Int, id: String, kept: [FieldValue],
                     parcelVertices: VertexRuns.View) throws -> (pairs: [OverlapPair], summary: PlotSummary) {
            let g = plot.geometry!
            let options = context.options
            let plotArea = context.areas.area(g)
            let zone = try cutter.flatMap { c in ZoneCutter.largest(try c.cut(g).shares).map { c.zones.zones[$0].name } }
            let e = g.envelope
            let radius = options.searchRadius
            let around = Reach(plot: e, ellipsoid: context.crs.ellipsoid, radius: radius)
            let frame = around.frame
            let (kx, ky) = (frame.metresPerDegreeX, frame.metresPerDegreeY)
            let reach = around.planar
            var prepared: PreparedGeometry?
            func intersects(_ other: Geometry) throws -> Bool {
                let p = try prepared ?? PreparedGeometry(g)
                prepared = p
                return try p.intersects(other)
            }
            var tally = Tally(classes: context.classes.count, rings: options.rings.count)
            var pairs: [OverlapPair] = []
            var finder = NearestPoints()
            VertexRuns([g]).withView { finder.setSubject($0, 0, origin: e.center, scaleX: kx, scaleY: ky) }
            for i in context.tree.query(around.search) {
                let pe = context.envelopes[i]
                var distance = 0.0
                var overlap = 0.0
                var piece: Geometry?
                var line: Geometry?
                // A parcel whose envelope meets a plot's has its GEOS geometry.
                if pe.intersects(e), let other = context.geometries[i], try intersects(other) {
                    if other.kind.isPolygonal || other.kind == .collection {
                        let cut = try g.intersection(other).polygonalPart()
                        overlap = cut.isEmpty ? 0 : context.areas.area(cut)
                        if overlap > 0 && options.keepGeometry { piece = cut }
                    }
                } else {
                    // The gap between the envelopes is a lower bound of the distance.
                    let gx = max(0, pe.minX - e.maxX, e.minX - pe.maxX) * kx
                    let gy = max(0, pe.minY - e.maxY, e.minY - pe.maxY) * ky
                    guard gx * gx + gy * gy <= reach * reach else { continue }
                    let near = finder.nearest(to: parcelVertices, i)
                    guard near.squaredDistance <= reach * reach else { continue }
                    // Gaps under a millimetre are reprojection round-off between edges that touch.
                    distance = frame.distance(near.a, near.b)
                    if distance < Overlap.touching { distance = 0 }
                    guard distance <= radius else { continue }
                    if options.keepGeometry { line = try Geometry(shape: .lineString([near.a, near.b])) }
                }
                let (parcel, className) = (context.ids[i], context.classNames[i])
                tally.add(parcel, className, classIndex: context.classIndex[i], overlap: overlap, distance: distance, options: options)
                if distance <= options.within {
                    pairs.append(OverlapPair(plotIndex: index, plot: id, parcel: parcel, className: className,
                                             overlap: overlap, plotShare: plotArea > 0 ? 100 * overlap / plotArea : 0,
                                             distance: distance, piece: piece, line: line,
                                             parcelGeometry: options.keepGeometry ? context.geometries[i] : nil))
                }
            }
            return (Worker.nearestFirst(pairs), tally.summary(plot: id, zone: zone, kept: kept, geometry: g, classes: context.classes))
        }

        /// Pairs nearest first, then by larger overlap, then by parcel id (sorting small keys,
        /// not the pairs themselves).
        static func nearestFirst(_ pairs: [OverlapPair]) -> [OverlapPair] {
            let order = pairs.indices.sorted { a, b in
                let (p, q) = (pairs[a], pairs[b])
                if p.distance != q.distance { return p.distance < q.distance }
                if p.overlap != q.overlap { return p.overlap > q.overlap }
                return p.parcel < q.parcel
            }
            return order.map { pairs[$0] }
        }
    }

    /// How far around a plot to look: its `LocalFrame`, the distance to measure up to in that
    /// plane (a little beyond the radius, as the plane is true to about 1e-4 there), and the
    /// lon/lat envelope that holds everything within it (with 1% to spare).
    struct Reach {
        let frame: LocalFrame
        let planar: Double
        let search: Envelope

        init(plot e: Envelope, ellipsoid: Ellipsoid, radius: Double) {
            frame = LocalFrame(ellipsoid, latitude: e.center.y)
            planar = radius * 1.001
            let dx = planar * 1.01 / frame.metresPerDegreeX, dy = planar * 1.01 / frame.metresPerDegreeY
            search = Envelope(minX: e.minX - dx, minY: e.minY - dy, maxX: e.maxX + dx, maxY: e.maxY + dy)
        }
    }

    /// A plot's counts while its candidates are measured, per class index.
    struct Tally {
        var overlapping = 0
        var within = 0
        var nearest: (className: String?, parcel: String, distance: Double)?
        var overlapByClass: [Double]
        var ringCounts: [[Int]]
        var seen: [Bool]

        init(classes: Int, rings: Int) {
            overlapByClass = Array(repeating: 0, count: classes)
            ringCounts = Array(repeating: Array(repeating: 0, count: rings), count: classes)
            seen = Array(repeating: false, count: classes)
        }

        mutating func add(_ parcel: String, _ className: String?, classIndex c: Int, overlap: Double, distance: Double,
                          options: OverlapOptions) {
            if overlap > 0 {
                overlapping += 1
                overlapByClass[c] += overlap
            }
            if distance <= options.within { within += 1 }
            seen[c] = true
            for (k, r) in options.rings.enumerated() where distance <= r { ringCounts[c][k] += 1 }
            if nearest == nil || distance < nearest!.distance || (distance == nearest!.distance && parcel < nearest!.parcel) {
                nearest = (className, parcel, distance)
            }
        }

        func summary(plot: String, zone: String?, kept: [FieldValue], geometry: Geometry, classes: [String]) -> PlotSummary {
            var s = PlotSummary(plot: plot, zone: zone, kept: kept, geometry: geometry)
            s.overlapping = overlapping
            s.within = within
            s.nearest = nearest
            for (c, name) in classes.enumerated() where seen[c] {
                if overlapByClass[c] > 0 { s.overlapByClass[name] = overlapByClass[c] }
                s.ringCounts[name] = ringCounts[c]
            }
            return s
        }
    }
}
