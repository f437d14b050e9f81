import CGEOS
import Foundation

/// The kind of a geometry.
public enum GeometryKind: String, Sendable, CaseIterable {
    case point = "Point", lineString = "LineString", linearRing = "LinearRing", polygon = "Polygon"
    case multiPoint = "MultiPoint", multiLineString = "MultiLineString", multiPolygon = "MultiPolygon"
    case collection = "GeometryCollection"

    public var isPolygonal: Bool { self == .polygon || self == .multiPolygon }
}

/// An immutable 2D geometry backed by GEOS.
///
/// A value: operations return new geometries and never change this one. The GEOS object is owned
/// by an internal box, freed on deinit with the GEOS context it was made in (the box keeps that
/// context alive, as GEOSwift does, whichever thread frees it), and never leaves GDALKit. Values
/// may be read from several threads at once (each thread uses its own GEOS context): the
/// envelope, and every envelope GEOS caches inside the geometry, is computed at creation.
public struct Geometry: @unchecked Sendable, CustomStringConvertible {
    let box: Box
    /// The bounding box (empty for an empty geometry).
    public let envelope: Envelope

    final class Box {
        let pointer: OpaquePointer
        /// The context the geometry was made in, kept for its destruction.
        let context: GEOSContext
        init(_ pointer: OpaquePointer, context: GEOSContext) {
            self.pointer = pointer
            self.context = context
        }
        deinit { GEOSGeom_destroy_r(context.handle, pointer) }
    }

    /// Takes ownership of a GEOS geometry.
    init(owning pointer: OpaquePointer) {
        let context = GEOSContext.current
        box = Box(pointer, context: context)
        let h = context.handle
        if GEOSisEmpty_r(h, pointer) == 0 {
            var e = Envelope.empty
            GEOSGeom_getXMin_r(h, pointer, &e.minX)
            GEOSGeom_getYMin_r(h, pointer, &e.minY)
            GEOSGeom_getXMax_r(h, pointer, &e.maxX)
            GEOSGeom_getYMax_r(h, pointer, &e.maxY)
            envelope = e
            Geometry.settleHoleEnvelopes(h, pointer)
        } else {
            envelope = .empty
        }
    }

    /// GEOS keeps each part's and ring's envelope, computed the first time it is asked for: the
    /// whole geometry's envelope above settles the parts' and the shells', but a hole's would be
    /// written later, by whichever thread first needs it (a zone with an enclave cut on both
    /// cores at once). Asking for each hole's here, at creation, leaves nothing to write later.
    private static func settleHoleEnvelopes(_ h: GEOSContextHandle_t, _ g: OpaquePointer) {
        switch GEOSGeomTypeId_r(h, g) {
        case Int32(GEOS_POLYGON.rawValue):
            var x = 0.0
            for i in 0..<max(0, GEOSGetNumInteriorRings_r(h, g)) {
                if let ring = GEOSGetInteriorRingN_r(h, g, i) { GEOSGeom_getXMin_r(h, ring, &x) }
            }
        case Int32(GEOS_MULTIPOLYGON.rawValue), Int32(GEOS_GEOMETRYCOLLECTION.rawValue):
            for i in 0..<max(0, GEOSGetNumGeometries_r(h, g)) {
                if let part = GEOSGetGeometryN_r(h, g, i) { settleHoleEnvelopes(h, part) }
            }
        default:
            break
        }
    }

    var pointer: OpaquePointer { box.pointer }

    /// Reads 2D WKB (as `wkb` writes it).
    public init(wkb: [UInt8]) throws {
        self = try wkb.withUnsafeBytes { try Geometry(wkb: $0) }
    }

    /// Reads 2D WKB from memory the caller holds for the call.
    init(wkb: UnsafeRawBufferPointer) throws {
        self = try GEOSCall.geometry("cannot read WKB") { h in
            GEOSGeomFromWKB_buf_r(h, wkb.baseAddress?.assumingMemoryBound(to: UInt8.self), wkb.count)
        }
    }

