import CGDAL
import Foundation

/// A vector layer of an open dataset. Features come out as `Feature` values.
///
/// Keeps its dataset alive; a layer used after its dataset was closed (`VectorWriter.commit`)
/// stops with a message instead of touching GDAL's freed layer. Not thread-safe: read a layer
/// from one thread at a time.
public final class Layer {
    private let raw: OGRLayerH
    public let dataset: Dataset

    init(handle: OGRLayerH, dataset: Dataset) {
        self.raw = handle
        self.dataset = dataset
    }

    /// The OGR handle, valid while the dataset is open.
    var handle: OGRLayerH {
        precondition(dataset.isOpen, "a layer of \"\(dataset.path)\" was used after the dataset was closed")
        return raw
    }

    public var name: String { String(optionalCString: OGR_L_GetName(handle)) ?? "" }

    /// Indices of the fields copied out of each feature; nil for all.
    private var selectedFields: Set<Int>?

    /// True while `forEach` hands over a feature whose geometry could not be read even after
    /// closing its rings (it comes with a nil geometry).
    public private(set) var currentGeometryUnreadable = false
    /// Whether the last feature read had unclosed rings that were closed.
    public private(set) var currentRingsClosed = false
    /// Whether `forEach` reads a GeoPackage table's rows itself (see `GeoPackageScan`); off
    /// only in tests, to compare with OGR reading every feature.
    var readsGeoPackageRows = true

    /// Reads only these fields (by exact name) from now on: GDAL skips the others, and features
    /// carry null in their place. Speeds up reading wide layers when a command needs one field.
    public func selectFields(_ names: [String]) throws {
        let schema = self.schema
        let keep = Set(names.compactMap { schema.index(of: $0) })
        let ignored = schema.fields.indices.filter { !keep.contains($0) }.map { schema.fields[$0].name }
        let list = CStringList(ignored)
        try GDALCall.ogr("cannot select fields of layer \"\(name)\"") {
            OGR_L_SetIgnoredFields(handle, UnsafeMutablePointer(mutating: list.constPointer))
        }
        selectedFields = keep
    }

    /// The names of the fields `selectFields` chose; nil for all.
    var selectedFieldNames: [String]? {
        let fields = schema.fields
        return selectedFields.map { selected in fields.indices.filter(selected.contains).map { fields[$0].name } }
    }

    /// The layer's CRS, or nil when it has none (a Shapefile without .prj, a CSV).
    public func crs() throws -> CRS? {
        guard let srs = SpatialReference(cloning: OGR_L_GetSpatialRef(handle)) else { return nil }
        return try CRS(srs, isGCJ02: false)
    }

    /// The declared geometry type, e.g. `Polygon`, `Multi Polygon`, `Point`, `None`.
    public var geometryTypeName: String {
        String(optionalCString: OGRGeometryTypeToName(OGR_L_GetGeomType(handle))) ?? "Unknown"
    }

    /// True when the declared geometry type is none (an attribute table).
    public var hasGeometry: Bool { OGR_L_GetGeomType(handle) != wkbNone }

    /// The declared geometry type is polygonal (Polygon, MultiPolygon, their curved and 3D forms).
    public var isPolygonal: Bool {
        let flat = OGR_GT_Flatten(OGR_L_GetGeomType(handle))
        return [wkbPolygon, wkbMultiPolygon, wkbCurvePolygon, wkbMultiSurface].contains(flat)
    }

    /// The declared geometry type is point or multipoint.
    public var isPoint: Bool {
        let flat = OGR_GT_Flatten(OGR_L_GetGeomType(handle))
        return flat == wkbPoint || flat == wkbMultiPoint
    }

    /// The number of features (counted by reading when the driver cannot tell).
    public var featureCount: Int { Int(OGR_L_GetFeatureCount(handle, 1)) }

    /// The extent in the layer's CRS, or nil when it has no geometries.
    public func extent() -> Envelope? {
        var e = OGREnvelope()
        CPLErrorReset()
        guard OGR_L_GetExtent(handle, &e, 1) == OGRERR_NONE else { CPLErrorReset(); return nil }
        return Envelope(minX: e.MinX, minY: e.MinY, maxX: e.MaxX, maxY: e.MaxY)
    }

