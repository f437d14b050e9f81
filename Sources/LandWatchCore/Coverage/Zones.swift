import Foundation
import GDALKit

/// One jurisdiction (镇/街道) of a zone layer, in the analysis CRS.
public struct Zone: Sendable {
    /// Position in the zone layer: ties go to the earlier zone.
    public let index: Int
    public let name: String
    public let geometry: Geometry
    /// Ellipsoidal area in m².
    public let area: Double
}

/// The zones every analysis assigns to: read once, in lon/lat on the zones' own datum (the
/// analysis CRS: EPSG:4490 for CGCS2000 layers, EPSG:4326 for WGS84 ones), indexed by an STR-tree.
///
/// A value: safe to share between threads (each thread prepares its own geometries).
public struct Zones: Sendable {
    public let zones: [Zone]
    public let crs: CRS
    public let geodesic: Geodesic
    /// Fast ellipsoidal areas for features, centred on the zones.
    public let areas: EllipsoidalArea
    public let tree: STRTree
    /// Each zone's edges, to settle features clear of its border without GEOS.
    public let locators: [RectLocator]
    public let label: String
    public let field: String
    public let report: ReadReport
    /// What is odd about the zone layer itself: shared names (merged), overlaps, gaps.
    public let warnings: [String]

    /// Field names taken as the zone name when `--zone-field` is not given, in order of preference.
    public static let nameFields = ["name", "mc", "名称", "镇街", "xzqmc"]

    /// Loads a zone layer; `field` defaults to the first field named like name/mc/名称/镇街/XZQMC.
    public static func load(_ source: LayerSource, field: String?, options: ReadOptions) throws -> Zones {
        let input = try VectorInput(source, options: options)
        let schema = input.layer.schema
        let fieldName = try field.map { try requireField($0, in: schema, of: input.label) }
            ?? schema.fields.first { nameFields.contains($0.name.lowercased()) }?.name
        guard let fieldName = fieldName ?? (schema.fields.isEmpty ? "" : nil) else {
            throw LandWatchError.data("\(input.label) has no zone name field (name, mc, 名称, 镇街, XZQMC): "
                + "give one with \(Setting.zoneField); its fields are \(schema.names.joined(separator: ", "))")
        }
        let crs = try input.requireCRS().geographic()
        let data = try input.load(into: crs, expecting: .polygons)
        let geodesic = Geodesic(crs.ellipsoid)
        // Features sharing a name are one zone (a town delivered in pieces): merged, in the
        // order of first appearance.
        var names: [String] = []
        var parts: [String: [Geometry]] = [:]
        for f in data.features {
            // A layer without any field (a bare outline) names its zones by feature id.
            let name = fieldName.isEmpty ? "#\(f.fid)" : f[fieldName].flatMap { $0.isNull ? nil : $0.description } ?? "#\(f.fid)"
            if parts[name] == nil { names.append(name) }
            parts[name, default: []].append(f.geometry!)
        }
        var warnings: [String] = []
        let shared = names.filter { parts[$0]!.count > 1 }
        if !shared.isEmpty {
            warnings.append("\(input.label): \(shared.count) zone \(shared.count == 1 ? "name is" : "names are") used by several features, "
                + "merged into one zone each: \(shared.prefix(5).joined(separator: ", "))\(shared.count > 5 ? " …" : "")")
        }
        let zones = try names.enumerated().map { i, name -> Zone in
            let pieces = parts[name]!
            let g = pieces.count == 1 ? pieces[0] : try Geometry.union(pieces).polygonalPart()
            return Zone(index: i, name: name, geometry: g, area: geodesic.areaAsDrawn(g))
        }
        guard !zones.isEmpty else { throw LandWatchError.data("\(input.label) has no zones with an area") }
        let extent = zones.reduce(Envelope.empty) { $0.union($1.geometry.envelope) }
        let tree = STRTree(zones.map(\.geometry.envelope))
        warnings += try tilingWarnings(zones, tree: tree, geodesic: geodesic, label: input.label)
        return Zones(zones: zones, crs: crs, geodesic: geodesic, areas: EllipsoidalArea(crs.ellipsoid, centre: extent.center),
                     tree: tree, locators: zones.map { RectLocator($0.geometry) }, label: input.label, field: fieldName, report: data.report, warnings: warnings)
    }

