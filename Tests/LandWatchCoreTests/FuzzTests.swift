import Foundation
import GDALKit
import LandWatchCore
import LandWatchSample
import Testing
import TestSupport

/// Sample files mutated byte by byte (seeded, 3,000 cases, at most 150 s a suite), read by
/// `info` and `coverage` in this process: every case must end in a result or a thrown error —
/// a crash or a hang fails the whole test run.
@Suite(.tags(.slow), .fullRun) struct FuzzTests {
    static let zones = Result { try Zones.load(LayerSource(path: Fixtures.data("daxing_towns.gpkg")), field: nil, options: ReadOptions.landWatch()) }

    /// The first 30 patches of a sample file, written in the given format (small, so that
    /// thousands of mutations run in seconds).
    func seedFile(_ name: String, options: [String: String] = [:]) throws -> String {
        let dir = Fixtures.temporaryDirectory("fuzz-seed")
        let input = try VectorInput(LayerSource(path: Fixtures.data("bare_land_202608.shp")), options: .landWatch())
        let features = try input.layer.readAll().prefix(30)
        let writer = try VectorWriter(path: dir + "/" + name)
        let layer = try writer.addLayer("patches", crs: try CRS.cgcs2000, geometryKind: .polygon, fields: input.layer.schema.fields, options: options)
        for f in features { try layer.insert(f.values, geometry: f.geometry) }
        try writer.commit()
        return dir
    }

    func fuzz(from seedDir: String, _ files: [String], entry: String, cases: Int, seed: UInt64) throws -> (ok: Int, refused: Int) {
        let dir = Fixtures.temporaryDirectory("fuzz")
        let originals = try files.map { try [UInt8](Data(contentsOf: URL(fileURLWithPath: seedDir + "/" + $0))) }
        var rng = SeededRandom(seed: seed)
        var ok = 0, refused = 0
        let deadline = Date().addingTimeInterval(150)
        for _ in 0..<cases where Date() < deadline {
            // Mutate one of the files: flip, overwrite or drop a few bytes.
            let target = rng.int(0...(files.count - 1))
            for (k, name) in files.enumerated() {
                var bytes = originals[k]
                if k == target {
                    for _ in 0..<rng.int(1...4) where !bytes.isEmpty {
                        let at = rng.int(0...(bytes.count - 1))
                        switch rng.int(0...2) {
                        case 0: bytes[at] ^= UInt8(1 << rng.int(0...7))
                        case 1: bytes[at] = UInt8(rng.int(0...255))
                        default: bytes.removeSubrange(at..<min(bytes.count, at + rng.int(1...16)))
                        }
                    }
                }
                try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
            }
            do {
                _ = try LayerInfo.inspect(LayerSource(path: dir + "/" + entry))
                _ = try PolygonCoverage.compute(VectorInput(LayerSource(path: dir + "/" + entry), options: .landWatch()), zones: Self.zones.get(),
                                                classField: nil, keepPieces: false)
                ok += 1
            } catch {
                refused += 1
            }
        }
        return (ok, refused)
    }

    @Test func mutatedShapefiles() throws {
        let seedDir = try seedFile("patches.shp", options: ["ENCODING": "CP936"])
        let r = try fuzz(from: seedDir, ["shp", "shx", "dbf", "prj", "cpg"].map { "patches.\($0)" }, entry: "patches.shp", cases: 1500, seed: 1)
        #expect(r.ok + r.refused == 1500 && r.ok > 0 && r.refused > 0)
    }

    @Test func mutatedGeoJSON() throws {
        let seedDir = try seedFile("patches.geojson")
        let r = try fuzz(from: seedDir, ["patches.geojson"], entry: "patches.geojson", cases: 1500, seed: 2)
        #expect(r.ok + r.refused == 1500 && r.ok > 0 && r.refused > 0)
    }
}
