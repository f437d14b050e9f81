import Foundation
import GDALKit
import Testing
import TestSupport

@Suite struct PartitionedReadTests {
    /// 30,000 small squares on a grid with a name each, in a GeoPackage (with a gap in the ids)
    /// or a Shapefile.
    static func writeGrid(_ path: String, deleteSome: Bool) throws {
        let writer = try VectorWriter(path: path)
        let layer = try writer.addLayer("grid", crs: try CRS.cgcs2000, geometryKind: .polygon, fields: [.init("name", .string)])
        for k in 0..<30_000 {
            let x = 116 + Double(k % 200) * 0.001, y = 39.5 + Double(k / 200) * 0.001
            let square = try Geometry(envelope: Envelope(minX: x, minY: y, maxX: x + 0.0005, maxY: y + 0.0005))
            try layer.insert([.string("cell \(k)")], geometry: square)
        }
        try writer.commit()
        if deleteSome {
            try Dataset(path: path, update: true).execute("DELETE FROM grid WHERE fid BETWEEN 10000 AND 12999")
        }
    }

    /// Reading in two parts on two threads gives the features of reading on one, in order; a
    /// `keep` test leaves out what it refuses and counts it.
    @Test(arguments: ["grid.gpkg", "grid.shp"])
    func partsReadLikeOne(file: String) throws {
        let path = Fixtures.temporaryDirectory() + "/" + file
        try Self.writeGrid(path, deleteSome: file.hasSuffix(".gpkg"))
        let input = try VectorInput(LayerSource(path: path), options: ReadOptions())
        var report = ReadReport()
        var sequential: [(Int64, FieldValue?)] = []
        try input.forEachBatch(into: CRS.cgcs2000, report: &report) { batch in sequential += batch.map { ($0.fid, $0["name"]) } }
        let parts = try #require(try input.mapBatchesInParts(into: CRS.cgcs2000, parts: 2) { batch in
            batch.map { ($0.fid, $0["name"]) }
        })
        let together = parts.results.flatMap { $0 }
        #expect(together.count == sequential.count && report.features == parts.report.features)
        #expect(zip(together, sequential).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
        // Deleted ids leave 27,000 features in the GeoPackage.
        #expect(together.count == (file.hasSuffix(".gpkg") ? 27_000 : 30_000))

        // Only the southern half (rows 0 to 74 start below 39.575).
        let south = try #require(try input.mapBatchesInParts(into: CRS.cgcs2000, parts: 2, keep: { $0.minY < 39.5745 }) { $0.count })
        let kept = south.results.reduce(0, +)
        // Cells 0 to 14,999; the GeoPackage lost 3,000 of them (ids 10,000 to 12,999).
        #expect(kept == (file.hasSuffix(".gpkg") ? 12_000 : 15_000))
        #expect(south.report.leftOut == together.count - kept && south.report.features == together.count)
    }

    /// Formats that cannot be split are read whole by the caller.
    @Test func geoJSONIsNotSplit() throws {
        let input = try VectorInput(LayerSource(path: Fixtures.data("sensitive_landuse.geojson")), options: ReadOptions())
        #expect(try input.mapBatchesInParts(into: CRS.cgcs2000, parts: 2) { $0.count } == nil)
    }
}

@Suite struct OutlineTests {
    /// Outlines read straight from OGR hold the vertices GEOS holds for the same features
    /// (multipolygons with holes, in the sample's sensitive land uses), with the same envelopes;
    /// features the test refuses come as GEOS geometries.
    @Test func outlinesMatchTheGeometries() throws {
        let path = Fixtures.data("sensitive_landuse.geojson")
        let full = try VectorInput(LayerSource(path: path), options: ReadOptions()).layer.readAll()
        let input = try VectorInput(LayerSource(path: path), options: ReadOptions())
        var outlines: [Feature] = []
        try input.layer.forEach(outlineOnly: { $0.minX > 116.4 }) { outlines.append($0) }
        #expect(outlines.count == full.count)
        var measured = 0
        for (a, b) in zip(outlines, full) {
            let g = try #require(b.geometry)
            if let outline = a.outline {
                #expect(a.geometry == nil && outline.envelope == g.envelope && outline.kind == g.kind)
                // The same vertices, every one, in the same rings and order as GEOS holds them.
                #expect(outline.vertices == VertexRuns([g]))
                measured += 1
            } else {
                #expect(a.geometry != nil && g.envelope.minX <= 116.4)
            }
        }
        #expect(measured > 0 && measured < full.count)
    }
}
