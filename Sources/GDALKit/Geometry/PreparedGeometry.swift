import CGEOS

/// A GEOS prepared geometry: fast repeated predicates against one geometry.
///
/// Owns its GEOS handle; not thread-safe (GEOS builds its indexes lazily): prepare one per thread.
public final class PreparedGeometry {
    public let geometry: Geometry
    fileprivate let prepared: OpaquePointer

    public init(_ geometry: Geometry) throws {
        self.geometry = geometry
        let ctx = GEOSContext.current
        guard let p = GEOSPrepare_r(ctx.handle, geometry.pointer) else {
            throw GDALError(context: "cannot prepare geometry", message: ctx.lastError)
        }
        prepared = p
    }

    deinit { GEOSPreparedGeom_destroy_r(GEOSContext.current.handle, prepared) }

    public func contains(_ other: Geometry) throws -> Bool {
        guard geometry.envelope.contains(other.envelope) else { return false }
        return try GEOSCall.predicate("contains failed") { GEOSPreparedContains_r($0, prepared, other.pointer) }
    }

    public func covers(_ other: Geometry) throws -> Bool {
        guard geometry.envelope.contains(other.envelope) else { return false }
        return try GEOSCall.predicate("covers failed") { GEOSPreparedCovers_r($0, prepared, other.pointer) }
    }

    public func intersects(_ other: Geometry) throws -> Bool {
        guard geometry.envelope.intersects(other.envelope) else { return false }
        return try GEOSCall.predicate("intersects failed") { GEOSPreparedIntersects_r($0, prepared, other.pointer) }
    }
}

extension PreparedGeometry {
    /// True when `other` lies in this geometry's interior, touching no part of its boundary.
    public func containsProperly(_ other: Geometry) throws -> Bool {
        guard geometry.envelope.contains(other.envelope) else { return false }
        return try GEOSCall.predicate("contains failed") { GEOSPreparedContainsProperly_r($0, prepared, other.pointer) }
    }
}
