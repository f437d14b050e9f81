import Foundation
import GDALKit
import LandWatchCore

/// Builds a `SampleDistrict` step by step from one random stream.
struct SampleBuilder {
    let options: SampleOptions
    var rng: SeededRandom
    /// The district centre in EPSG:4527 metres.
    let centre: Coordinate
    let toMetric: CoordinateTransform
    var outline: Geometry
    var outlinePrepared: PreparedGeometry
    var towns: [SampleDistrict.Town] = []
    /// Envelopes of the bare-land sites placed so far.
    var placed = EnvelopeGrid(cell: 500)
    /// With an overlap depth above 1: the cluster patches are being thrown into now.
    var cluster: (centre: Coordinate, radius: Double, left: Int)?

    init(_ options: SampleOptions) throws {
        self.options = options
        rng = SeededRandom(seed: options.seed)
        toMetric = try CoordinateTransform(from: CRS.cgcs2000, to: CRS(SampleDistrict.metricCRS))
        centre = try toMetric.transform(Coordinate(116.46, 39.66))
        outline = try Geometry(envelope: Envelope(minX: 0, minY: 0, maxX: 1, maxY: 1))
        outlinePrepared = try PreparedGeometry(outline)
    }

    mutating func build() throws -> SampleDistrict {
        let seeds = try makeSeeds()
        towns = try makeTowns(seeds)
        let detections = try makeDetections()
        let parcels = try makeParcels()
        let plots = try makePlots(parcels)
        let (plumes, enterprises) = try makeSources()
        let readings = try makeReadings(plumes)
        let air = try makeAir()
        return SampleDistrict(outline: outline, towns: towns, detections: detections, parcels: parcels,
                              plots: plots, suspectedPlots: try makeSuspectedPlots(detections), readings: readings,
                              enterprises: enterprises, stations: air.stations, airReadings: air.readings, plumes: plumes)
    }

    // MARK: District and towns

    /// Seats of the jurisdictions in metres; the outline is drawn around them.
    private mutating func makeSeeds() throws -> [(name: String, code: String, kind: String, at: Coordinate)] {
        let targetArea = 1_000e6 * Double(options.towns) / 22
        if options.towns == 22 {
            let seeds = try DaxingJurisdictions.all.map { j in
                (j.name, j.code, j.kind, try toMetric.transform(Coordinate(j.lon, j.lat)))
            }
            try makeOutline(area: targetArea, mustHold: seeds.map(\.3))
            return seeds
        }
        try makeOutline(area: targetArea, mustHold: [])
        // Seats thrown at random, kept apart (shrinking the spacing when the district is full),
        // named after Daxing's with a number.
        var spacing = 0.8 * (targetArea / Double(options.towns)).squareRoot()
        var seeds: [(String, String, String, Coordinate)] = []
        var misses = 0
        while seeds.count < options.towns {
            let p = try randomPoint()
            guard seeds.allSatisfy({ distance($0.3, p) > spacing }) else {
                misses += 1
                if misses > 500 { spacing *= 0.9; misses = 0 }
                continue
            }
            let base = DaxingJurisdictions.all[seeds.count % 22]
            let n = seeds.count / 22 + 1
            seeds.append(("\(base.name)\(n)区", String(format: "%@%03d", String(base.code.prefix(9)), n), base.kind, p))
        }
        return seeds
    }

    /// A smooth irregular outline of the given area around the centre, bulging to hold the seats.
    private mutating func makeOutline(area: Double, mustHold seats: [Coordinate]) throws {
        let phases = (0..<4).map { _ in rng.uniform(0, 2 * .pi) }
        let n = 720
        func radii(_ r0: Double) -> [Double] {
            (0..<n).map { i in
                let t = 2 * .pi * Double(i) / Double(n)
                var r = r0 * (1 + 0.10 * sin(2 * t + phases[0]) + 0.06 * sin(3 * t + phases[1])
                              + 0.03 * sin(5 * t + phases[2]) + 0.015 * sin(9 * t + phases[3]))
                for s in seats {
                    let dx = s.x - centre.x, dy = s.y - centre.y
                    var dt = abs(atan2(dy, dx) - t)
                    if dt > .pi { dt = 2 * .pi - dt }
                    r = max(r, ((dx * dx + dy * dy).squareRoot() + 3_000) * exp(-(dt / 0.3) * (dt / 0.3)))
                }
                return r
            }
        }
        func ring(_ r: [Double]) -> [Coordinate] {
            var ring = (0..<n).map { i -> Coordinate in
                let t = 2 * .pi * Double(i) / Double(n)
                return Coordinate(round2(centre.x + r[i] * cos(t)), round2(centre.y + r[i] * 1.08 * sin(t)))
            }
            ring.append(ring[0])
            return ring
        }
        var lo = 1_000.0, hi = 200_000.0
        for _ in 0..<40 {
            let mid = (lo + hi) / 2
            if shoelace(ring(radii(mid))) < area { lo = mid } else { hi = mid }
        }
        outline = try Geometry(shape: .polygon([ring(radii((lo + hi) / 2))]))
        outlinePrepared = try PreparedGeometry(outline)
    }

