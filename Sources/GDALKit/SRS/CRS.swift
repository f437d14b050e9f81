import CGDAL
import Foundation

/// A coordinate reference system as an immutable value.
///
/// Built from anything GDAL's `OSRSetFromUserInput` takes (`EPSG:4527`, WKT, a PROJ string) or
/// from `GCJ-02`, the offset lon/lat system of Chinese web maps that no EPSG code describes.
/// Coordinates in every CRS are handled in lon/lat (easting/northing) order. `Sendable`: it holds
/// only strings and numbers; C handles are made on demand and freed at once.
public struct CRS: Sendable, Hashable, CustomStringConvertible {
    /// The definition as WKT2:2019 (for GCJ-02, that of WGS84, which it offsets).
    public let wkt: String
    /// True for GCJ-02: lon/lat on WGS84 with China's obfuscating offset applied.
    public let isGCJ02: Bool
    /// `EPSG:4527` where an authority code is known or identified, else nil.
    public let authority: String?
    /// The CRS's own name, e.g. `CGCS2000 / 3-degree Gauss-Kruger zone 39`.
    public let name: String
    /// True for a lon/lat CRS.
    public let isGeographic: Bool
    /// The ellipsoid areas and distances are measured on.
    public let ellipsoid: Ellipsoid

    /// Builds a CRS from `EPSG:n`, WKT, a PROJ string, or `GCJ-02` (also `GCJ02`, `gcj`).
    public init(_ definition: String) throws {
        let trimmed = definition.trimmingCharacters(in: .whitespaces)
        if CRS.gcj02Names.contains(trimmed.uppercased()) {
            let base = try CRS(SpatialReference(userInput: "EPSG:4326"), isGCJ02: false)
            self.init(wkt: base.wkt, isGCJ02: true, authority: nil, name: "GCJ-02",
                      isGeographic: true, ellipsoid: base.ellipsoid)
            return
        }
        try self.init(SpatialReference(userInput: trimmed), isGCJ02: false)
    }

    /// A CRS from an EPSG code.
    public init(epsg: Int) throws { try self.init("EPSG:\(epsg)") }

    init(_ srs: SpatialReference, isGCJ02: Bool) throws {
        self.init(wkt: try srs.wkt(), isGCJ02: isGCJ02, authority: srs.identifiedAuthority(),
                  name: srs.name, isGeographic: srs.isGeographic, ellipsoid: srs.ellipsoid)
    }

    private init(wkt: String, isGCJ02: Bool, authority: String?, name: String, isGeographic: Bool,
                 ellipsoid: Ellipsoid) {
        self.wkt = wkt
        self.isGCJ02 = isGCJ02
        self.authority = authority
        self.name = name
        self.isGeographic = isGeographic
        self.ellipsoid = ellipsoid
    }

    private static let gcj02Names: Set<String> = ["GCJ-02", "GCJ02", "GCJ"]

    /// `EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)`, or the name alone.
    public var description: String {
        if let authority { return "\(authority) (\(name))" }
        return name
    }

    /// The geographic CRS (lon/lat) on this CRS's datum: EPSG:4490 for CGCS2000 systems,
    /// EPSG:4326 for WGS84 ones. GCJ-02 maps to WGS84, to which it is converted when read.
    public func geographic() throws -> CRS {
        if isGCJ02 { return try CRS.wgs84 }
        if isGeographic && !isGCJ02 { return self }
        return try CRS(SpatialReference(wkt: wkt).geographic(), isGCJ02: false)
    }

    /// Whether two CRSs describe the same coordinates (GDAL's `OSRIsSame`, axis order ignored).
    public func isSame(as other: CRS) -> Bool {
        if isGCJ02 != other.isGCJ02 { return false }
        if wkt == other.wkt { return true }
        guard let a = try? SpatialReference(wkt: wkt), let b = try? SpatialReference(wkt: other.wkt) else {
            return false
        }
        return a.isSame(as: b)
    }

    /// The CRS as a SpatialReference handle (internal: handles never leave GDALKit).
    func spatialReference() throws -> SpatialReference { try SpatialReference(wkt: wkt) }

