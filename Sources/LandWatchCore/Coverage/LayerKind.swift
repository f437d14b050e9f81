import GDALKit

/// Whether a vector layer holds polygons or points: the declared type, or what its first features
/// hold when the declared type is generic (GeoJSON, CSV).
public enum LayerKind: Equatable {
    case polygons, points
    case other(String)

    public static func detect(_ input: VectorInput) throws -> LayerKind {
        try input.requireCoordinates()
        if input.layer.isPolygonal { return .polygons }
        if input.layer.isPoint { return .points }
        // A generic layer: polygons if any of its first thousand features is one (the others are
        // then skipped and counted), else points, else whatever comes first.
        var kinds = Set<GeometryKind>()
        var first: GeometryKind?
        var seen = 0
        try input.layer.forEachUntil { feature in
            if let k = feature.geometry?.kind {
                kinds.insert(k)
                first = first ?? k
            }
            seen += 1
            return seen >= 1000
        }
        // An empty layer covers nothing: measured as polygons, every zone at zero.
        if seen == 0 || !kinds.isDisjoint(with: [.polygon, .multiPolygon]) { return .polygons }
        if !kinds.isDisjoint(with: [.point, .multiPoint]) { return .points }
        return .other(first?.rawValue ?? "only null")
    }
}
