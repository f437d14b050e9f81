import Foundation
import GDALKit
@testable import LandWatchCore
import LandWatchSample
import Testing
import TestSupport

/// The union's area measured on its boundary (`UnionBoundaryArea`, what coverage uses) against
/// the independent figure: the pieces projected to the same equal-area plane, unioned there by
/// GEOS (cascaded union, its own noding and overlay) and measured with the shoelace formula. The
/// awkward cases are the ones where edges coincide: duplicates, shared borders running either
/// way, holes filled, pieces cut by the same zone border.
@Suite struct UnionBoundaryAreaTests {
    static let areas = EllipsoidalArea(.grs80, centre: Coordinate(116.4, 39.7))

    /// A ring from offsets in metres (about) around Daxing, closed.
    static func ring(_ points: [(Double, Double)]) -> [Coordinate] {
        let c = points.map { Coordinate(116.4 + $0.0 * 1.17e-5, 39.7 + $0.1 * 9.0e-6) }
        return c + [c[0]]
    }

    static func polygon(_ rings: [[(Double, Double)]]) throws -> Geometry {
        try Geometry(shape: .polygon(rings.map(ring)))
    }

    static func square(_ x: Double, _ y: Double, _ w: Double, _ h: Double? = nil) -> [(Double, Double)] {
        [(x, y), (x + w, y), (x + w, y + (h ?? w)), (x, y + (h ?? w))]
    }

    /// Both measures of the union of `geometries`, as pieces of one zone.
    func both(_ geometries: [Geometry]) throws -> (boundary: Double, built: Double) {
        let pieces = geometries.enumerated().map { k, g in
            let (area, planar) = Self.areas.measure(g)
            return Piece(fid: Int64(k), zone: 0, className: nil, geometry: g, area: area, planar: planar)
        }
        return (try PolygonCoverage.unionArea(pieces, areas: Self.areas), try Self.builtInPlane(pieces, Self.areas))
    }

    /// The union built by GEOS in the equal-area plane, measured with the shoelace formula.
    static func builtInPlane(_ pieces: [Piece], _ areas: EllipsoidalArea) throws -> Double {
        guard !pieces.isEmpty else { return 0 }
        let union = try Geometry.union(pieces.map { try areas.projection.project($0.geometry) }).polygonalPart()
        return try union.shape.polygons.reduce(0) { total, rings in
            rings.enumerated().reduce(total) { sum, ring in
                let (k, r) = ring
                var s = 0.0
                for i in 0..<(r.count - 1) { s += (r[i].x - r[0].x) * (r[i + 1].y - r[0].y) - (r[i + 1].x - r[0].x) * (r[i].y - r[0].y) }
                return sum + (k == 0 ? 1 : -1) * abs(s) / 2
            }
        }
    }

    func expectSame(_ geometries: [Geometry], _ comment: Comment) throws {
        let (boundary, built) = try both(geometries)
        #expect(abs(boundary - built) <= 1e-9 * built, comment)
    }

    @Test func coincidentEdgesCountOnce() throws {
        let a = try Self.polygon([Self.square(0, 0, 100)])
        let reversed = try Geometry(shape: .polygon([Self.ring(Self.square(0, 0, 100)).reversed()]))
        try expectSame([a, a, a], "three copies of one patch")
        try expectSame([a, reversed], "the same patch drawn the other way round")
        try expectSame([a, try Self.polygon([Self.square(100, 0, 100)])], "two patches sharing a whole edge")
        try expectSame([a, try Self.polygon([Self.square(100, 40, 30)])], "a small patch against a long edge")
        try expectSame([a, try Self.polygon([Self.square(50, 0, 100)])], "overlapping, bottom edges on one line")
        try expectSame([a, try Self.polygon([Self.square(50, 0, 50)])], "one inside the other, two edges shared")
        try expectSame([a, try Self.polygon([Self.square(100, 100, 50)])], "touching at a corner")
        try expectSame([a, try Self.polygon([Self.square(20, 20, 30)]), try Self.polygon([Self.square(60, 60, 60)])],
                       "nested, and one sticking out")
        // Inline, for the reader: two 100 m squares side by side are twice one.
        let (pair, _) = try both([a, try Self.polygon([Self.square(100, 0, 100)])])
        #expect(abs(pair - 2 * Self.areas.area(a)) <= 1e-9 * pair)
    }

    @Test func holesFilledOrNot() throws {
        let framed = try Self.polygon([Self.square(0, 0, 100), Self.square(30, 30, 40).reversed()])
        let filler = try Self.polygon([Self.square(30, 30, 40)])
        try expectSame([framed, filler], "a hole filled exactly")
        try expectSame([framed, try Self.polygon([Self.square(40, 40, 20)])], "a patch inside a hole")
        try expectSame([framed, try Self.polygon([Self.square(50, 50, 70)])], "a patch across a hole's edge and the shell's")
        // The filled frame is the whole square.
        let (filled, _) = try both([framed, filler])
        let whole = Self.areas.area(try Self.polygon([Self.square(0, 0, 100)]))
        #expect(abs(filled - whole) <= 1e-9 * whole)
    }

    @Test func piecesCutByTheSameBorder() throws {
        // A zone border at an angle, cutting overlapping patches: their pieces' edges along it
        // are computed points, a hair apart.
        let zone = try Self.polygon([[(-500, -400), (700, -380), (650, 820), (-480, 700)]])
        var pieces: [Geometry] = []
        for k in 0..<12 {
            let patch = try Self.polygon([Self.square(560 + Double(k) * 7.3, -90 + Double(k) * 61.7, 140, 90)])
            pieces.append(try patch.intersection(zone).polygonalPart())
        }
        try expectSame(pieces, "pieces along one border")
    }

    /// The sample district with its patches thrown together (each point covered 3.5 times on
    /// average), cut by the towns: every town's union measured both ways.
    @Test func heavilyOverlappingSampleMatchesTheBuiltUnion() throws {
        var options = SampleOptions()
        options.patches = 4_000
        options.months = 1
        options.overlapDepth = 3.5
        let dir = Fixtures.temporaryDirectory("union-area")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try SampleWriter.write(try SampleDistrict.generate(options), to: dir)
        let zones = try Zones.load(LayerSource(path: dir + "/daxing_towns.gpkg"), field: nil, options: .landWatch())
        let result = try PolygonCoverage.compute(VectorInput(LayerSource(path: dir + "/bare_land_202610.shp"), options: .landWatch()),
                                                 zones: zones, classField: nil, keepPieces: true)
        var summed = 0.0, covered = 0.0
        for (z, zone) in zones.zones.enumerated() {
            let pieces = result.pieces.filter { $0.zone == z }
            let built = try Self.builtInPlane(pieces, zones.areas)
            // The union built in lon/lat, as coverage measured it before: it differs by the collinear
            // vertices GEOS leaves where one patch's corner lies on another's edge, each of which
            // bends that edge in the plane by a few micrometres (up to 7e-7 here).
            let lonLat = try PolygonCoverage.builtUnionArea(pieces, areas: zones.areas)
            #expect(abs(lonLat - built) <= 1e-6 * built, "\(zone.name)")
            let row = try #require(result.rows.first { $0.zone == zone.name })
            #expect(abs(row.area! - built) <= 1e-9 * built, "\(zone.name)")
            summed += pieces.reduce(0) { $0 + $1.area }
            covered += built
        }
        // The generator's depth, measured: 3.5 asked (patches outside the district left out).
        #expect(summed / covered > 2.8 && summed / covered < 4.2, "depth \(summed / covered)")
    }
}