    public var schema: Schema {
        let defn = OGR_L_GetLayerDefn(handle)
        return Schema((0..<OGR_FD_GetFieldCount(defn)).map { i in
            let field = OGR_FD_GetFieldDefn(defn, i)
            return FieldDefinition(String(optionalCString: OGR_Fld_GetNameRef(field)) ?? "",
                                   FieldType(OGR_Fld_GetType(field)))
        })
    }

    /// Calls `body` with each feature in order, its geometry linearised, flattened to 2D and
    /// transformed when `transform` is given. `nil` geometry for null geometries and for
    /// geometries GEOS cannot take (then `currentGeometryUnreadable` is true).
    /// `check`, when given, sees each geometry's envelope in the layer's own CRS before it is
    /// transformed (to refuse coordinates the CRS cannot hold). `keep`, when given, sees the
    /// envelope in the target CRS and leaves out, unconverted, the features it refuses.
    /// `range` reads only part of the layer. `outlineOnly`, when given and the geometry needs no
    /// transformation, sees the envelope; features it accepts come with an `Outline` read
    /// straight from OGR instead of a GEOS geometry. Returns the number of features `keep` left out.
    /// A GeoPackage table read in place is read from its rows (`GeoPackageScan`), with the same results.
    @discardableResult
    public func forEach(transform: CoordinateTransform? = nil, check: ((Envelope, Int64, () -> [Coordinate]) throws -> Void)? = nil,
                        range: ReadRange? = nil, keep: ((Envelope) -> Bool)? = nil,
                        outlineOnly: ((Envelope) -> Bool)? = nil,
                        _ body: (Feature) throws -> Void) throws -> Int {
        let schema = self.schema
        var leftOut = 0
        // One feature through OGR: checked, left out, or converted and handed over.
        func take(_ f: OGRFeatureH) throws {
            var outline: Outline?
            if let g = OGR_F_GetGeometryRef(f), OGR_G_IsEmpty(g) == 0, check != nil || keep != nil || outlineOnly != nil {
                var e = OGREnvelope()
                OGR_G_GetEnvelope(g, &e)
                let envelope = Envelope(minX: e.MinX, minY: e.MinY, maxX: e.MaxX, maxY: e.MaxY)
                try check?(envelope, OGR_F_GetFID(f), { Layer.vertices(g) })
                let inPlace = transform?.isIdentity ?? true
                if let keep, inPlace, !keep(envelope) {
                    leftOut += 1
                    return
                }
                if let outlineOnly, inPlace, outlineOnly(envelope) { outline = Layer.outline(g, envelope: envelope) }
            }
            let feature: Feature
            do {
                feature = try Layer.copy(f, schema: schema, selected: selectedFields, transform: transform, layer: self,
                                         outline: outline)
            } catch let error as GDALError where transform != nil {
                throw transformFailure(error, feature: f)
            }
            if let keep, transform.map({ !$0.isIdentity }) ?? false, let g = feature.geometry, !g.isEmpty, !keep(g.envelope) {
                leftOut += 1
                return
            }
            try body(feature)
        }
        if readsGeoPackageRows, transform?.isIdentity ?? true, let scan = GeoPackageScan(self, schema: schema, selected: selectedFields, range: range) {
            try forEach(in: scan, schema: schema, check: check, keep: keep, outlineOnly: outlineOnly, leftOut: &leftOut,
                        body: body, throughOGR: take)
            return leftOut
        }
        try start(range)
        defer { if case .fids = range { OGR_L_SetAttributeFilter(handle, nil) } }
        var remaining = range?.limit ?? Int.max
        while remaining > 0 {
            remaining -= 1
            CPLErrorReset()
            guard let f = OGR_L_GetNextFeature(handle) else {
                if GDALCall.failed() { throw GDALCall.error("cannot read layer \"\(name)\" of \"\(dataset.path)\"") }
                break
            }
            defer { OGR_F_Destroy(f) }
            try take(f)
        }
        return leftOut
    }

