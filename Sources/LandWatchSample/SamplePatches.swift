import Foundation
import GDALKit
import LandWatchCore

/// Bare-land patches and their three monthly detections: patches that stay, get fixed, split,
/// merge, come back, and new ones; with the faults vendors deliver (self-intersections,
/// duplicates, patches outside the district, multipart patches and holes).
extension SampleBuilder {
    private struct Site {
        var shape: Shape
        let type: String
        var twin: Int?
        var active = true
        var fixedAt: Int?
    }

    static let patchTypes: [(String, Double, Double, Double)] = [
        // type, weight, median area m², spread
        ("施工工地", 0.30, 8_000, 0.8), ("拆迁拆违", 0.25, 3_000, 0.8), ("农田", 0.20, 12_000, 0.6),
        ("园林绿地", 0.10, 2_500, 0.7), ("未利用地", 0.15, 4_000, 0.9),
    ]
    static let patchNotes = ["疑似建设用地", "苫盖不全", "新增", "动态变化"]

    /// Patches shrink as their number grows past the base count, so that bare land stays near
    /// the share of the district real deliveries show (a few per cent), not a carpet.
    var sizeFactor: Double { shrink(options.patchCount, base: 1_200, power: 0.5) }

    mutating func makeDetections() throws -> [SampleDistrict.Detection] {
        let n = options.patchCount
        var sites: [Site] = []
        while sites.count < n {
            sites.append(contentsOf: try newSites(twinStart: sites.count))
        }
        var detections: [SampleDistrict.Detection] = []
        for (month, date) in SampleDistrict.detectionDates.suffix(options.months).enumerated() {
            var shapes: [(Shape, String)] = []
            if month == 0 {
                shapes = sites.map { ($0.shape, $0.type) }
            } else {
                var consumed = Set<Int>()
                for i in sites.indices where !consumed.contains(i) {
                    if sites[i].active {
                        let r = rng.unit()
                        if r < 0.25 {
                            sites[i].active = false
                            sites[i].fixedAt = month
                            continue
                        }
                        if r < 0.28 {
                            shapes.append(contentsOf: try split(sites[i].shape).map { ($0, sites[i].type) })
                            continue
                        }
                        if month == 1, let twin = sites[i].twin, twin > i, sites[twin].active {
                            consumed.insert(twin)
                            let pair = try Geometry(shape: sites[i].shape).union(Geometry(shape: sites[twin].shape))
                            shapes.append((try pair.convexHull().shape, sites[i].type))
                            continue
                        }
                        sites[i].shape = jitter(sites[i].shape)
                        shapes.append((sites[i].shape, sites[i].type))
                    } else if sites[i].fixedAt == month - 1, rng.chance(0.3) {
                        sites[i].active = true  // came back (反弹)
                        sites[i].shape = jitter(sites[i].shape)
                        shapes.append((sites[i].shape, sites[i].type))
                    }
                }
                let target = sites.count + Int(Double(n) * 0.22)
                while sites.count < target {
                    let added = try newSites(twinStart: sites.count)
                    sites.append(contentsOf: added)
                    shapes.append(contentsOf: added.map { ($0.shape, $0.type) })
                }
            }
            let stamp = date.replacingOccurrences(of: "-", with: "").prefix(6)
            var patches: [SampleDistrict.Patch] = []
            for (k, (shape, type)) in shapes.enumerated() {
                let note = rng.chance(0.1) ? Self.patchNotes[rng.int(0...(Self.patchNotes.count - 1))] : ""
                let geometry = try Geometry(shape: shape)
                patches.append(.init(vendorId: "\(stamp)-\(String(format: "%05d", k + 1))", type: type, note: note, geometry: geometry))
                if rng.chance(0.005) {  // vendors deliver the odd duplicate
                    patches.append(.init(vendorId: "\(stamp)-\(String(format: "%05d", k + 1))D", type: type, note: "重复", geometry: geometry))
                }
            }
            detections.append(.init(date: date, patches: patches))
        }
        return detections
    }

    /// One new site, or a pair of adjacent twins that the next detection merges.
    /// New sites that overlap no site placed before (a vendor's segmentation delivers disjoint
    /// patches; the overlaps left are the deliberate faults: duplicates, merges).
    /// With an overlap depth above 1, sites overlap on purpose and go unchecked.
    private mutating func newSites(twinStart: Int) throws -> [Site] {
        if options.overlapDepth > 1 { return try candidateSites(twinStart: twinStart) }
        for attempt in 0..<30 {
            let sites = try candidateSites(twinStart: twinStart)
            let envelopes = sites.map { site in site.shape.coordinates.reduce(Envelope.empty) { var e = $0; e.add($1); return e } }
            if attempt == 29 || envelopes.allSatisfy({ !placed.intersects($0) }) {
                for e in envelopes { placed.insert(e) }
                return sites
            }
        }
        return []
    }