    /// Zones should tile the district: overlaps count land twice, gaps (holes in their union)
    /// leave land out. Both are reported with their areas (ignoring slivers under 1 m²).
    static func tilingWarnings(_ zones: [Zone], tree: STRTree, geodesic: Geodesic, label: String) throws -> [String] {
        var overlap = 0.0, pairs = 0
        for (i, z) in zones.enumerated() {
            for j in tree.query(z.geometry.envelope) where j > i {
                guard try z.geometry.intersects(zones[j].geometry) else { continue }
                let a = geodesic.areaAsDrawn(try z.geometry.intersection(zones[j].geometry).polygonalPart())
                if a > 1 { overlap += a; pairs += 1 }
            }
        }
        var out: [String] = []
        if pairs > 0 {
            out.append("\(label): \(pairs) pairs of zones overlap, by \(FixedPoint.format(overlap, decimals: 0)) m² in all: land there counts in both")
        }
        let union = try Geometry.union(zones.map(\.geometry))
        let holes = try union.shape.polygons.flatMap { $0.dropFirst() }.map(geodesic.ringArea).filter { $0 > 1 }
        if !holes.isEmpty {
            out.append("\(label): the zones leave \(holes.count) \(holes.count == 1 ? "gap" : "gaps") between them, "
                + "\(FixedPoint.format(holes.reduce(0, +), decimals: 0)) m² in all: land there is outside every zone")
        }
        return out
    }

    /// The exact name of a field, or an error listing the fields there are.
    public static func requireField(_ name: String, in schema: Schema, of label: String) throws -> String {
        guard let i = schema.index(of: name) else {
            throw LandWatchError.data("\(label) has no field \"\(name)\": its fields are \(schema.names.joined(separator: ", "))")
        }
        return schema.fields[i].name
    }
}

/// A zone's share of a feature: the piece of the feature inside the zone and its area.
public struct ZoneShare: Sendable {
    public let zone: Int
    public let piece: Geometry
    public let area: Double
    /// The piece's rings in the zones' equal-area plane, as its area was measured on them (nil
    /// for a piece measured geodesically).
    public let planar: PlanarRings?
}

/// The zones prepared for one thread (GEOS prepared geometries are not thread-safe): make one
/// per worker. Cuts features by the zones they cross.
public final class ZoneCutter {
    public let zones: Zones
    private var prepared: [Int: PreparedGeometry] = [:]

    public init(_ zones: Zones) { self.zones = zones }

    private func prepare(_ z: Int) throws -> PreparedGeometry {
        if let p = prepared[z] { return p }
        let p = try PreparedGeometry(zones.zones[z].geometry)
        prepared[z] = p
        return p
    }

    /// The zones a polygonal geometry touches (in zone order) and its pieces with an area. An
    /// envelope clear of a zone's border settles the geometry as inside or outside it; near the
    /// border a prepared `containsProperly` settles a geometry wholly inside without intersecting.
    public func cut(_ g: Geometry) throws -> (touching: [Int], shares: [ZoneShare]) {
        var touching: [Int] = []
        var shares: [ZoneShare] = []
        let envelope = g.envelope
        for z in zones.tree.query(envelope) {
            let piece: Geometry
            switch zones.locators[z].locate(envelope) {
            case .exterior:
                continue
            case .interior:
                piece = g
            case .boundary:
                let p = try prepare(z)
                if try p.containsProperly(g) {
                    piece = g
                } else if try p.intersects(g) {
                    piece = try g.intersection(zones.zones[z].geometry).polygonalPart()
                } else {
                    continue
                }
            }
            touching.append(z)
            guard !piece.isEmpty else { continue }
            let (area, planar) = zones.areas.measure(piece)
            if area > 0 { shares.append(ZoneShare(zone: z, piece: piece, area: area, planar: planar)) }
        }
        return (touching, shares)
    }

    /// The zone holding the largest piece (areas within `tieTolerance` tie; the earlier zone wins).
    public static func largest(_ shares: [ZoneShare]) -> Int? {
        var best: ZoneShare?
        for s in shares where best == nil || s.area > best!.area * (1 + tieTolerance) { best = s }
        return best?.zone
    }

    /// Relative difference under which two pieces' areas tie.
    public static let tieTolerance = 1e-9

    /// The zone that covers a point first in zone order (a point on a shared border counts once).
    public func zone(ofPoint point: Geometry) throws -> Int? {
        let envelope = point.envelope
        for z in zones.tree.query(envelope) {
            switch zones.locators[z].locate(envelope) {
            case .interior: return z
            case .exterior: continue
            case .boundary: if try prepare(z).covers(point) { return z }
            }
        }
        return nil
    }
}