    /// `forEach` over a GeoPackage table read row by row: plain geometries straight from their
    /// blobs, the others (null, empty, curved, 3D, or refused by GEOS such as an unclosed ring)
    /// through OGR by their id, as `forEach` reads every feature otherwise. Where `keep` chooses
    /// rows, a row whose blob's header holds an envelope is judged on it, before its geometry is parsed.
    private func forEach(in scan: GeoPackageScan, schema: Schema, check: ((Envelope, Int64, () -> [Coordinate]) throws -> Void)?,
                         keep: ((Envelope) -> Bool)?, outlineOnly: ((Envelope) -> Bool)?, leftOut: inout Int,
                         body: (Feature) throws -> Void, throughOGR: (OGRFeatureH) throws -> Void) throws {
        func byId(_ fid: Int64) throws {
            CPLErrorReset()
            guard let f = OGR_L_GetFeature(handle, fid) else {
                throw GDALCall.error("cannot read feature \(fid) of layer \"\(name)\" of \"\(dataset.path)\"")
            }
            defer { OGR_F_Destroy(f) }
            try throughOGR(f)
        }
        // Checked, then kept or counted as left out.
        func admits(_ envelope: Envelope, _ fid: Int64, _ vertices: () -> [Coordinate]) throws -> Bool {
            try check?(envelope, fid, vertices)
            guard let keep, !keep(envelope) else { return true }
            leftOut += 1
            return false
        }
        while let row = try scan.next() {
            // Where rows are chosen, a row is judged once: on the envelope its blob's header holds,
            // unparsed (GDAL's own spatial filter trusts that envelope too), else on its geometry's.
            let stored = keep == nil ? nil : row.headerEnvelope
            if let stored, try !admits(stored, row.fid, { scan.parse()?.coordinates ?? [] }) { continue }
            guard let parsed = scan.parse() else {
                try byId(row.fid)
                continue
            }
            if stored == nil, try !admits(parsed.envelope, row.fid, { parsed.coordinates }) { continue }
            currentGeometryUnreadable = false
            currentRingsClosed = false
            if let outlineOnly, outlineOnly(parsed.envelope) {
                try body(Feature(fid: row.fid, schema: schema, values: scan.values(), geometry: nil, outline: parsed.outline))
                continue
            }
            guard let geometry = try? scan.geometry(parsed) else {
                try byId(row.fid)
                continue
            }
            try body(Feature(fid: row.fid, schema: schema, values: scan.values(), geometry: geometry))
        }
    }

    /// A part of a layer that a separate handle can read on its own.
    public enum ReadRange: Sendable {
        /// Features whose id, in this FID column, lies in the range (GeoPackage and other SQL layers).
        case fids(column: String, Range<Int64>)
        /// Features by position (layers that seek cheaply, such as Shapefiles).
        case positions(Range<Int64>)

        var limit: Int? {
            if case .positions(let r) = self { return r.count }
            return nil
        }
    }

    private func start(_ range: ReadRange?) throws {
        switch range {
        case .fids(let column, let r):
            let quoted = Layer.sqlName(column)
            try GDALCall.ogr("cannot filter layer \"\(name)\" by feature id") {
                OGR_L_SetAttributeFilter(handle, "\(quoted) >= \(r.lowerBound) AND \(quoted) < \(r.upperBound)")
            }
            OGR_L_ResetReading(handle)
        case .positions(let r):
            OGR_L_ResetReading(handle)
            if r.lowerBound > 0 {
                try GDALCall.ogr("cannot seek in layer \"\(name)\"") { OGR_L_SetNextByIndex(handle, r.lowerBound) }
            }
        case nil:
            OGR_L_ResetReading(handle)
        }
    }

