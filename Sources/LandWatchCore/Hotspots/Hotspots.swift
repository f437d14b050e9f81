import Foundation
import GDALKit

/// What `hotspots` does.
public struct HotspotOptions: Sendable {
    /// How a cell's value is made from its readings.
    public enum Stat: String, Sendable, CaseIterable { case mean, max, p90 }
    public var valueField: String
    /// Cell size in metres.
    public var cell = Spec.cell.defaultValue
    /// A cell's value: the mean, maximum or 90th percentile of its readings.
    public var stat = Spec.stat.defaultValue
    /// Cells with fewer readings are left out.
    public var minReadings = Spec.minReadings.defaultValue
    /// Distance band in metres; nil for the default (every cell gets a neighbour, at least the
    /// diagonal of a cell).
    public var band: Double?
    /// 90, 95 or 99: the confidence at which hot cells form clusters.
    public var confidence = Spec.confidence.defaultValue
    public var timeField: String?
    public var from: String?
    public var to: String?
    /// Enterprises within this many metres of a cluster are listed as suspects.
    public var within = Spec.within.defaultValue
    public var sourceNameField: String?

    public init(valueField: String) { self.valueField = valueField }

    var clusterBin: Int { confidence >= 99 ? 3 : confidence >= 95 ? 2 : 1 }

    /// The defaults and ranges of the options that `run`'s config has too.
    public enum Spec {
        public static let cell = OptionSpec(default: 500.0, .metres)
        public static let stat = OptionSpec(default: Stat.mean, .choice(Stat.allCases.map(\.rawValue)))
        public static let minReadings = OptionSpec(default: 3, .count(1...Int.max))
        public static let confidence = OptionSpec(default: 95, .choice(["90", "95", "99"]))
        /// The config's range; the command line takes any distance (0: enterprises inside a cluster).
        public static let within = OptionSpec(default: 1000.0, .metres)
    }

    /// Refuses a cell size, confidence or minimum out of range, as a usage error naming it.
    public func validate() throws {
        try Spec.cell.check(cell, as: .cell, is: "a size in metres, above 0")
        try Spec.confidence.check(confidence, as: .confidence, is: "90, 95 or 99")
        try Spec.minReadings.check(minReadings, as: .minReadings, is: "1 or more")
    }
}

/// One analysed cell.
public struct HotspotCell: Sendable {
    public let column: Int, row: Int
    public var readings = 0
    public var sum = 0.0
    public var maxReading = -Double.infinity
    public var values: [Float] = []
    public var value = 0.0
    public var z = 0.0, p = 1.0
    public var bin = 0
}

/// A hotspot area: connected hot cells.
public struct HotspotCluster: Sendable {
    public var id: Int
    public let cells: [Int]
    public let zone: String?
    public let readings: Int
    public let maxValue: Double
    public let meanValue: Double
    public let peak: Coordinate
    public let peakValue: Double
    public let confidence: Int
    /// The cluster's centre (lon/lat): its cells' centres weighted by the cells' values, where a
    /// plume's source most likely lies.
    public let centre: Coordinate
    /// Enterprises near the cluster, nearest its centre first.
    public var sources: [SuspectSource]
    /// The dissolved cells, in lon/lat.
    public let geometry: Geometry
}

/// An enterprise near a hotspot cluster.
public struct SuspectSource: Sendable, Equatable {
    public let name: String
    /// Metres to the cluster's polygon, 0 inside it.
    public let distance: Double
    /// Metres to the cluster's value-weighted centre: the order of suspicion.
    public let centreDistance: Double
    /// Where it is (lon/lat).
    public let position: Coordinate
}

/// The result of `hotspots`.
public struct HotspotResult: Sendable {
    public let cells: [HotspotCell]
    public let clusters: [HotspotCluster]
    public let cellSize: Double
    public let band: Double
    /// The metric projection the grid is laid in (`EPSG:326NN`, UTM on WGS84).
    public let projection: String
    public let readings: Int
    /// What was skipped (no point, outside --from/--to, no value), in one line, or nil.
    public let skippedWarning: String?
    /// Enterprises of `--sources` left out (no point, a point that could not be read), or nil.
    public let sourcesWarning: String?
    public let options: HotspotOptions
    /// The grid's CRS.
    public let metric: CRS
    /// Whether clusters were named by a zones layer (otherwise the tables have no zone column).
    public let zoned: Bool
}