    /// Builds a geometry from coordinates.
    public init(shape: Shape) throws {
        let bytes = WKB.encode(shape)
        self = try GEOSCall.geometry("cannot build geometry") { h in
            bytes.withUnsafeBufferPointer { GEOSGeomFromWKB_buf_r(h, $0.baseAddress, $0.count) }
        }
    }

    /// Parses WKT.
    public init(wkt: String) throws {
        self = try GEOSCall.geometry("cannot read WKT \"\(wkt.prefix(60))\"") { h in
            let reader = GEOSWKTReader_create_r(h)
            defer { GEOSWKTReader_destroy_r(h, reader) }
            return GEOSWKTReader_read_r(h, reader, wkt)
        }
    }

    /// The envelope as a polygon.
    public init(envelope e: Envelope) throws {
        try self.init(shape: .polygon([[Coordinate(e.minX, e.minY), Coordinate(e.maxX, e.minY),
                                        Coordinate(e.maxX, e.maxY), Coordinate(e.minX, e.maxY),
                                        Coordinate(e.minX, e.minY)]]))
    }

    /// 2D little-endian WKB.
    public var wkb: [UInt8] {
        let h = GEOSContext.current.handle
        let writer = GEOSWKBWriter_create_r(h)
        defer { GEOSWKBWriter_destroy_r(h, writer) }
        GEOSWKBWriter_setOutputDimension_r(h, writer, 2)
        var size = 0
        guard let buffer = GEOSWKBWriter_write_r(h, writer, pointer, &size) else { return [] }
        defer { GEOSFree_r(h, buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: size))
    }

    /// WKT with trailing zeros trimmed.
    public var wkt: String {
        let h = GEOSContext.current.handle
        let writer = GEOSWKTWriter_create_r(h)
        defer { GEOSWKTWriter_destroy_r(h, writer) }
        GEOSWKTWriter_setTrim_r(h, writer, 1)
        guard let text = GEOSWKTWriter_write_r(h, writer, pointer) else { return "" }
        defer { GEOSFree_r(h, text) }
        return String(cString: text)
    }

    public var description: String { wkt }

    /// The coordinates as plain values; a geometry GEOS writes as WKB that LandWatch cannot
    /// decode throws.
    public var shape: Shape {
        get throws {
            let bytes = wkb
            return try bytes.withUnsafeBytes { try WKB.decode($0) }
        }
    }

    public var kind: GeometryKind {
        switch GEOSGeomTypeId_r(GEOSContext.current.handle, pointer) {
        case 0: return .point
        case 1: return .lineString
        case 2: return .linearRing
        case 3: return .polygon
        case 4: return .multiPoint
        case 5: return .multiLineString
        case 6: return .multiPolygon
        default: return .collection
        }
    }

    public var isEmpty: Bool { GEOSisEmpty_r(GEOSContext.current.handle, pointer) != 0 }
    /// GEOS's validity (OGC rules); a small polygon without holes is first checked by
    /// `SimpleRingCheck`, which answers as GEOS would when it is sure and otherwise asks GEOS.
    public var isValid: Bool {
        withExtendedLifetime(self) {
            let h = GEOSContext.current.handle
            return SimpleRingCheck.isCertainlyValid(h, pointer) || GEOSisValid_r(h, pointer) == 1
        }
    }

    /// GEOS's reason for invalidity, e.g. `Self-intersection[116.3 39.7]`; `Valid Geometry` if valid.
    public var validityReason: String {
        let h = GEOSContext.current.handle
        guard let text = GEOSisValidReason_r(h, pointer) else { return "" }
        defer { GEOSFree_r(h, text) }
        return String(cString: text)
    }

    /// Number of parts of a multi-geometry or collection (1 for a single geometry).
    public var partCount: Int { Int(GEOSGetNumGeometries_r(GEOSContext.current.handle, pointer)) }

    /// Σ over its polygons of `measure(shell)` − Σ `measure(hole)`: an area from a ring measure.
    /// The rings are borrowed GEOS pointers, handed to `measure` only while `self` is alive.
    func shellsMinusHoles(_ measure: (OpaquePointer) -> Double) -> Double {
        var total = 0.0
        forEachRing { _, isShell, ring in total += isShell ? measure(ring) : -measure(ring) }
        return total
    }