    private mutating func candidateSites(twinStart: Int) throws -> [Site] {
        let (type, _, median, spread) = rng.weighted(Self.patchTypes.map { ($0, $0.1) })
        let area = min(150_000, max(50, rng.logNormal(median: median, sigma: spread) * sizeFactor))
        let roll = rng.unit()
        var c: Coordinate
        if roll < 0.04 {
            // Across a town border: centred on a vertex of a town's boundary.
            let town = towns[rng.int(0...(towns.count - 1))]
            let ring = try town.geometry.shape.polygons.first?.first ?? []
            c = ring.isEmpty ? try randomPoint() : ring[rng.int(0...(ring.count - 1))]
        } else if roll < 0.043 {
            // Outside the district: the vendor's scene extends beyond it.
            let ring = try outline.shape.polygons[0][0]
            let v = ring[rng.int(0...(ring.count - 2))]
            let d = outline.envelope.center
            let len = ((v.x - d.x) * (v.x - d.x) + (v.y - d.y) * (v.y - d.y)).squareRoot()
            let push = rng.uniform(1_500, 3_000) / len
            c = Coordinate(v.x + (v.x - d.x) * push, v.y + (v.y - d.y) * push)
        } else if options.overlapDepth > 1 {
            c = try clusteredPoint()
        } else if roll < 0.6 {
            c = try pointNearTown(spread: 3_500)
        } else {
            c = try randomPoint()
        }
        let rectangular = type == "施工工地" || type == "农田"
        var shell = rectangular ? rectangle(at: c, area: area, aspect: rng.uniform(1, 3)) : blob(at: c, area: area)
        let special = rng.unit()
        if special < 0.01, shell.count > 5 {
            shell.swapAt(1, 3)  // self-intersecting, as some deliveries are
            return [Site(shape: .polygon([shell]), type: type)]
        }
        if special < 0.05 {
            let r = (area / .pi).squareRoot()
            let other = blob(at: Coordinate(c.x + 1.8 * r, c.y + rng.uniform(-r, r)), area: area * rng.uniform(0.2, 0.6))
            return [Site(shape: .multiPolygon([[shell], [other]]), type: type)]
        }
        if special < 0.09 {
            let r = (area / .pi).squareRoot() * 0.25
            let hole = blob(at: c, area: .pi * r * r, vertices: 6).map { p in
                Coordinate(round2(c.x + (p.x - c.x) * 0.8), round2(c.y + (p.y - c.y) * 0.8))
            }
            return [Site(shape: .polygon([shell, hole]), type: type)]
        }
        if special < 0.105 {
            // Twins 15 m apart, merged by the next detection.
            let r = (area / .pi).squareRoot()
            let second = blob(at: Coordinate(c.x + 2.3 * r + 15, c.y), area: area)
            var a = Site(shape: .polygon([blob(at: c, area: area)]), type: type)
            var b = Site(shape: .polygon([second]), type: type)
            a.twin = twinStart + 1
            b.twin = twinStart
            return [a, b]
        }
        return [Site(shape: .polygon([shell]), type: type)]
    }

    /// A point in the current cluster: 20 to 200 patches thrown at random into a disc sized so
    /// that the patches cover each of its points `overlapDepth` times on average. Patches
    /// thrown at random cover a disc's points `λ / (1 - e^-λ)` times, where λ is their summed
    /// area over the disc's; patches reaching past the rim lower that, which the factor 1.5
    /// on λ makes up for (on 100,000 patches, depths 2, 3.5 and 5 come out 2.3, 3.6 and 4.5).
    private mutating func clusteredPoint() throws -> Coordinate {
        if cluster == nil || cluster!.left == 0 {
            let depth = options.overlapDepth
            var lambda = depth
            for _ in 0..<50 { lambda = depth * (1 - exp(-lambda)) }
            let meanArea = Self.patchTypes.reduce(0) { $0 + $1.1 * $1.2 * exp($1.3 * $1.3 / 2) } * sizeFactor
            let count = rng.int(20...200)
            let discArea = Double(count) * meanArea / (1.5 * lambda)
            cluster = (try pointNearTown(spread: 6_000), (discArea / .pi).squareRoot(), count)
        }
        cluster!.left -= 1
        let (centre, radius, _) = cluster!
        let r = radius * rng.unit().squareRoot(), t = rng.uniform(0, 2 * .pi)
        return Coordinate(centre.x + r * cos(t), centre.y + r * sin(t))
    }

    /// The same patch seen again: shifted by up to 2 m and rescaled by ±3%.
    private mutating func jitter(_ shape: Shape) -> Shape {
        let dx = rng.uniform(-2, 2), dy = rng.uniform(-2, 2), k = rng.uniform(0.97, 1.03)
        let c = shape.coordinates.reduce(Envelope.empty) { var e = $0; e.add($1); return e }.center
        return shape.mapRings { ring in
            ring.map { Coordinate(round2(c.x + (($0.x - c.x) * k) + dx), round2(c.y + (($0.y - c.y) * k) + dy)) }
        }
    }

    /// A patch partly covered in the middle: two pieces with a 6 m gap.
    private func split(_ shape: Shape) throws -> [Shape] {
        let g = try Geometry(shape: shape).makeValid().polygonalPart()
        let e = g.envelope
        let cx = e.center.x
        let left = try g.intersection(Geometry(envelope: Envelope(minX: e.minX - 1, minY: e.minY - 1, maxX: cx - 3, maxY: e.maxY + 1)))
        let right = try g.intersection(Geometry(envelope: Envelope(minX: cx + 3, minY: e.minY - 1, maxX: e.maxX + 1, maxY: e.maxY + 1)))
        return try [left, right].filter { !$0.isEmpty }.map { try $0.polygonalPart().shape }
    }
}