    /// Streams a point layer's coordinates (in the layer's CRS) and the values of the selected
    /// fields, without building geometries: the fast road for large reading sets. Features with
    /// no point geometry are counted in `skipped`; a multipoint gives its first point.
    public func forEachPoint(_ body: (_ fid: Int64, _ x: Double, _ y: Double, _ values: [FieldValue]) throws -> Void) throws -> Int {
        let schema = self.schema
        let selected = selectedFields
        var skipped = 0
        OGR_L_ResetReading(handle)
        while true {
            CPLErrorReset()
            guard let f = OGR_L_GetNextFeature(handle) else {
                if GDALCall.failed() { throw GDALCall.error("cannot read layer \"\(name)\" of \"\(dataset.path)\"") }
                return skipped
            }
            defer { OGR_F_Destroy(f) }
            var g = OGR_F_GetGeometryRef(f)
            if let multi = g, OGR_GT_Flatten(OGR_G_GetGeometryType(multi)) == wkbMultiPoint {
                g = OGR_G_GetGeometryCount(multi) > 0 ? OGR_G_GetGeometryRef(multi, 0) : nil
            }
            guard let point = g, OGR_GT_Flatten(OGR_G_GetGeometryType(point)) == wkbPoint, OGR_G_IsEmpty(point) == 0 else {
                skipped += 1
                continue
            }
            var values: [FieldValue] = []
            values.reserveCapacity(schema.fields.count)
            for (i, field) in schema.fields.enumerated() {
                values.append(selected.map { $0.contains(i) } ?? true ? Layer.fieldValue(f, Int32(i), field.type) : .null)
            }
            try body(OGR_F_GetFID(f), OGR_G_GetX(point, 0), OGR_G_GetY(point, 0), values)
        }
    }

    /// Calls `body` with features in order until it returns true.
    public func forEachUntil(_ body: (Feature) throws -> Bool) throws {
        struct Stop: Error {}
        do {
            try forEach { if try body($0) { throw Stop() } }
        } catch is Stop {
            OGR_L_ResetReading(handle)
        }
    }

    /// Every feature, in order (see `forEach`).
    public func readAll(transform: CoordinateTransform? = nil) throws -> [Feature] {
        var out: [Feature] = []
        try forEach(transform: transform) { out.append($0) }
        return out
    }

    /// The features with the given ids, in that order (a few, found by an index elsewhere).
    public func features(fids: [Int64]) throws -> [Feature] {
        let schema = self.schema
        return try fids.map { fid in
            CPLErrorReset()
            guard let f = OGR_L_GetFeature(handle, fid) else {
                throw GDALCall.error("cannot read feature \(fid) of layer \"\(name)\" of \"\(dataset.path)\"")
            }
            defer { OGR_F_Destroy(f) }
            return try Layer.copy(f, schema: schema, selected: nil, transform: nil, layer: self)
        }
    }

    /// The feature as a value, with `outline` in place of a GEOS geometry when given.
    private static func copy(_ f: OGRFeatureH, schema: Schema, selected: Set<Int>?, transform: CoordinateTransform?,
                             layer: Layer, outline: Outline? = nil) throws -> Feature {
        let fid = OGR_F_GetFID(f)
        var values: [FieldValue] = []
        values.reserveCapacity(schema.fields.count)
        for (i, field) in schema.fields.enumerated() {
            values.append(selected.map { $0.contains(i) } ?? true ? fieldValue(f, Int32(i), field.type) : .null)
        }
        var geometry: Geometry?
        layer.currentGeometryUnreadable = false
        layer.currentRingsClosed = false
        if outline != nil {
            return Feature(fid: fid, schema: schema, values: values, geometry: nil, outline: outline)
        }
        if let g = OGR_F_GetGeometryRef(f) {
            do {
                geometry = try convert(g, transform: transform)
            } catch is UnreadableGeometry {
                // An unclosed ring: close it and try again; a ring too short to close is unreadable.
                if let closed = OGR_G_Clone(g) {
                    defer { OGR_G_DestroyGeometry(closed) }
                    OGR_G_CloseRings(closed)
                    geometry = try? convert(closed, transform: transform)
                }
                layer.currentGeometryUnreadable = geometry == nil
                layer.currentRingsClosed = geometry != nil
            } catch let error as GDALError {
                throw GDALError(context: "\"\(layer.dataset.path)\" layer \"\(layer.name)\" feature \(fid)",
                                message: error.description)
            }
        }
        return Feature(fid: fid, schema: schema, values: values, geometry: geometry)
    }