    /// Voronoi cells of the seats, clipped to the outline: they tile it without gaps or overlaps.
    private mutating func makeTowns(_ seeds: [(name: String, code: String, kind: String, at: Coordinate)]) throws
        -> [SampleDistrict.Town] {
        let points = try Geometry(shape: .multiPoint(seeds.map(\.at)))
        let extent = try Geometry(envelope: outline.envelope.expanded(by: 20_000))
        let cells = try points.voronoiCells(extent: extent).parts
        var towns: [SampleDistrict.Town] = []
        for seed in seeds {
            let seat = try Geometry(shape: .point(seed.at))
            guard let cell = try cells.first(where: { try $0.contains(seat) }) else { continue }
            let territory = try cell.intersection(outline).polygonalPart()
            towns.append(.init(name: seed.name, code: seed.code, kind: seed.kind, geometry: territory))
        }
        return towns.sorted { $0.code < $1.code }
    }

    // MARK: Helpers shared by the layers

    func inside(_ p: Coordinate) throws -> Bool {
        try outlinePrepared.contains(Geometry(shape: .point(p)))
    }

    /// A random point inside the district.
    mutating func randomPoint() throws -> Coordinate {
        let e = outline.envelope
        while true {
            let p = Coordinate(rng.uniform(e.minX, e.maxX), rng.uniform(e.minY, e.maxY))
            if try inside(p) { return p }
        }
    }

    /// A random point near the seat of one of the first `count` towns (urban areas).
    mutating func pointNearTown(spread: Double) throws -> Coordinate {
        for _ in 0..<100 {
            let town = towns[rng.int(0...(towns.count - 1))]
            let c = town.geometry.envelope.center
            let p = Coordinate(c.x + rng.normal() * spread, c.y + rng.normal() * spread)
            if try inside(p) { return p }
        }
        return try randomPoint()
    }

    /// An irregular star-shaped ring of roughly the given area.
    mutating func blob(at c: Coordinate, area: Double, vertices: Int? = nil) -> [Coordinate] {
        let n = vertices ?? rng.int(8...18)
        let r0 = (area / .pi).squareRoot()
        var angles = (0..<n).map { _ in rng.uniform(0, 2 * .pi) }.sorted()
        if angles.isEmpty { angles = [0] }
        var ring = angles.map { t -> Coordinate in
            let r = r0 * rng.uniform(0.75, 1.2)
            return Coordinate(round2(c.x + r * cos(t)), round2(c.y + r * sin(t)))
        }
        ring.append(ring[0])
        return ring
    }

    /// A rotated rectangle of the given area and aspect ratio.
    mutating func rectangle(at c: Coordinate, area: Double, aspect: Double) -> [Coordinate] {
        let w = (area * aspect).squareRoot(), h = area / w
        let a = rng.uniform(0, .pi)
        let corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2), (-w / 2, -h / 2)]
        return corners.map { dx, dy in
            Coordinate(round2(c.x + dx * cos(a) - dy * sin(a)), round2(c.y + dx * sin(a) + dy * cos(a)))
        }
    }
}

/// Rounds to the centimetre, as vendors deliver coordinates.
func round2(_ v: Double) -> Double { (v * 100).rounded() / 100 }

/// Planar area of a closed ring (shoelace), unsigned.
func shoelace(_ ring: [Coordinate]) -> Double {
    var s = 0.0
    for i in 0..<(ring.count - 1) { s += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y }
    return abs(s) / 2
}

/// Envelopes hashed on a square grid, for "does anything placed already overlap this?"
struct EnvelopeGrid {
    let cell: Double
    private var cells: [Int64: [Envelope]] = [:]

    init(cell: Double) { self.cell = cell }

    private func keys(_ e: Envelope) -> [Int64] {
        let x0 = Int64((e.minX / cell).rounded(.down)), x1 = Int64((e.maxX / cell).rounded(.down))
        let y0 = Int64((e.minY / cell).rounded(.down)), y1 = Int64((e.maxY / cell).rounded(.down))
        var out: [Int64] = []
        for x in x0...x1 { for y in y0...y1 { out.append(x &* 1_000_003 &+ y) } }
        return out
    }

    func intersects(_ e: Envelope) -> Bool {
        keys(e).contains { cells[$0]?.contains { $0.intersects(e) } ?? false }
    }

    mutating func insert(_ e: Envelope) {
        for k in keys(e) { cells[k, default: []].append(e) }
    }
}
