import GDALKit

/// Which zone each air-quality station stands for: the zone that contains it, unless the layer
/// has a zone column (`zone`, `镇街`, `town`, `所属镇街`) naming one of the zones: the bureau's
/// own assignment wins (a station just across a border may report for its town), and each
/// disagreement with the position is counted in a warning.
enum AirStations {
    static let idFields = ["station", "id", "code", "站点"]
    static let zoneFields = ["zone", "镇街", "town", "所属镇街"]

    static func zones(_ input: VectorInput, zones: Zones, field: String?) throws -> (zoneOf: [String: String?], warnings: [String]) {
        let schema = input.layer.schema
        let idField = try field.map { try Zones.requireField($0, in: schema, of: input.label) }
            ?? schema.names.first { idFields.contains($0.lowercased()) }
        guard let idField else {
            throw LandWatchError.data("\(input.label) has no station id field (\(idFields.joined(separator: ", "))): "
                + "give one with \(Setting.stationField); its fields are \(schema.names.joined(separator: ", "))")
        }
        let zoneField = schema.names.first { zoneFields.contains($0.lowercased()) }
        let data = try input.load(into: zones.crs, expecting: .points)
        let cutter = ZoneCutter(zones)
        let names = Set(zones.zones.map(\.name))
        var zoneOf: [String: String?] = [:]
        var disagreements: [String] = [], unknownZones: [String] = []
        for f in data.features {
            guard let id = f[idField].flatMap({ $0.isNull ? nil : $0.description }), !id.isEmpty else { continue }
            if zoneOf[id] != nil {
                throw LandWatchError.data("\(input.label) feature \(f.fid) field \"\(idField)\": station \"\(id)\" is listed twice")
            }
            let located = try f.geometry.flatMap { try cutter.zone(ofPoint: $0).map { zones.zones[$0].name } }
            let named = zoneField.flatMap { f[$0].flatMap { $0.isNull ? nil : $0.description } }.flatMap { $0.isEmpty ? nil : $0 }
            if let named, !names.contains(named) { unknownZones.append("\(id) (\(named))") }
            let zone = named.flatMap { names.contains($0) ? $0 : nil } ?? located
            if let named, let located, named != located, names.contains(named) { disagreements.append("\(id) (\(named), inside \(located))") }
            zoneOf[id] = zone
        }
        var warnings: [String] = []
        if let zoneField, !disagreements.isEmpty {
            warnings.append("\(input.label): stations assigned to the zone their \"\(zoneField)\" column names, "
                + "not the one they lie in (\(disagreements.count)): "
                + disagreements.joined(separator: ", "))
        }
        if !unknownZones.isEmpty {
            warnings.append("\(input.label): \(unknownZones.count) stations name no zone of the zones layer and are placed by position: "
                + unknownZones.joined(separator: ", "))
        }
        let outside = zoneOf.filter { $0.value == nil }.keys.sorted()
        if !outside.isEmpty { warnings.append("\(input.label): \(outside.count) stations lie in no zone and are left out: \(outside.joined(separator: ", "))") }
        return (zoneOf, warnings)
    }
}
