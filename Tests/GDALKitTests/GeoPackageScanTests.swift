import Foundation
@testable import GDALKit
import Testing
import TestSupport

/// A GeoPackage table read row by row (`GeoPackageScan`) gives what OGR gives feature by
/// feature: the same ids, values, geometries, outlines and repairs, on plain geometries written
/// by GDAL and on the blobs other writers leave (big-endian, unclosed rings, curves, 3D, empty).
@Suite struct GeoPackageScanTests {
    /// A GeoPackage geometry blob: little-endian header without envelope, SRS 4490, then `wkb`.
    static func blob(_ wkb: [UInt8]) -> String {
        let bytes: [UInt8] = [0x47, 0x50, 0, 0x01] + withUnsafeBytes(of: Int32(4490).littleEndian, Array.init) + wkb
        return "X'" + bytes.map { String(format: "%02X", $0) }.joined() + "'"
    }

    /// WKB of a type and its parts in one byte order: integers and doubles as given.
    static func wkb(little: Bool, _ items: [Any]) -> [UInt8] {
        var out: [UInt8] = [little ? 1 : 0]
        for item in items {
            if let n = item as? Int {
                let v = UInt32(n)
                out += withUnsafeBytes(of: little ? v.littleEndian : v.bigEndian, Array.init)
            } else if let d = item as? Double {
                let v = d.bitPattern
                out += withUnsafeBytes(of: little ? v.littleEndian : v.bigEndian, Array.init)
            } else if let nested = item as? [UInt8] {
                out += nested
            }
        }
        return out
    }

    static func writeMixed(_ path: String) throws {
        let writer = try VectorWriter(path: path)
        let layer = try writer.addLayer("mixed", crs: try CRS.cgcs2000, geometryKind: .collection,
                                        fields: [.init("n", .integer), .init("x", .real), .init("s", .string), .init("d", .date)])
        let shapes = ["POLYGON ((116 39, 116.01 39, 116.01 39.01, 116 39.01, 116 39))",
                      "MULTIPOLYGON (((116.1 39, 116.2 39, 116.2 39.1, 116.1 39.1, 116.1 39), (116.12 39.02, 116.12 39.05, 116.15 39.05, 116.12 39.02)), ((117 40, 117.1 40, 117 40.1, 117 40)))",
                      "POINT (116.5 39.5)", "LINESTRING (116 39, 116.3 39.2, 116.4 39.1)",
                      "MULTIPOINT ((116.6 39.6), (116.7 39.7))", "MULTILINESTRING ((116 39, 116.1 39.1), (116.2 39.2, 116.3 39.3))",
                      "GEOMETRYCOLLECTION (POINT (116 39), LINESTRING (116 39, 116.1 39.1))", "POLYGON EMPTY"]
        for (k, wkt) in shapes.enumerated() {
            try layer.insert([.integer(Int64(k)), k % 3 == 0 ? .null : .real(Double(k) / 3), .string("行 \(k)"), .string("2026-10-0\(k + 1)")],
                             geometry: try Geometry(wkt: wkt))
        }
        try layer.insert([.integer(99), .null, .null, .null])
        try writer.commit()
        let square: [Any] = [5, 116.0, 39.0, 116.01, 39.0, 116.01, 39.01, 116.0, 39.01, 116.0, 39.0]
        let odd = [
            // Big-endian, closed.
            wkb(little: false, [3, 1] + square),
            // A ring left open, which OGR closes and counts.
            wkb(little: true, [3, 1, 4, 116.0, 39.0, 116.01, 39.0, 116.01, 39.01, 116.0, 39.01]),
            wkb(little: true, [3, 1, 4, 116.0, 39.1, 116.01, 39.1, 116.01, 39.11, 116.0, 39.11]),
            // A ring of three points.
            wkb(little: true, [3, 1, 3, 116.0, 39.0, 116.01, 39.0, 116.0, 39.0]),
            // 3D, and a curve.
            wkb(little: true, [1003, 1, 4, 116.0, 39.0, 5.0, 116.01, 39.0, 5.0, 116.0, 39.01, 5.0, 116.0, 39.0, 5.0]),
            wkb(little: true, [10, 1, wkb(little: true, [8, 3, 116.0, 39.0, 116.02, 39.0, 116.0, 39.0])]),
            // An empty point (NaN), and an empty multipolygon.
            wkb(little: true, [1, Double.nan, Double.nan]), wkb(little: true, [6, 0]),
        ]
        let dataset = try Dataset(path: path, update: true)
        for (k, bytes) in odd.enumerated() {
            try dataset.execute("INSERT INTO mixed (geom, n, s) VALUES (\(blob(bytes)), \(100 + k), 'odd \(k)')")
        }
    }

