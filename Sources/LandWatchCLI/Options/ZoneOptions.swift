import ArgumentParser
import GDALKit
import LandWatchCore

/// The zone layer (towns and streets) and its name field: shared by the commands that assign
/// features to zones.
struct ZoneOptions: ParsableArguments {
    @Option(help: "Zone layer (towns and streets): PATH[#LAYER][@CRS].")
    var zones: String

    @Option(name: .customLong("zone-field"), help: "Zone name field (default: the first of name, mc, 名称, 镇街, XZQMC).")
    var zoneField: String?

    func load(_ options: ReadOptions) throws -> Zones {
        try ZoneOptions.load(LayerSource(parsing: zones), field: zoneField, options: options)
    }

    /// Loads a zone layer and reports what reading it repaired.
    static func load(_ source: LayerSource, field: String?, options: ReadOptions) throws -> Zones {
        let zones = try Zones.load(source, field: field, options: options)
        if let w = zones.report.warning(for: zones.label) { Console.warning(w) }
        for w in zones.warnings { Console.warning(w) }
        return zones
    }
}

/// A zone layer a command may take to name the zone of each result (the zone holding most of a
/// plot, the zone of a cluster), and its name field.
struct OptionalZoneOptions: ParsableArguments {
    @Option(help: "Zone layer (towns and streets) naming the zone of each result: PATH[#LAYER][@CRS].")
    var zones: String?

    @Option(name: .customLong("zone-field"), help: "Zone name field (default: the first of name, mc, 名称, 镇街, XZQMC).")
    var zoneField: String?

    func validate() throws {
        if zoneField != nil && zones == nil { throw ValidationError("--zone-field goes with --zones") }
    }

    /// The zone layer, when one was given.
    func load(_ options: ReadOptions) throws -> Zones? {
        try zones.map { try ZoneOptions.load(LayerSource(parsing: $0), field: zoneField, options: options) }
    }
}