    /// Calls `body` with each ring of each polygon (the polygon's number, whether the ring is its
    /// shell, the borrowed GEOS ring), shells before their holes, while `self` is alive.
    private func forEachRing(_ body: (Int, Bool, OpaquePointer) throws -> Void) rethrows {
        try withExtendedLifetime(self) {
            let h = GEOSContext.current.handle
            let polygons: [OpaquePointer]
            switch kind {
            case .polygon: polygons = [pointer]
            case .multiPolygon, .collection:
                polygons = (0..<Int32(partCount)).compactMap { GEOSGetGeometryN_r(h, pointer, $0) }.filter { GEOSGeomTypeId_r(h, $0) == 3 }
            default: polygons = []
            }
            for (k, polygon) in polygons.enumerated() {
                guard let shell = GEOSGetExteriorRing_r(h, polygon) else { continue }
                try body(k, true, shell)
                for i in 0..<max(0, GEOSGetNumInteriorRings_r(h, polygon)) {
                    if let hole = GEOSGetInteriorRingN_r(h, polygon, i) { try body(k, false, hole) }
                }
            }
        }
    }

    /// Calls `body` with each ring of each polygon: the polygon's number, whether the ring is its
    /// shell, and its x and y coordinates (closed), shells before their holes. The buffers are
    /// borrowed: valid only during the call.
    public func forEachPolygonRing(_ body: (_ polygon: Int, _ isShell: Bool, _ x: UnsafeBufferPointer<Double>,
                                            _ y: UnsafeBufferPointer<Double>) throws -> Void) rethrows {
        let h = GEOSContext.current.handle
        var xs: [Double] = [], ys: [Double] = []
        try forEachRing { k, isShell, ring in
            guard let seq = GEOSGeom_getCoordSeq_r(h, ring) else { return }
            var size: UInt32 = 0
            GEOSCoordSeq_getSize_r(h, seq, &size)
            let n = Int(size)
            if xs.count < n {
                xs = [Double](repeating: 0, count: n)
                ys = xs
            }
            GEOSCoordSeq_copyToArrays_r(h, seq, &xs, &ys, nil, nil)
            try xs.withUnsafeBufferPointer { x in
                try ys.withUnsafeBufferPointer { y in
                    try body(k, isShell, UnsafeBufferPointer(rebasing: x[0..<n]), UnsafeBufferPointer(rebasing: y[0..<n]))
                }
            }
        }
    }

    /// The parts of a multi-geometry or collection, each as its own geometry.
    public var parts: [Geometry] {
        let h = GEOSContext.current.handle
        return (0..<Int32(partCount)).compactMap { i in
            GEOSGetGeometryN_r(h, pointer, i).flatMap { GEOSGeom_clone_r(h, $0) }.map(Geometry.init(owning:))
        }
    }

    // MARK: Measures

    /// Planar area in the units of the coordinates.
    public func planarArea() throws -> Double {
        try GEOSCall.measure("cannot measure area") { h, v in GEOSArea_r(h, pointer, v) }
    }

    /// Planar distance in the units of the coordinates.
    public func planarDistance(to other: Geometry) throws -> Double {
        try GEOSCall.measure("cannot measure distance") { h, v in GEOSDistance_r(h, pointer, other.pointer, v) }
    }

    /// The closest pair of points, this geometry's first.
    public func nearestPoints(to other: Geometry) throws -> (Coordinate, Coordinate) {
        let h = GEOSContext.current.handle
        guard let seq = GEOSNearestPoints_r(h, pointer, other.pointer) else {
            throw GDALError(context: "cannot find nearest points", message: GEOSContext.current.lastError)
        }
        defer { GEOSCoordSeq_destroy_r(h, seq) }
        var x0 = 0.0, y0 = 0.0, x1 = 0.0, y1 = 0.0
        GEOSCoordSeq_getXY_r(h, seq, 0, &x0, &y0)
        GEOSCoordSeq_getXY_r(h, seq, 1, &x1, &y1)
        return (Coordinate(x0, y0), Coordinate(x1, y1))
    }