/// VOCs hotspots from mobile-survey readings: readings binned into square cells of a UTM grid
/// anchored at multiples of the cell size, Getis-Ord Gi* over the cells with a binary distance
/// band, FDR-corrected significance, clusters of connected hot cells, and the enterprises near
/// each cluster.
public enum Hotspots {
    public static func compute(_ input: VectorInput, options: HotspotOptions, zones: Zones?,
                               sources: VectorInput?) throws -> HotspotResult {
        let schema = input.layer.schema
        let valueField = try Zones.requireField(options.valueField, in: schema, of: input.label)
        let timeField = try options.timeField.map { try Zones.requireField($0, in: schema, of: input.label) }
        try input.layer.selectFields([valueField] + (timeField.map { [$0] } ?? []))
        let (metric, epsg) = try utmGrid(input)
        let binned = try bin(input, valueField: valueField, timeField: timeField, metric: metric, options: options)
        try refuseEmptyWindow(binned, input: input, options: options)
        let (scored, grid, band) = try score(binned.cells, options: options, label: input.label)
        var kept = scored
        let (clusters, sourcesWarning) = try findClusters(kept, grid: grid, metric: metric, zones: zones, sources: sources, options: options)
        for i in kept.indices { kept[i].values = [] }
        return HotspotResult(cells: kept, clusters: clusters, cellSize: options.cell, band: band, projection: "EPSG:\(epsg)",
                             readings: binned.readings,
                             skippedWarning: skippedWarning(noPoint: binned.noPoint, outOfTime: binned.outOfTime, noValue: binned.noValue,
                                                            field: valueField, label: input.label),
                             sourcesWarning: sourcesWarning, options: options, metric: metric, zoned: zones != nil)
    }

    /// The grid's CRS: UTM on WGS84, the zone of the readings' centre.
    private static func utmGrid(_ input: VectorInput) throws -> (CRS, Int) {
        let toLonLat = try CoordinateTransform(from: try input.requireCRS(), to: CRS.wgs84)
        guard let extent = input.layer.extent() else { throw LandWatchError.data("\(input.label) has no readings") }
        let centre = try toLonLat.transform(extent.center)
        let zoneNumber = Int(((centre.x + 180) / 6).rounded(.down)) % 60 + 1
        let epsg = (centre.y >= 0 ? 32600 : 32700) + zoneNumber
        return (try CRS(epsg: epsg), epsg)
    }

    /// The readings binned into cells, and what was left out and why.
    private struct Binned {
        var cells: [Int64: HotspotCell] = [:]
        var readings = 0, outOfTime = 0, noValue = 0, noPoint = 0
        var earliest: String?, latest: String?
    }

    /// Reads the readings batch by batch (memory grows with cells, not readings); each batch is
    /// projected onto the grid in the background while the next is read.
    private static func bin(_ input: VectorInput, valueField: String, timeField: String?, metric: CRS,
                            options: HotspotOptions) throws -> Binned {
        let schema = input.layer.schema
        let sourceCRS = try input.requireCRS(), geographic = try CRS.wgs84
        let from = options.from.map(normalisedTime), to = options.to.map(normalisedTime)
        let valueIndex = schema.index(of: valueField)!, timeIndex = timeField.flatMap { schema.index(of: $0) }
        let cellSize = options.cell
        var out = Binned()
        var batch: [(Double, Double, Double)] = []
        let inFlight = Overlapped<[(Int, Int, Double)]>()
        func add(_ binned: [(Int, Int, Double)]?) {
            for (c, r, v) in binned ?? [] {
                let key = CellGrid.key(c, r)
                var cell = out.cells[key] ?? HotspotCell(column: c, row: r)
                cell.readings += 1
                cell.sum += v
                cell.maxReading = max(cell.maxReading, v)
                if options.stat == .p90 { cell.values.append(Float(v)) }
                out.cells[key] = cell
            }
        }
        func flush() throws {
            let readings = batch
            batch.removeAll(keepingCapacity: true)
            add(try inFlight.submit {
                var points = readings.map { Coordinate($0.0, $0.1) }
                // Transforms are made per batch: they may not cross threads.
                try CoordinateTransform(from: sourceCRS, to: geographic).transform(&points)
                try CoordinateTransform(from: geographic, to: metric).transform(&points)
                return points.enumerated().map { k, p in
                    (Int((p.x / cellSize).rounded(.down)), Int((p.y / cellSize).rounded(.down)), readings[k].2)
                }
            })
        }
        out.noPoint = try input.layer.forEachPoint { fid, x, y, values in
            if let timeIndex {
                let t = normalisedTime(values[timeIndex].description)
                if !t.isEmpty {
                    if out.earliest.map({ t < $0 }) ?? true { out.earliest = t }
                    if out.latest.map({ t > $0 }) ?? true { out.latest = t }
                }
                if let from, t.prefix(from.count) < from { out.outOfTime += 1; return }
                if let to, t.prefix(to.count) > to { out.outOfTime += 1; return }
            }
            guard let v = try ReadingValue.number(values[valueIndex], fid: fid, field: valueField, label: input.label) else {
                out.noValue += 1
                return
            }
            out.readings += 1
            batch.append((x, y, v))
            if batch.count == 65_536 { try flush() }
        }
        try flush()
        add(try inFlight.wait())
        return out
    }