    /// The kind, envelope and vertices of a flat, linear OGR geometry, read straight from OGR
    /// (rings closed); nil for curves and 3D geometries, which take the GEOS road.
    static func outline(_ g: OGRGeometryH, envelope: Envelope) -> Outline? {
        let type = OGR_G_GetGeometryType(g)
        guard OGR_GT_HasZ(type) == 0, OGR_GT_HasM(type) == 0, let kind = GeometryKind(ogr: type) else { return nil }
        var xy: [Double] = []
        var ends: [Int] = []
        func visit(_ g: OGRGeometryH, isRing: Bool) {
            let flat = OGR_GT_Flatten(OGR_G_GetGeometryType(g))
            if flat == wkbPoint || flat == wkbLineString || flat == wkbLinearRing {
                let n = Int(OGR_G_GetPointCount(g))
                guard n > 0 else { return }
                let start = xy.count
                xy.append(contentsOf: repeatElement(0, count: 2 * n))
                xy.withUnsafeMutableBufferPointer { b in
                    _ = OGR_G_GetPoints(g, b.baseAddress! + start, 16, b.baseAddress! + start + 1, 16, nil, 0)
                }
                if isRing { VertexRuns.closeRing(&xy, from: start) }
                ends.append(xy.count / 2)
            } else {
                for i in 0..<OGR_G_GetGeometryCount(g) {
                    if let part = OGR_G_GetGeometryRef(g, i) { visit(part, isRing: flat == wkbPolygon) }
                }
            }
        }
        visit(g, isRing: false)
        return Outline(kind: kind, envelope: envelope, vertices: VertexRuns(xy: xy, runEnds: ends))
    }

    static func fieldValue(_ f: OGRFeatureH, _ i: Int32, _ type: FieldType) -> FieldValue {
        guard OGR_F_IsFieldSetAndNotNull(f, i) != 0 else { return .null }
        switch type {
        case .integer, .integer64: return .integer(OGR_F_GetFieldAsInteger64(f, i))
        case .real: return .real(OGR_F_GetFieldAsDouble(f, i))
        case .date:
            // ISO 8601, not GDAL's own 2026/08/25.
            var y: Int32 = 0, m: Int32 = 0, d: Int32 = 0, h: Int32 = 0, mi: Int32 = 0, tz: Int32 = 0
            var s: Float = 0
            guard OGR_F_GetFieldAsDateTimeEx(f, i, &y, &m, &d, &h, &mi, &s, &tz) != 0 else { return .null }
            // Read for every entry of a ledger: digits by hand, not String(format:).
            func digits(_ v: Int32, _ width: Int) -> String {
                let text = String(v)
                return String(repeating: "0", count: max(0, width - text.count)) + text
            }
            return .string(digits(y, 4) + "-" + digits(m, 2) + "-" + digits(d, 2))
        default:
            guard let text = OGR_F_GetFieldAsString(f, i) else { return .null }
            return .string(String(cString: text))
        }
    }

    /// Changes a field's type in place (GDAL rebuilds the table where the format needs it,
    /// keeping its values, indexes and spatial index).
    public func alterFieldType(_ name: String, to type: FieldType) throws {
        guard let i = schema.index(of: name) else {
            throw GDALError(context: "layer \"\(self.name)\" has no field \"\(name)\"", message: "")
        }
        let defn = OGR_Fld_Create(name, type.ogrType)
        defer { OGR_Fld_Destroy(defn) }
        try GDALCall.ogr("cannot change the type of \"\(name)\" in layer \"\(self.name)\"") {
            OGR_L_AlterFieldDefn(handle, Int32(i), defn, ALTER_TYPE_FLAG)
        }
    }

