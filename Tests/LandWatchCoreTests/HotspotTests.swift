import Foundation
import GDALKit
import LandWatchCore
import Testing
import TestSupport

/// Hotspots against independent numbers: Benchmarks/reference/gistar_reference.py (esda 2.9
/// `G_Local(star=True, transform='B')` with libpysal `DistanceBand(threshold=750, binary=True)`;
/// esda agrees with the textbook Gi* to 9e-16) and gcj02_pairs.json (published GCJ-02 pairs).
@Suite struct HotspotTests {
    func reference(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.root.appendingPathComponent("Benchmarks/reference/\(name)")))
    }

    /// The esda fixture as readings: one per cell centre (cells of 500 m, 46 of an 8 × 6 grid with
    /// two left out), laid in UTM zone 50 so that the grid is LandWatch's own.
    @Test func giStarMatchesEsda() throws {
        let ref = try #require(try reference("gistar_reference.json") as? [String: Any])
        let cells = try #require(ref["cells"] as? [[String: Any]])
        let dir = Fixtures.temporaryDirectory()
        var csv = "x,y,tvoc\n"
        for c in cells { csv += "\(400_000 + (c["x"] as! Double)),\(4_400_000 + (c["y"] as! Double)),\(c["value"] as! Double)\n" }
        try csv.write(toFile: dir + "/fixture.csv", atomically: true, encoding: .utf8)
        var options = HotspotOptions(valueField: "tvoc")
        options.minReadings = 1
        options.band = 750
        let result = try Hotspots.compute(VectorInput(LayerSource(parsing: dir + "/fixture.csv@EPSG:32650"), options: .landWatch()), options: options,
                                          zones: nil, sources: nil)
        #expect(result.cells.count == 46 && result.projection == "EPSG:32650")
        for c in cells {
            let cell = try #require(result.cells.first { $0.column == 800 + (c["i"] as! Int) && $0.row == 8800 + (c["j"] as! Int) })
            #expect(abs(cell.z - (c["z_esda"] as! Double)) < 1e-9, "cell \(c["i"]!),\(c["j"]!)")
            #expect(abs(cell.p - (c["p_two_sided"] as! Double)) < 1e-9)
            // BH at 5%: exactly the four planted cells, hot at 99% (q ≤ 0.0092).
            #expect((cell.bin == 3) == (c["bh_sig_0.01"] as! Bool))
        }
        #expect(result.cells.filter { $0.bin != 0 }.count == 4)
        // One cluster: the four planted cells.
        #expect(result.clusters.count == 1 && result.clusters[0].cells.count == 4 && result.clusters[0].confidence == 99)
    }

    @Test func benjaminiHochbergByHand() {
        // m = 5, α = 0.05: thresholds 0.01, 0.02, 0.03, 0.04, 0.05. Sorted p 0.001, 0.012, 0.028,
        // 0.041, 0.2: the largest k with p(k) ≤ k/m·α is 3 (0.028 ≤ 0.03; 0.041 > 0.04).
        #expect(GetisOrd.benjaminiHochberg([0.2, 0.028, 0.001, 0.041, 0.012], alpha: 0.05) == [false, true, true, false, true])
        #expect(abs(GetisOrd.pValue(1.959963984540054) - 0.05) < 1e-12)
    }

    @Test func defaultBandGivesEveryCellANeighbour() throws {
        // Three cells in a row and one 2 km away: the band must reach it (1,500 m from its nearest).
        let dir = Fixtures.temporaryDirectory()
        try "x,y,v\n400250,4400250,1\n400750,4400250,2\n401250,4400250,3\n402750,4400250,4\n"
            .write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        var options = HotspotOptions(valueField: "v")
        options.minReadings = 1
        let result = try Hotspots.compute(VectorInput(LayerSource(parsing: dir + "/p.csv@EPSG:32650"), options: .landWatch()), options: options, zones: nil, sources: nil)
        #expect(abs(result.band - 1_500) < 1e-6)
        options.band = nil
        try "x,y,v\n400250,4400250,1\n400750,4400250,2\n".write(toFile: dir + "/q.csv", atomically: true, encoding: .utf8)
        // Never less than the diagonal of a cell.
        let near = try Hotspots.compute(VectorInput(LayerSource(parsing: dir + "/q.csv@EPSG:32650"), options: .landWatch()), options: options, zones: nil, sources: nil)
        #expect(abs(near.band - 500 * 2.0.squareRoot()) < 1e-9)
    }

    @Test func gcj02MatchesPublishedPairs() throws {
        let pairs = try #require(try reference("gcj02_pairs.json") as? [[String: Any]])
        #expect(pairs.count == 4)
        for p in pairs {
            let g = GCJ02.fromWGS84(Coordinate(p["wgs_lon"] as! Double, p["wgs_lat"] as! Double))
            #expect(abs(g.x - (p["gcj_lon"] as! Double)) < 1e-9 && abs(g.y - (p["gcj_lat"] as! Double)) < 1e-9, "\(p["source"]!)")
            let back = GCJ02.toWGS84(Coordinate(p["gcj_lon"] as! Double, p["gcj_lat"] as! Double))
            #expect(abs(back.x - (p["wgs_lon"] as! Double)) < 1e-8 && abs(back.y - (p["wgs_lat"] as! Double)) < 1e-8)
        }
    }

    @Test func samplePlumesAreFoundWithTheirEnterprise() throws {
        let zones = try Zones.load(LayerSource(path: Fixtures.data("daxing_towns.gpkg")), field: nil, options: ReadOptions.landWatch())
        let result = try Hotspots.compute(VectorInput(LayerSource(parsing: Fixtures.data("vocs_survey_202610_gcj02.csv") + "@GCJ-02"), options: .landWatch()),
                                          options: HotspotOptions(valueField: "tvoc"), zones: zones,
                                          sources: VectorInput(LayerSource(path: Fixtures.data("enterprises.csv")), options: .landWatch()))
        // The generator plants four plumes, each with an enterprise beside it: the first four rows
        // of enterprises.csv.
        let planted = try String(contentsOfFile: Fixtures.data("enterprises.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(4).map { String($0.split(separator: ",")[0]) }
        #expect(result.clusters.count == 4)
        for name in planted {
            let cluster = try #require(result.clusters.first { $0.sources.first?.name == name }, "\(name)")
            #expect(cluster.confidence == 99 && cluster.sources[0].distance == 0)
        }
        #expect(result.projection == "EPSG:32650" && result.band > 700 && result.band < 710)
    }

    /// A plume with three enterprises inside its cluster: all three are 0 m from the cluster's
    /// polygon, and the emitter, at the plume's centre, comes first although its name sorts last.
    /// Each centre distance is checked against the value-weighted centre computed here from the
    /// cluster's cells (their centres in the grid, weighted by their values).
    @Test func theEmitterNearestThePlumesCentreComesFirst() throws {
        let dir = Fixtures.temporaryDirectory()
        // Readings every 100 m over 8 km × 8 km (UTM 50N), a background of 10 and a Gaussian
        // plume (σ 700 m, peak 200) centred at the emitter.
        let emitter = (x: 404_130.0, y: 4_404_270.0)
        var csv = "x,y,v\n"
        for i in 0..<80 {
            for j in 0..<80 {
                let x = 400_050.0 + Double(i) * 100, y = 4_400_050.0 + Double(j) * 100
                let d2 = (x - emitter.x) * (x - emitter.x) + (y - emitter.y) * (y - emitter.y)
                csv += "\(x),\(y),\(10 + 200 * exp(-d2 / (2 * 700 * 700)))\n"
            }
        }
        try csv.write(toFile: dir + "/plume.csv", atomically: true, encoding: .utf8)
        let enterprises = [("A 印刷厂", emitter.x + 650, emitter.y + 100), ("B 家具厂", emitter.x - 450, emitter.y - 500),
                           ("Z 化工厂", emitter.x, emitter.y)]
        // One enterprise without coordinates is left out with a warning, never silently.
        try ("name,x,y\n" + enterprises.map { "\($0.0),\($0.1),\($0.2)\n" }.joined() + "无坐标企业,,\n")
            .write(toFile: dir + "/enterprises.csv", atomically: true, encoding: .utf8)
        let result = try Hotspots.compute(VectorInput(LayerSource(parsing: dir + "/plume.csv@EPSG:32650"), options: .landWatch()),
                                          options: HotspotOptions(valueField: "v"), zones: nil,
                                          sources: VectorInput(LayerSource(parsing: dir + "/enterprises.csv@EPSG:32650"), options: .landWatch()))
        #expect(result.projection == "EPSG:32650")
        let cluster = try #require(result.clusters.first)
        #expect(cluster.sources.map(\.name) == ["Z 化工厂", "A 印刷厂", "B 家具厂"])
        #expect(cluster.sources.allSatisfy { $0.distance == 0 })
        #expect(result.sourcesWarning?.contains("1 feature") == true, "\(result.sourcesWarning ?? "no warning")")
        let size = result.cellSize
        let weights = cluster.cells.map { result.cells[$0].value }, total = weights.reduce(0, +)
        let cx = zip(cluster.cells, weights).reduce(0.0) { $0 + (Double(result.cells[$1.0].column) + 0.5) * size * $1.1 } / total
        let cy = zip(cluster.cells, weights).reduce(0.0) { $0 + (Double(result.cells[$1.0].row) + 0.5) * size * $1.1 } / total
        for (name, x, y) in enterprises {
            let source = try #require(cluster.sources.first { $0.name == name })
            #expect(abs(source.centreDistance - hypot(x - cx, y - cy)) < 1e-6, "\(name): \(source.centreDistance)")
        }
    }
}