    /// What a reader sees of a feature, as text: id, values, geometry or outline, repairs.
    static func describe(_ f: Feature, _ layer: Layer) -> String {
        let shape = f.outline.map { "outline \($0.kind) \($0.envelope) \($0.vertices.xy) \($0.vertices.runEnds)" } ?? f.geometry?.wkt ?? "none"
        return "\(f.fid) \(f.values) \(shape) closed \(layer.currentRingsClosed) unreadable \(layer.currentGeometryUnreadable)"
    }

    static func read(_ path: String, rows: Bool, fields: [String]?, range: Layer.ReadRange? = nil,
                     keep: ((Envelope) -> Bool)? = nil, outlineOnly: ((Envelope) -> Bool)? = nil) throws -> ([String], Int) {
        let layer = try Dataset(path: path).layer(named: "mixed")
        layer.readsGeoPackageRows = rows
        if let fields { try layer.selectFields(fields) }
        var seen: [String] = []
        let leftOut = try layer.forEach(range: range, keep: keep, outlineOnly: outlineOnly) { seen.append(describe($0, layer)) }
        return (seen, leftOut)
    }

    @Test func rowsReadAsOGRReadsThem() throws {
        let path = Fixtures.temporaryDirectory() + "/mixed.gpkg"
        try Self.writeMixed(path)
        // Fields a scan reads (the date left out), and all of them (a date: OGR reads every row).
        for fields in [["n", "x", "s"], nil] as [[String]?] {
            let (direct, _) = try Self.read(path, rows: true, fields: fields)
            let (ogr, _) = try Self.read(path, rows: false, fields: fields)
            #expect(direct == ogr)
            // 8 written with geometry, 1 without, 8 odd blobs.
            #expect(direct.count == 17)
            #expect(direct.contains { $0.contains("closed true") })
        }
        // Parts by id, features left out by envelope and others read as outlines.
        let keep: (Envelope) -> Bool = { $0.minX < 116.55 }
        let outlineOnly: (Envelope) -> Bool = { $0.minY > 39.05 }
        for range in [nil, Layer.ReadRange.fids(column: "fid", 3..<12)] {
            let direct = try Self.read(path, rows: true, fields: ["s"], range: range, keep: keep, outlineOnly: outlineOnly)
            let ogr = try Self.read(path, rows: false, fields: ["s"], range: range, keep: keep, outlineOnly: outlineOnly)
            #expect(direct.0 == ogr.0 && direct.1 == ogr.1)
            #expect(direct.1 > 0 && direct.0.contains { $0.contains("outline") })
        }
    }

    /// A blob is read here only when it is a plain 2D geometry; everything else goes to OGR.
    @Test func blobsLeftToOGR() throws {
        func parse(_ wkb: [UInt8], flags: UInt8 = 0x01) -> ParsedGeometry? {
            let bytes: [UInt8] = [0x47, 0x50, 0, flags, 0, 0, 0, 0] + wkb
            return bytes.withUnsafeBytes { GeoPackageBlob.parse($0) }
        }
        let point = Self.wkb(little: true, [1, 116.0, 39.0])
        #expect(parse(point)?.kind == .point && parse(point)?.xy == [116, 39])
        #expect(parse(point, flags: 0x11) == nil)  // marked empty
        #expect(parse(point, flags: 0x21) == nil)  // extended
        #expect(parse(Array(point.dropLast())) == nil)  // cut short
        #expect(parse(point + [0]) == nil)  // trailing bytes
        #expect(parse(Self.wkb(little: true, [1001, 116.0, 39.0, 1.0])) == nil)  // 3D
        #expect(parse(Self.wkb(little: true, [4, 1, Self.wkb(little: true, [2, 1, 116.0, 39.0])])) == nil)  // a line in a multipoint
    }

    /// The envelope in a blob's header (minX, maxX, minY, maxY, in the header's byte order) is
    /// what `keep` may refuse a row on; a header without one gives none.
    @Test func headerEnvelopes() {
        let line = Self.wkb(little: true, [2, 2, 116.0, 39.0, 116.5, 39.25])
        for little in [true, false] {
            let bounds = Array(Self.wkb(little: little, [116.0, 116.5, 39.0, 39.25]).dropFirst())
            let bytes: [UInt8] = [0x47, 0x50, 0, little ? 0x03 : 0x02, 0, 0, 0, 0] + bounds + line
            let envelope = bytes.withUnsafeBytes { GeoPackageBlob.headerEnvelope($0) }
            #expect(envelope == Envelope(minX: 116, minY: 39, maxX: 116.5, maxY: 39.25))
            #expect(bytes.withUnsafeBytes { GeoPackageBlob.parse($0) }?.envelope == envelope)
        }
        let bare: [UInt8] = [0x47, 0x50, 0, 0x01, 0, 0, 0, 0] + line
        #expect(bare.withUnsafeBytes { GeoPackageBlob.headerEnvelope($0) } == nil)
        let cut: [UInt8] = [0x47, 0x50, 0, 0x03, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 20)
        #expect(cut.withUnsafeBytes { GeoPackageBlob.headerEnvelope($0) } == nil)
    }
}
