import Foundation
import GDALKit

/// Raster coverage, as exactextract measures it: every pixel a zone border crosses is weighted by
/// the exact fraction of the pixel inside the zone (the zone clipped to the pixel), pixels wholly
/// inside count whole, and each pixel contributes its own ellipsoidal area (per row for a
/// geographic raster, per pixel for a projected one).
public enum RasterCoverage {
    public static func isRaster(_ path: String) -> Bool { Raster.isRaster(path) }

    public static func compute(_ source: LayerSource, zones: Zones, values: [Double], options: ReadOptions) throws -> CoverageResult {
        let probe = try Raster(path: source.path)
        let gt = probe.geoTransform
        guard gt[2] == 0, gt[4] == 0 else {
            throw LandWatchError.data("\"\(source.path)\" is a rotated raster: warp it north-up first (gdalwarp)")
        }
        let rasterCRS: CRS
        if let override = source.crs { rasterCRS = try CRS(override) } else if let c = probe.crs { rasterCRS = c }
        else if let assumed = options.assumeCRS { rasterCRS = try CRS(assumed) }
        else { throw LandWatchError.data("\"\(source.path)\" has no CRS: give one with \(Setting.assumeCRS) EPSG:4490") }
        let selected = Set(values)
        let rows = try Parallel.map(count: zones.zones.count, chunks: zones.zones.count) { range in
            let raster = try Raster(path: source.path)
            let toRaster = try CoordinateTransform(from: zones.crs, to: rasterCRS)
            let toLonLat = try CoordinateTransform(from: rasterCRS, to: zones.crs)
            return try range.map { z in
                try measure(zones.zones[z], raster: raster, toRaster: toRaster, toLonLat: toLonLat,
                            geodesic: zones.geodesic, selected: selected, geographic: rasterCRS.isGeographic)
            }
        }.flatMap { $0 }
        return CoverageResult(kind: .raster, zones: zones, rows: rows, classRows: [], classes: [], pieces: [], report: ReadReport())
    }

    static func measure(_ zone: Zone, raster: Raster, toRaster: CoordinateTransform, toLonLat: CoordinateTransform,
                        geodesic: Geodesic, selected: Set<Double>, geographic: Bool) throws -> CoverageRow {
        let grid = PixelGrid(raster.geoTransform)
        let shape = try toRaster.transform(zone.geometry)
        let rings = try shape.shape.polygons.flatMap { $0 }.map { $0.map(grid.pixel) }
        let e = rings.joined().reduce(Envelope.empty) { var e = $0; e.add($1); return e }
        let col0 = max(0, Int(e.minX.rounded(.down))), col1 = min(raster.width, Int(e.maxX.rounded(.up)))
        let row0 = max(0, Int(e.minY.rounded(.down))), row1 = min(raster.height, Int(e.maxY.rounded(.up)))
        var row = CoverageRow(zone: zone.name, className: nil, zoneArea: zone.area, count: 0, touching: 0, area: 0)
        guard col1 > col0, row1 > row0 else { return row }
        let w = col1 - col0, h = row1 - row0
        let data = try raster.read(x: col0, y: row0, width: w, height: h)
        let border = PixelGrid.borderCells(rings, cols: col0..<col1, rows: row0..<row1)
        var rowAreas: [Int: Double] = [:]
        func pixelArea(_ c: Int, _ r: Int) throws -> Double {
            if geographic, let a = rowAreas[r] { return a }
            var corners = [Coordinate(Double(c), Double(r)), Coordinate(Double(c + 1), Double(r)),
                           Coordinate(Double(c + 1), Double(r + 1)), Coordinate(Double(c), Double(r + 1))].map(grid.world)
            if !geographic { try toLonLat.transform(&corners) }
            let a = geodesic.ringArea(corners)
            if geographic { rowAreas[r] = a }
            return a
        }
        var touching = 0, count = 0.0, area = 0.0
        for r in row0..<row1 {
            let inside = PixelGrid.centresInside(rings, row: r, cols: col0..<col1)
            for c in col0..<col1 {
                let v = data[(r - row0) * w + (c - col0)]
                guard selected.contains(v), v != raster.noData else { continue }
                let fraction: Double
                if border.contains(PixelGrid.key(c, r)) {
                    let cell = grid.cellEnvelope(c, r)
                    let clipped = try shape.clipped(to: cell)
                    fraction = clipped.isEmpty ? 0 : min(1, try clipped.planarArea() / (cell.width * cell.height))
                } else {
                    fraction = inside.contains(c) ? 1 : 0
                }
                guard fraction > 0 else { continue }
                touching += 1
                count += fraction
                area += fraction * (try pixelArea(c, r))
            }
        }
        row.count = count
        row.touching = touching
        row.area = area
        return row
    }
}