    /// A window with no reading in it names the readings' span.
    private static func refuseEmptyWindow(_ b: Binned, input: VectorInput, options: HotspotOptions) throws {
        guard b.readings == 0, b.outOfTime > 0, let earliest = b.earliest, let latest = b.latest else { return }
        let from: ErrorMessage = options.from.map { "\(Setting.from) \($0)" } ?? ""
        let to: ErrorMessage = options.to.map { "\(Setting.to) \($0)" } ?? ""
        let window = from + (options.from != nil && options.to != nil ? " " : "") + to
        throw LandWatchError.data("\(input.label): no reading within \(window); the readings run from \(earliest) to \(latest)")
    }

    /// The cells with enough readings, their values, and Gi* over the distance band.
    private static func score(_ cells: [Int64: HotspotCell], options: HotspotOptions, label: String) throws
        -> ([HotspotCell], CellGrid, Double) {
        var kept = cells.values.filter { $0.readings >= options.minReadings }.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        guard kept.count >= 2 else {
            throw LandWatchError.data("\(label): only \(kept.count) cell(s) of \(Int(options.cell)) m with at least \(options.minReadings) readings: "
                + "too few for hotspot analysis (lower \(Setting.cell) or \(Setting.minReadings))")
        }
        for i in kept.indices { kept[i].value = cellValue(kept[i], options.stat) }
        let grid = CellGrid(kept, cell: options.cell)
        let band = options.band ?? max(options.cell * 2.0.squareRoot(), grid.largestNearestNeighbourDistance())
        let z = GetisOrd.zScores(values: kept.map(\.value), neighbours: grid.neighbours(within: band))
        let p = z.map(GetisOrd.pValue)
        let bins = GetisOrd.bins(z: z, p: p)
        for i in kept.indices { (kept[i].z, kept[i].p, kept[i].bin) = (z[i], p[i], bins[i]) }
        return (kept, grid, band)
    }

    /// Connected hot cells as clusters, with the enterprises near each, strongest first.
    private static func findClusters(_ kept: [HotspotCell], grid: CellGrid, metric: CRS, zones: Zones?, sources: VectorInput?,
                                     options: HotspotOptions) throws -> ([HotspotCluster], String?) {
        let fromMetric = try CoordinateTransform(from: metric, to: zones?.crs ?? CRS.wgs84)
        var clusters = try grid.clusters(where: { kept[$0].bin >= options.clusterBin }).map { members in
            try cluster(members, kept, options: options, fromMetric: fromMetric, zones: zones)
        }
        let sourcesWarning = try sources.flatMap { try attachSources(&clusters, sources: $0, metric: metric, options: options) }
        clusters.sort { ($1.peakValue, $0.peak.x) < ($0.peakValue, $1.peak.x) }
        for i in clusters.indices { clusters[i].id = i + 1 }
        return (clusters, sourcesWarning)
    }

    /// `"x.csv" layer "x": 5 readings skipped: 2 with no point, 3 with no "tvoc" value`, or nil.
    static func skippedWarning(noPoint: Int, outOfTime: Int, noValue: Int, field: String, label: String) -> String? {
        let why = [(noPoint, "with no point"), (outOfTime, "outside the period asked for"), (noValue, "with no \"\(field)\" value")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        let total = noPoint + outOfTime + noValue
        return why.isEmpty ? nil : "\(label): \(total) \(total == 1 ? "reading" : "readings") skipped: " + why.joined(separator: ", ")
    }

    /// "2026/10/08 09:12:00+08" (GDAL's form) and "2026-10-08T09:12:00+08:00" compare alike.
    /// Whether a `--from`/`--to` bound is an ISO date or date-time (`2026-10-08`,
    /// `2026-10-08T09`, `2026-10-08 09:00`, …), the precision it compares at.
    public static func isTimeBound(_ s: String) -> Bool {
        let t = normalisedTime(s)
        let pattern = "^[0-9]{4}-[0-9]{2}(-[0-9]{2}(T[0-9]{2}(:[0-9]{2}(:[0-9]{2})?)?)?)?$"
        guard t.range(of: pattern, options: .regularExpression) != nil else { return false }
        return Day(String(t.prefix(10))) != nil || (t.count == 7 && Month(t) != nil)
    }

    /// Whether `from` comes after `to` at the precision both share (so that `--from
    /// 2026-10-10T10 --to 2026-10-10` is the rest of that day, not reversed).
    public static func isReversed(from: String, to: String) -> Bool {
        let f = normalisedTime(from), t = normalisedTime(to)
        let n = min(f.count, t.count)
        return f.prefix(n) > t.prefix(n)
    }

    static func normalisedTime(_ s: String) -> String {
        s.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: " ", with: "T")
    }