    // MARK: Predicates

    public func intersects(_ other: Geometry) throws -> Bool {
        guard envelope.intersects(other.envelope) else { return false }
        return try GEOSCall.predicate("intersects failed") { GEOSIntersects_r($0, pointer, other.pointer) }
    }

    public func contains(_ other: Geometry) throws -> Bool {
        try GEOSCall.predicate("contains failed") { GEOSContains_r($0, pointer, other.pointer) }
    }

    public func covers(_ other: Geometry) throws -> Bool {
        try GEOSCall.predicate("covers failed") { GEOSCovers_r($0, pointer, other.pointer) }
    }

    // MARK: Operations

    public func intersection(_ other: Geometry) throws -> Geometry {
        try GEOSCall.geometry("intersection failed") { GEOSIntersection_r($0, pointer, other.pointer) }
    }

    public func union(_ other: Geometry) throws -> Geometry {
        try GEOSCall.geometry("union failed") { GEOSUnion_r($0, pointer, other.pointer) }
    }

    public func difference(_ other: Geometry) throws -> Geometry {
        try GEOSCall.geometry("difference failed") { GEOSDifference_r($0, pointer, other.pointer) }
    }

    public func buffer(_ distance: Double, quadrantSegments: Int = 8) throws -> Geometry {
        try GEOSCall.geometry("buffer failed") { GEOSBuffer_r($0, pointer, distance, Int32(quadrantSegments)) }
    }

    /// The union of this geometry's own parts (dissolves overlaps within a multi-geometry).
    public func unaryUnion() throws -> Geometry {
        try GEOSCall.geometry("union failed") { GEOSUnaryUnion_r($0, pointer) }
    }

    /// GEOS make-valid (the "linework" method, as shapely's default).
    public func makeValid() throws -> Geometry {
        try GEOSCall.geometry("make-valid failed") { GEOSMakeValid_r($0, pointer) }
    }

    /// The polygonal part: the geometry itself when polygonal, else the polygons of a collection
    /// (as a MultiPolygon, empty when there are none).
    public func polygonalPart() throws -> Geometry {
        if kind.isPolygonal { return self }
        return try Geometry(shape: .multiPolygon(shape.polygons))
    }

    /// The Voronoi cells of this geometry's vertices, clipped to at least `envelope`.
    public func voronoiCells(extent: Geometry) throws -> Geometry {
        try GEOSCall.geometry("Voronoi diagram failed") { GEOSVoronoiDiagram_r($0, pointer, extent.pointer, 0, 0) }
    }

    /// A geometry collection (or multi-geometry when all parts are of one kind) of the given parts.
    public static func collection(_ parts: [Geometry]) throws -> Geometry {
        let allPolygonal = parts.allSatisfy { $0.kind.isPolygonal }
        if allPolygonal { return try Geometry(shape: .multiPolygon(parts.flatMap { try $0.shape.polygons })) }
        return try Geometry(shape: .collection(parts.map { try $0.shape }))
    }

    /// The union of many geometries (GEOS's cascaded unary union).
    public static func union(_ parts: [Geometry]) throws -> Geometry {
        if parts.count == 1 { return try parts[0].unaryUnion() }
        return try collection(parts).unaryUnion()
    }
}

extension Geometry {
    /// The convex hull.
    public func convexHull() throws -> Geometry {
        try GEOSCall.geometry("convex hull failed") { GEOSConvexHull_r($0, pointer) }
    }

    /// The centroid (planar).
    public func centroid() throws -> Geometry {
        try GEOSCall.geometry("centroid failed") { GEOSGetCentroid_r($0, pointer) }
    }

    /// A point guaranteed to lie inside a polygonal geometry (for labels).
    public func pointOnSurface() throws -> Geometry {
        try GEOSCall.geometry("point on surface failed") { GEOSPointOnSurface_r($0, pointer) }
    }
}
