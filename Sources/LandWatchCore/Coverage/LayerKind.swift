import GDALKit

/// Whether a vector layer holds polygons or points: the declared type, or the first geometry
/// when the declared type is generic (GeoJSON, CSV).
public enum LayerKind: Equatable {
    case polygons, points
    case other(String)

    public static func detect(_ input: VectorInput) throws -> LayerKind {
        if input.layer.isPolygonal { return .polygons }
        if input.layer.isPoint { return .points }
        var found: GeometryKind?
        try input.layer.forEachUntil { feature in
            found = feature.geometry?.kind
            return found != nil
        }
        switch found {
        case .polygon?, .multiPolygon?: return .polygons
        case .point?, .multiPoint?: return .points
        case let kind?: return .other(kind.rawValue)
        case nil: return .other(input.layer.geometryTypeName)
        }
    }
}