    static func cellValue(_ c: HotspotCell, _ stat: HotspotOptions.Stat) -> Double {
        switch stat {
        case .mean: return c.sum / Double(c.readings)
        case .max: return c.maxReading
        case .p90:
            // Linear interpolation between closest ranks (numpy's default percentile).
            let v = c.values.sorted().map(Double.init)
            let pos = 0.9 * Double(v.count - 1)
            let lo = Int(pos.rounded(.down)), hi = min(lo + 1, v.count - 1)
            return v[lo] + (v[hi] - v[lo]) * (pos - Double(lo))
        }
    }

    static func cluster(_ members: [Int], _ cells: [HotspotCell], options: HotspotOptions, fromMetric: CoordinateTransform,
                        zones: Zones?) throws -> HotspotCluster {
        let size = options.cell
        let squares = try members.map { i -> Geometry in
            let c = cells[i]
            let x0 = Double(c.column) * size, y0 = Double(c.row) * size
            return try fromMetric.transform(Geometry(envelope: Envelope(minX: x0, minY: y0, maxX: x0 + size, maxY: y0 + size)))
        }
        let shape = try Geometry.union(squares).polygonalPart()
        let peakCell = members.max { (cells[$0].value, -$0) < (cells[$1].value, -$1) }!
        let pc = cells[peakCell]
        let peak = try fromMetric.transform(Coordinate((Double(pc.column) + 0.5) * size, (Double(pc.row) + 0.5) * size))
        let readings = members.reduce(0) { $0 + cells[$1].readings }
        var zone: String?
        if let zones {
            zone = try ZoneCutter(zones).zone(ofPoint: Geometry(shape: .point(peak))).map { zones.zones[$0].name }
        }
        let level = members.map { cells[$0].bin }.max() ?? 0
        return HotspotCluster(id: 0, cells: members, zone: zone, readings: readings,
                              maxValue: members.map { cells[$0].maxReading }.max() ?? 0,
                              meanValue: members.reduce(0) { $0 + cells[$1].sum } / Double(max(readings, 1)),
                              peak: peak, peakValue: pc.value, confidence: [3: 99, 2: 95, 1: 90][level] ?? 0,
                              centre: try fromMetric.transform(weightedCentre(members, cells, size: size)),
                              sources: [], geometry: shape)
    }

    /// The cells' centres (grid metres) weighted by the cells' values; the plain mean of the
    /// centres when the values do not give positive weights (a sum of zero or below).
    static func weightedCentre(_ members: [Int], _ cells: [HotspotCell], size: Double) -> Coordinate {
        let centres = members.map { Coordinate((Double(cells[$0].column) + 0.5) * size, (Double(cells[$0].row) + 0.5) * size) }
        let values = members.map { max(cells[$0].value, 0) }
        let total = values.reduce(0, +)
        let weights = total > 0 ? values.map { $0 / total } : Array(repeating: 1 / Double(members.count), count: members.count)
        return zip(centres, weights).reduce(Coordinate(0, 0)) { Coordinate($0.x + $1.0.x * $1.1, $0.y + $1.0.y * $1.1) }
    }

