import Foundation
import GDALKit
@testable import LandWatchCore
import Testing
import TestSupport

/// Overlap against independent numbers: Benchmarks/reference/overlap_reference.py (GeoPandas
/// sjoin dwithin 500 m in EPSG:4527; intersections in EPSG:4490 measured with pyproj's Geod on
/// the CGCS2000 ellipsoid; distances as the geodesic between the nearest points).
@Suite struct OverlapTests {
    func referenceJSON() throws -> [String: Any] {
        let url = Fixtures.root.appendingPathComponent("Benchmarks/reference/overlap_reference.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    func sampleOverlap(within: Double = 500) throws -> OverlapResult {
        var options = OverlapOptions()
        options.classField = "landuse"
        options.within = within
        options.plotIdField = "plot_id"
        options.parcelIdField = "parcel_id"
        let zones = try Zones.load(LayerSource(path: Fixtures.data("daxing_towns.gpkg")), field: nil, options: ReadOptions.landWatch())
        return try Overlap.compute(plots: VectorInput(LayerSource(path: Fixtures.data("contaminated_plots.gpkg")), options: .landWatch()),
                                   sensitive: VectorInput(LayerSource(path: Fixtures.data("sensitive_landuse.geojson")), options: .landWatch()),
                                   zones: zones, options: options)
    }

    @Test func sampleDataMatchesGeoPandas() throws {
        let result = try sampleOverlap()
        let expected = try #require(try referenceJSON()["pairs"] as? [[String: Any]])
        // The same 56 pairs (none lies within 0.1% of the 500 m threshold).
        #expect(Set(result.pairs.map { "\($0.plot)/\($0.parcel)" }) == Set(expected.map { "\($0["plot"]!)/\($0["parcel"]!)" }))
        for e in expected {
            let pair = try #require(result.pairs.first { $0.plot == e["plot"] as? String && $0.parcel == e["parcel"] as? String })
            #expect(pair.className == e["class"] as? String)
            let overlap = e["overlap_m2"] as! Double
            #expect(overlap == 0 ? pair.overlap == 0 : relative(pair.overlap, overlap) < 1e-6, "\(pair.plot)/\(pair.parcel)")
            let distance = e["distance_m"] as! Double
            // The reference takes the nearest points in EPSG:4527, where the parcels' lon/lat
            // edges are a few mm off: within 1e-4 (1.3 mm on WR-039/S-00252, 22.51 m apart).
            #expect(distance == 0 ? pair.distance == 0 : relative(pair.distance, distance) < 1e-4, "\(pair.plot)/\(pair.parcel)")
            let share = e["plot_share_pct"] as! Double
            #expect(share == 0 ? pair.plotShare == 0 : relative(pair.plotShare, share) < 1e-6, "\(pair.plot)/\(pair.parcel)")
        }
        // Inline, for the reader: WR-003 overlaps S-00116 (居住用地) by 245.057 m²;
        // WR-001 lies 227.711 m from S-00265.
        #expect(abs(result.pairs.first { $0.plot == "WR-003" && $0.parcel == "S-00116" }!.overlap - 245.057) < 0.001)
        #expect(abs(result.pairs.first { $0.plot == "WR-001" && $0.parcel == "S-00265" }!.distance - 227.711) < 0.001)
    }

    @Test func summaryMatchesGeoPandas() throws {
        let result = try sampleOverlap()
        let expected = try #require(try referenceJSON()["summary"] as? [[String: Any]])
        let referenceClasses = try #require(try referenceJSON()["classes"] as? [String])
        // The code's classes are those with a pair (医院 has none within 500 m); each is the reference's.
        #expect(Set(result.classes).isSubset(of: referenceClasses) && !result.classes.isEmpty)
        #expect(result.plots.count == 40)  // every plot, clean ones included
        for e in expected {
            let s = try #require(result.plots.first { $0.plot == e["plot"] as? String })
            #expect(s.zone == e["zone"] as? String)
            #expect(s.overlapping == e["overlapping"] as? Int && s.within == e["within"] as? Int, "\(s.plot)")
            #expect(s.nearest?.parcel == e["nearest_parcel"] as? String, "\(s.plot)")
            // The reference's classes, so that a class the code lost still fails here.
            for c in referenceClasses {
                let ref = e["\(c)_overlap_m2"] as? Double ?? 0
                #expect(abs((s.overlapByClass[c] ?? 0) - ref) <= 1e-6 * max(ref, 1))
                for (k, r) in [100, 300, 500].enumerated() {
                    #expect((s.ringCounts[c]?[k] ?? 0) == e["\(c)_within_\(r)m"] as? Int ?? 0, "\(s.plot) \(c) \(r)")
                }
            }
        }
    }

    /// Named cases on squares in EPSG:4490; areas and distances from pyproj's Geod on the
    /// CGCS2000 ellipsoid (a=6378137, rf=298.257222101).
    static let plotWKT = [
        ("P1", "POLYGON((116.30 39.70, 116.31 39.70, 116.31 39.71, 116.30 39.71, 116.30 39.70))"),
        ("P2", "POLYGON((116.402 39.702, 116.404 39.702, 116.404 39.704, 116.402 39.704, 116.402 39.702))"),
        ("P3", "POLYGON((116.50 39.70, 116.51 39.70, 116.51 39.71, 116.50 39.71, 116.50 39.70))"),
        ("P4", "POLYGON((116.70 39.70, 116.701 39.70, 116.701 39.701, 116.70 39.701, 116.70 39.70))"),
    ]
    static let parcelWKT = [
        ("touching", "POLYGON((116.31 39.70, 116.32 39.70, 116.32 39.71, 116.31 39.71, 116.31 39.70))"),
        ("around", "POLYGON((116.40 39.70, 116.41 39.70, 116.41 39.71, 116.40 39.71, 116.40 39.70))"),
        ("inside", "POLYGON((116.502 39.702, 116.503 39.702, 116.503 39.703, 116.502 39.703, 116.502 39.702))"),
        ("multipart", "MULTIPOLYGON(((116.305 39.705, 116.306 39.705, 116.306 39.706, 116.305 39.706, 116.305 39.705)),((116.60 39.60, 116.601 39.60, 116.601 39.601, 116.60 39.601, 116.60 39.60)))"),
        ("north", "POLYGON((116.30 39.7127, 116.31 39.7127, 116.31 39.7137, 116.30 39.7137, 116.30 39.7127))"),
    ]

    func runNamedCases(parcelCRS: Int) throws -> OverlapResult {
        let dir = Fixtures.temporaryDirectory()
        try Fixtures.writePolygons(dir + "/plots.gpkg", crs: try CRS.cgcs2000, Self.plotWKT)
        let t = try CoordinateTransform(from: CRS.cgcs2000, to: CRS(epsg: parcelCRS))
        try Fixtures.writePolygons(dir + "/parcels.gpkg", crs: try CRS(epsg: parcelCRS),
                                   try Self.parcelWKT.map { ($0.0, try t.transform(Geometry(wkt: $0.1)).wkt) })
        var options = OverlapOptions()
        options.within = 500
        options.plotIdField = "name"
        options.parcelIdField = "name"
        return try Overlap.compute(plots: VectorInput(LayerSource(path: dir + "/plots.gpkg"), options: .landWatch()),
                                   sensitive: VectorInput(LayerSource(path: dir + "/parcels.gpkg"), options: .landWatch()), zones: nil, options: options)
    }

    @Test(arguments: [4490, 4326, 4527])
    func namedCases(parcelCRS: Int) throws {
        let result = try runNamedCases(parcelCRS: parcelCRS)
        func pair(_ plot: String, _ parcel: String) -> OverlapPair? {
            result.pairs.first { $0.plot == plot && $0.parcel == parcel }
        }
        // Touching along an edge only: a pair at distance 0 with no overlap.
        let touching = try #require(pair("P1", "touching"))
        #expect(touching.distance == 0 && touching.overlap == 0)
        // A plot inside a parcel: all of the plot (38,088.549 m²).
        let around = try #require(pair("P2", "around"))
        #expect(relative(around.overlap, 38_088.54896748066) < 1e-6 && abs(around.plotShare - 100) < 1e-6)
        // A parcel inside a plot: the parcel's area (9,522.205 m²) of the plot's 952,186.562 m².
        let inside = try #require(pair("P3", "inside"))
        #expect(relative(inside.overlap, 9_522.205140769482) < 1e-6)
        #expect(relative(inside.plotShare, 100 * 9_522.205140769482 / 952_186.5624446869) < 1e-6)
        // A multipart parcel: one part overlaps P1 (9,521.798 m²), the other is far away.
        #expect(relative(try #require(pair("P1", "multipart")).overlap, 9_521.79774004221) < 1e-6)
        // Near, not touching: 299.779 m north along the meridian.
        #expect(relative(try #require(pair("P1", "north")).distance, 299.77854505395806) < 1e-4)
        // A clean plot has no pairs but a summary row with nulls.
        #expect(!result.pairs.contains { $0.plot == "P4" })
        let clean = try #require(result.plots.first { $0.plot == "P4" })
        #expect(clean.nearest == nil && clean.overlapping == 0 && clean.within == 0)
    }

    /// A parcel drawn in EPSG:4527 whose north edge runs 1.5 km straight in that plane (the rest of
    /// its outline in steps of 10 and 15 m), and two plots in EPSG:4490: a triangle whose apex lies
    /// 50 m north of the edge's middle in EPSG:4527, and a rectangle around the whole parcel. In
    /// lon/lat the edge is a curve whose middle lies 3.7 cm off the chord between its ends; read
    /// vertex by vertex, the apex was 50.035 m away.
    @Test func edgesDrawnInAProjectedCRSStayStraightThere() throws {
        let (x0, y0) = (39_444_000.0, 4_396_000.0)
        var outline: [(Double, Double)] = [(x0, y0), (x0 + 1500, y0)]
        outline += (1...20).map { (x0 + 1500, y0 - 10 * Double($0)) }
        outline += (1...100).map { (x0 + 1500 - 15 * Double($0), y0 - 200) }
        outline += (1...20).map { (x0, y0 - 200 + 10 * Double($0)) }
        let parcel = "POLYGON((" + outline.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "))"
        let dir = Fixtures.temporaryDirectory()
        try Fixtures.writePolygons(dir + "/parcels.gpkg", crs: try CRS(epsg: 4527), [("edge", parcel)])
        // The apex is pyproj's transform of (x0 + 750, y0 + 50) from EPSG:4527 to 4490.
        try Fixtures.writePolygons(dir + "/plots.gpkg", crs: try CRS.cgcs2000, [
            ("apex", "POLYGON((116.355841524529 39.696686595531, 116.356420256459 39.697140132905, 116.355254420469 39.697133665278, 116.355841524529 39.696686595531))"),
            ("around", "POLYGON((116.346 39.693, 116.366 39.693, 116.366 39.698, 116.346 39.698, 116.346 39.693))"),
        ])
        var options = OverlapOptions()
        options.within = 500
        options.plotIdField = "name"
        options.parcelIdField = "name"
        let result = try Overlap.compute(plots: VectorInput(LayerSource(path: dir + "/plots.gpkg"), options: .landWatch()),
                                         sensitive: VectorInput(LayerSource(path: dir + "/parcels.gpkg"), options: .landWatch()),
                                         zones: nil, options: options)
        // 49.998122 m: the least pyproj Geod.inv (CGCS2000) from the apex to the edge's points
        // taken every millimetre in EPSG:4527 and transformed to 4490 (the nearest at x0 + 750).
        let apex = try #require(result.pairs.first { $0.plot == "apex" })
        #expect(abs(apex.distance - 49.99812178534387) < 0.001, "\(apex.distance)")
        // 299,977.460 m²: the parcel segmentized every 0.25 m in EPSG:4527 (shapely), transformed
        // to 4490, measured by pyproj's Geod.polygon_area_perimeter. (Where the edge is cut by
        // an outline drawn in lon/lat, as in the sample data, the curve moves the cut and the area.)
        let around = try #require(result.pairs.first { $0.plot == "around" })
        #expect(relative(around.overlap, 299_977.46047587285) < 1e-6, "\(around.overlap)")
    }

    /// Map order: rows of 0.01° from south to north, west to east in even rows and back in odd
    /// ones; equal centres in their given order.
    @Test func mapOrderIsASerpentine() {
        func box(_ x: Double, _ y: Double) -> Envelope { .init(minX: x, minY: y, maxX: x, maxY: y) }
        // Rows of 0.01°: 39.705 and 39.706 share a row; 39.715 is the next one north.
        let envelopes = [box(116.3, 39.715), box(116.2, 39.715), box(116.2, 39.705), box(116.3, 39.706), box(116.2, 39.705)]
        let rowOf39_70 = Int(((39.705 + 90) * 100).rounded(.down))
        // Row 12970 is even (west to east), 12971 odd (east to west).
        #expect(rowOf39_70 == 12_970)
        #expect(Overlap.mapOrder(envelopes) == [2, 4, 3, 0, 1])
    }

    @Test func duplicateIdsAreRefused() throws {
        let dir = Fixtures.temporaryDirectory()
        try Fixtures.writePolygons(dir + "/plots.gpkg", crs: try CRS.cgcs2000, [Self.plotWKT[0], ("P1", Self.plotWKT[1].1)])
        var options = OverlapOptions()
        options.plotIdField = "name"
        let error = #expect(throws: LandWatchError.self) {
            try Overlap.compute(plots: VectorInput(LayerSource(path: dir + "/plots.gpkg"), options: .landWatch()),
                                sensitive: VectorInput(LayerSource(path: dir + "/plots.gpkg"), options: .landWatch()), zones: nil, options: options)
        }
        #expect(error?.description.contains("id \"P1\" is used by features 1 and 2; ids must be unique") == true)
    }
}