    private static let wgs84Result = Result { try CRS("EPSG:4326") }
    private static let cgcs2000Result = Result { try CRS("EPSG:4490") }
    /// WGS84 lon/lat (EPSG:4326).
    public static var wgs84: CRS { get throws { try wgs84Result.get() } }
    /// CGCS2000 lon/lat (EPSG:4490), China's national geodetic system.
    public static var cgcs2000: CRS { get throws { try cgcs2000Result.get() } }
}

/// An ellipsoid by its semi-major axis and flattening.
public struct Ellipsoid: Sendable, Hashable {
    public let semiMajor: Double
    public let flattening: Double

    public init(semiMajor: Double, flattening: Double) {
        self.semiMajor = semiMajor
        self.flattening = flattening
    }

    public static let wgs84 = Ellipsoid(semiMajor: 6_378_137, flattening: 1 / 298.257223563)
    public static let grs80 = Ellipsoid(semiMajor: 6_378_137, flattening: 1 / 298.257222101)
}

/// An OGRSpatialReference handle in lon/lat axis order, released on deinit.
/// Not thread-safe: make one per use.
final class SpatialReference {
    let handle: OGRSpatialReferenceH

    init(userInput: String) throws {
        GDALRuntime.ensure()
        guard let h = OSRNewSpatialReference(nil) else {
            throw GDALError(context: "cannot build CRS \"\(userInput)\"", message: "out of memory")
        }
        handle = h
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
        try GDALCall.ogr("cannot build CRS \"\(userInput)\"") { OSRSetFromUserInput(handle, userInput) }
    }

    convenience init(wkt: String) throws { try self.init(userInput: wkt) }

    /// Wraps a clone of a handle owned by someone else (a layer's CRS).
    init?(cloning other: OGRSpatialReferenceH?) {
        guard let other, let h = OSRClone(other) else { return nil }
        handle = h
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
    }

    private init(owning h: OGRSpatialReferenceH) {
        handle = h
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
    }

    deinit { OSRRelease(handle) }

    func wkt() throws -> String {
        var out: UnsafeMutablePointer<CChar>?
        let options = CStringList(["FORMAT=WKT2_2019"])
        try GDALCall.ogr("cannot export CRS as WKT") { OSRExportToWktEx(handle, &out, options.constPointer) }
        defer { VSIFree(out) }
        return out.map { String(cString: $0) } ?? ""
    }

    var name: String { String(optionalCString: OSRGetName(handle)) ?? "unnamed" }
    var isGeographic: Bool { OSRIsGeographic(handle) != 0 }

    var ellipsoid: Ellipsoid {
        var err: OGRErr = OGRERR_NONE
        let a = OSRGetSemiMajor(handle, &err)
        let invf = OSRGetInvFlattening(handle, &err)
        return Ellipsoid(semiMajor: a, flattening: invf == 0 ? 0 : 1 / invf)
    }

    /// `EPSG:n` from the definition, or identified by GDAL with at least 90% confidence.
    func identifiedAuthority() -> String? {
        if let name = String(optionalCString: OSRGetAuthorityName(handle, nil)),
           let code = String(optionalCString: OSRGetAuthorityCode(handle, nil)) {
            return "\(name):\(code)"
        }
        var count: Int32 = 0
        var confidences: UnsafeMutablePointer<Int32>?
        guard let matches = OSRFindMatches(handle, nil, &count, &confidences) else { return nil }
        defer {
            OSRFreeSRSArray(matches)
            VSIFree(confidences)
        }
        guard count > 0, let confidences, confidences[0] >= 90, let best = matches[0],
              let name = String(optionalCString: OSRGetAuthorityName(best, nil)),
              let code = String(optionalCString: OSRGetAuthorityCode(best, nil)) else { return nil }
        return "\(name):\(code)"
    }

    func geographic() throws -> SpatialReference {
        guard let h = OSRCloneGeogCS(handle) else {
            throw GDALError(context: "cannot derive the geographic CRS of \(name)", message: "")
        }
        return SpatialReference(owning: h)
    }

    func isSame(as other: SpatialReference) -> Bool {
        let options = CStringList(["IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES"])
        return OSRIsSameEx(handle, other.handle, options.constPointer) != 0
    }
}