    /// Enterprises within `within` metres of each cluster (distance in the UTM grid, 0 inside),
    /// nearest the cluster's value-weighted centre first: several often lie inside one cluster.
    /// Returns the warning for enterprises left out (no point, or one that could not be read).
    static func attachSources(_ clusters: inout [HotspotCluster], sources: VectorInput, metric: CRS,
                              options: HotspotOptions) throws -> String? {
        let schema = sources.layer.schema
        let nameField = try options.sourceNameField.map { try Zones.requireField($0, in: schema, of: sources.label) }
            ?? schema.fields.first { ["name", "名称", "mc", "企业名称"].contains($0.name.lowercased()) }?.name
        guard let nameField else {
            throw LandWatchError.data("\(sources.label) has no name field (name, 名称, mc, 企业名称): give one with \(Setting.sourceNameField); "
                + "its fields are \(schema.names.joined(separator: ", "))")
        }
        let data = try sources.load(into: try CRS.wgs84, expecting: .points)
        let toMetric = try CoordinateTransform(from: CRS.wgs84, to: metric)
        let points = try data.features.map { try toMetric.transform($0.geometry!) }
        let tree = STRTree(points.map(\.envelope))
        for i in clusters.indices {
            let shape = try toMetric.transform(clusters[i].geometry)
            let centre = try toMetric.transform(clusters[i].centre)
            var found: [SuspectSource] = []
            for k in tree.query(shape.envelope.expanded(by: options.within)) {
                let d = try shape.planarDistance(to: points[k])
                guard d <= options.within else { continue }
                let f = data.features[k], at = try points[k].shape.coordinates[0]
                found.append(SuspectSource(name: f[nameField]?.description ?? "#\(f.fid)", distance: d,
                                           centreDistance: hypot(at.x - centre.x, at.y - centre.y),
                                           position: try f.geometry!.shape.coordinates[0]))
            }
            clusters[i].sources = found.sorted { ($0.centreDistance, $0.distance, $0.name) < ($1.centreDistance, $1.distance, $1.name) }
        }
        return data.report.warning(for: sources.label)
    }
}

/// Cells on their grid: neighbours within a distance band, nearest-neighbour distances, and
/// 8-connected clusters.
struct CellGrid {
    let cells: [HotspotCell]
    let size: Double
    private let index: [Int64: Int]

    init(_ cells: [HotspotCell], cell size: Double) {
        self.cells = cells
        self.size = size
        index = Dictionary(uniqueKeysWithValues: cells.enumerated().map { (CellGrid.key($1.column, $1.row), $0) })
    }

    static func key(_ c: Int, _ r: Int) -> Int64 { Int64(c) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: r))) }

    private func distance(_ a: Int, _ b: Int) -> Double {
        let dc = Double(cells[a].column - cells[b].column), dr = Double(cells[a].row - cells[b].row)
        return (dc * dc + dr * dr).squareRoot() * size
    }

    /// The other cells whose centres lie within `band` metres, for every cell.
    func neighbours(within band: Double) -> [[Int]] {
        let reach = Int((band / size).rounded(.down))
        return cells.indices.map { i in
            var out: [Int] = []
            for dc in -reach...reach {
                for dr in -reach...reach where dc != 0 || dr != 0 {
                    if let j = index[CellGrid.key(cells[i].column + dc, cells[i].row + dr)], distance(i, j) <= band * (1 + 1e-12) {
                        out.append(j)
                    }
                }
            }
            return out.sorted()
        }
    }

    /// The largest distance from a cell to its nearest neighbour (searching outwards ring by ring).
    func largestNearestNeighbourDistance() -> Double {
        var largest = 0.0
        for i in cells.indices {
            var best = Double.infinity
            var ring = 1
            while ring <= 10_000 {
                for dc in -ring...ring {
                    for dr in -ring...ring where max(abs(dc), abs(dr)) == ring {
                        if let j = index[CellGrid.key(cells[i].column + dc, cells[i].row + dr)] { best = min(best, distance(i, j)) }
                    }
                }
                // A cell in ring k is at least k cells away: once found, one more ring settles it.
                if best <= Double(ring) * size { break }
                ring += 1
            }
            if best.isFinite { largest = max(largest, best) }
        }
        return largest
    }

    /// Connected groups (8-neighbourhood) of the cells satisfying `member`, in cell order.
    func clusters(where member: (Int) -> Bool) -> [[Int]] {
        var seen = Set<Int>()
        var out: [[Int]] = []
        for start in cells.indices where member(start) && !seen.contains(start) {
            var group: [Int] = []
            var stack = [start]
            seen.insert(start)
            while let i = stack.popLast() {
                group.append(i)
                for dc in -1...1 {
                    for dr in -1...1 where dc != 0 || dr != 0 {
                        if let j = index[CellGrid.key(cells[i].column + dc, cells[i].row + dr)], member(j), !seen.contains(j) {
                            seen.insert(j)
                            stack.append(j)
                        }
                    }
                }
            }
            out.append(group.sorted())
        }
        return out
    }
}