    /// Every vertex of an OGR geometry, in order (to name the one that is wrong).
    static func vertices(_ g: OGRGeometryH) -> [Coordinate] {
        let parts = OGR_G_GetGeometryCount(g)
        if parts > 0 { return (0..<parts).flatMap { OGR_G_GetGeometryRef(g, $0).map(vertices) ?? [] } }
        return (0..<OGR_G_GetPointCount(g)).map { Coordinate(OGR_G_GetX(g, $0), OGR_G_GetY(g, $0)) }
    }

    /// A feature whose geometry could not be reprojected, said by its vertex: NaN or infinite
    /// coordinates, or a point the CRS does not reach (not GDAL's configuration advice).
    private func transformFailure(_ error: GDALError, feature f: OGRFeatureH) -> GDALError {
        let label = "\"\(dataset.path)\" layer \"\(name)\" feature \(OGR_F_GetFID(f))"
        let points = OGR_F_GetGeometryRef(f).map(Layer.vertices) ?? []
        if let k = points.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            return GDALError(context: "\(label) has NaN or infinite coordinates (vertex \(k + 1): \(points[k].x), \(points[k].y))",
                             message: "fix or remove the feature", number: error.number)
        }
        return GDALError(context: "\(label) cannot be reprojected", message: "its coordinates lie outside where its CRS is defined; check the layer's CRS",
                         number: error.number)
    }

    /// OGR geometry → linear, 2D, transformed → GEOS, through WKB.
    static func convert(_ g: OGRGeometryH, transform: CoordinateTransform?) throws -> Geometry {
        let type = OGR_G_GetGeometryType(g)
        if OGR_GT_IsNonLinear(type) == 0, OGR_GT_HasZ(type) == 0, OGR_GT_HasM(type) == 0,
           transform?.isIdentity ?? true {
            // Already 2D, linear and in place: straight to WKB.
            return try wkbGeometry(g)
        }
        let linear: OGRGeometryH?
        if OGR_GT_IsNonLinear(OGR_G_GetGeometryType(g)) != 0 {
            linear = OGR_G_GetLinearGeometry(g, 0, nil)
        } else {
            linear = OGR_G_Clone(g)
        }
        guard let linear else { throw GDALError(context: "cannot copy geometry", message: "") }
        defer { OGR_G_DestroyGeometry(linear) }
        OGR_G_FlattenTo2D(linear)
        if let transform, transform.followsEdges {
            // Straight edges of a projected CRS are curves in lon/lat: followed point by point,
            // on the vertices OGR holds (read from its WKB here, not through GEOS and back).
            let shape = try readable { try isoWKB(linear).withUnsafeBytes { try WKB.decode($0) } }
            let transformed = try transform.transformFollowingEdges(shape)
            return try readable { try Geometry(shape: transformed) }
        }
        let transformed = try transform.map { try $0.transformInPlace(linear) } ?? true
        let geometry = try wkbGeometry(linear)
        if !transformed, let transform { return try transform.transform(geometry) }
        return geometry
    }

    /// OGR's geometry through WKB into GEOS.
    private static func wkbGeometry(_ g: OGRGeometryH) throws -> Geometry {
        try readable { try Geometry(wkb: isoWKB(g)) }
    }

    /// OGR's geometry as ISO WKB.
    private static func isoWKB(_ g: OGRGeometryH) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(OGR_G_WkbSize(g)))
        _ = OGR_G_ExportToIsoWkb(g, wkbNDR, &bytes)
        return bytes
    }

    /// What `make` builds from what OGR read; GEOS refusing it (an unclosed ring), or WKB that
    /// cannot be read, is an `UnreadableGeometry`, told apart by its type.
    private static func readable<T>(_ make: () throws -> T) throws -> T {
        do {
            return try make()
        } catch let error as GDALError {
            throw UnreadableGeometry(message: error.message)
        } catch is WKB.DecodeError {
            throw UnreadableGeometry(message: "the geometry's WKB cannot be read")
        }
    }

    /// GEOS would not take a geometry OGR read (rings not closed, or too short to be rings).
    struct UnreadableGeometry: Error {
        let message: String
    }
}