/// A north-up raster's pixel grid: world ↔ pixel coordinates, cells crossed by lines, cells
/// whose centres fall inside rings.
public struct PixelGrid {
    let gt: [Double]
    public init(_ gt: [Double]) { self.gt = gt }

    public func pixel(_ p: Coordinate) -> Coordinate { Coordinate((p.x - gt[0]) / gt[1], (p.y - gt[3]) / gt[5]) }
    public func world(_ p: Coordinate) -> Coordinate { Coordinate(gt[0] + p.x * gt[1], gt[3] + p.y * gt[5]) }

    func cellEnvelope(_ c: Int, _ r: Int) -> Envelope {
        let a = world(Coordinate(Double(c), Double(r))), b = world(Coordinate(Double(c + 1), Double(r + 1)))
        return Envelope(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
    }

    /// A cell as one number, for sets.
    static func key(_ c: Int, _ r: Int) -> Int { (r << 24) | c }

    /// The cells (as `key`) that the rings' segments pass through, by grid traversal
    /// (Amanatides–Woo), limited to the window.
    static func borderCells(_ rings: [[Coordinate]], cols: Range<Int>, rows: Range<Int>) -> Set<Int> {
        var out = Set<Int>()
        for ring in rings where ring.count > 1 {
            for i in 0..<(ring.count - 1) {
                let a = ring[i], b = ring[i + 1]
                var c = Int(a.x.rounded(.down)), r = Int(a.y.rounded(.down))
                let cEnd = Int(b.x.rounded(.down)), rEnd = Int(b.y.rounded(.down))
                let dx = b.x - a.x, dy = b.y - a.y
                let stepC = dx > 0 ? 1 : -1, stepR = dy > 0 ? 1 : -1
                var tMaxX = dx == 0 ? Double.infinity : ((Double(c) + (dx > 0 ? 1 : 0)) - a.x) / dx
                var tMaxY = dy == 0 ? Double.infinity : ((Double(r) + (dy > 0 ? 1 : 0)) - a.y) / dy
                let tDeltaX = dx == 0 ? Double.infinity : abs(1 / dx)
                let tDeltaY = dy == 0 ? Double.infinity : abs(1 / dy)
                var steps = 0
                let limit = abs(cEnd - c) + abs(rEnd - r) + 2
                while true {
                    if cols.contains(c) && rows.contains(r) { out.insert(key(c, r)) }
                    if (c == cEnd && r == rEnd) || steps > limit { break }
                    if tMaxX < tMaxY { c += stepC; tMaxX += tDeltaX } else { r += stepR; tMaxY += tDeltaY }
                    steps += 1
                }
            }
        }
        return out
    }

    /// Columns of a row whose pixel centres lie inside the rings (even–odd rule).
    public static func centresInside(_ rings: [[Coordinate]], row: Int, cols: Range<Int>) -> Set<Int> {
        let y = Double(row) + 0.5
        var xs: [Double] = []
        for ring in rings where ring.count > 1 {
            for i in 0..<(ring.count - 1) {
                let a = ring[i], b = ring[i + 1]
                if (a.y <= y) != (b.y <= y) { xs.append(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x)) }
            }
        }
        xs.sort()
        var out = Set<Int>()
        var k = 0
        while k + 1 < xs.count {
            let first = max(cols.lowerBound, Int((xs[k] - 0.5).rounded(.up)))
            let last = min(cols.upperBound - 1, Int((xs[k + 1] - 0.5).rounded(.down)))
            if first <= last { for c in first...last { out.insert(c) } }
            k += 2
        }
        return out
    }
}