extension Layer {
    /// Adds a feature: values in field order, an optional geometry. Returns its feature id.
    @discardableResult
    public func insert(_ values: [FieldValue], geometry: Geometry? = nil) throws -> Int64 {
        try write(values, geometry: geometry, fid: nil)
    }

    /// Replaces a feature's values (in field order) and geometry; with `keepGeometry` a nil
    /// geometry leaves the stored one as it is.
    public func update(fid: Int64, _ values: [FieldValue], geometry: Geometry? = nil, keepGeometry: Bool = false) throws {
        _ = try write(values, geometry: geometry, fid: fid, keepGeometry: keepGeometry)
    }

    private func write(_ values: [FieldValue], geometry: Geometry?, fid: Int64?, keepGeometry: Bool = false) throws -> Int64 {
        let path = dataset.path
        guard let f = OGR_F_Create(OGR_L_GetLayerDefn(handle)) else {
            throw GDALError(context: "cannot create a feature in \"\(path)\"", message: "")
        }
        defer { OGR_F_Destroy(f) }
        for (i, value) in values.prefix(Int(OGR_F_GetFieldCount(f))).enumerated() {
            switch value {
            case .null: OGR_F_SetFieldNull(f, Int32(i))
            case .integer(let v): OGR_F_SetFieldInteger64(f, Int32(i), v)
            case .real(let v): OGR_F_SetFieldDouble(f, Int32(i), v)
            case .string(let s): OGR_F_SetFieldString(f, Int32(i), s)
            }
        }
        if let geometry {
            var bytes = geometry.wkb
            var g: OGRGeometryH?
            try GDALCall.ogr("cannot convert a geometry for \"\(path)\"") {
                OGR_G_CreateFromWkb(&bytes, nil, &g, Int32(bytes.count))
            }
            try GDALCall.ogr("cannot set a geometry in \"\(path)\"") { OGR_F_SetGeometryDirectly(f, g) }
        }
        if let fid {
            if keepGeometry, geometry == nil, let old = OGR_L_GetFeature(handle, fid) {
                OGR_F_SetGeometry(f, OGR_F_GetGeometryRef(old))
                OGR_F_Destroy(old)
            }
            OGR_F_SetFID(f, fid)
            try dataset.recordingSQLiteResult {
                try GDALCall.ogr("cannot update feature \(fid) of \"\(path)\"") { OGR_L_SetFeature(handle, f) }
            }
            return fid
        }
        try dataset.recordingSQLiteResult {
            try GDALCall.ogr("cannot write a feature to \"\(path)\"") { OGR_L_CreateFeature(handle, f) }
        }
        return OGR_F_GetFID(f)
    }

    /// Groups the following writes in one layer transaction where the driver has them; returns
    /// whether one was started (GeoJSON has none).
    @discardableResult
    public func startTransaction() -> Bool {
        defer { CPLErrorReset() }
        return OGR_L_StartTransaction(handle) == OGRERR_NONE
    }

    /// Commits what `startTransaction` began.
    public func commitTransaction() throws {
        try dataset.recordingSQLiteResult {
            try GDALCall.ogr("cannot commit to \"\(dataset.path)\"") { OGR_L_CommitTransaction(handle) }
        }
    }
}

extension FieldType {
    init(_ t: OGRFieldType) {
        switch t {
        case OFTInteger: self = .integer
        case OFTInteger64: self = .integer64
        case OFTReal: self = .real
        case OFTString: self = .string
        case OFTDate: self = .date
        case OFTDateTime: self = .dateTime
        case OFTTime: self = .time
        case OFTBinary: self = .binary
        default: self = .other
        }
    }

    var ogrType: OGRFieldType {
        switch self {
        case .integer: return OFTInteger
        case .integer64: return OFTInteger64
        case .real: return OFTReal
        case .date: return OFTDate
        case .dateTime: return OFTDateTime
        case .time: return OFTTime
        case .binary: return OFTBinary
        case .string, .other: return OFTString
        }
    }
}
