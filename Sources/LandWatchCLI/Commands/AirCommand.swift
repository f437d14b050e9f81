import ArgumentParser
import GDALKit
import LandWatchCore

/// `landwatch air READINGS --stations S --zones Z --month M`: the monthly town air-quality ranking.
struct AirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "air",
        abstract: "Rank towns by PM2.5, PM10, TSP and dustfall for a month (GB 3095-2012 validity), against last month, last year and targets.")

    @Argument(help: "Readings: a table with columns station, time (date: daily value; date-time: hourly), pollutant, value.")
    var readings: String

    @Option(help: "Stations (points) with an id field: PATH[#LAYER][@CRS].")
    var stations: String

    @Option(help: "The month, YYYY-MM.")
    var month: String

    @Option(help: "Pollutants, comma-separated: pm25, pm10, tsp, dustfall (default: all four).")
    var pollutants: String?

    @Option(name: .customLong("station-field"), help: "The stations' id field (default: the first of station, id, code, 站点).")
    var stationField: String?

    @Option(help: "Targets, e.g. dustfall=5.1,pm25=35 (dustfall defaults to the plan's \(Pollutant.planDustfallTarget) t/(km²·30 d)).")
    var target: String?

    @OptionGroup var zoneOptions: ZoneOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.check(features: [], inputs: [readings, stations, zoneOptions.zones])
        guard Month(month) != nil else { throw ValidationError("--month \(month): give a month, YYYY-MM") }
        _ = try chosenPollutants()
        _ = try targets()
    }

    /// `--pollutants`, or nil when not given.
    func chosenPollutants() throws -> [Pollutant]? {
        try pollutants?.split(separator: ",").map { name in
            guard let p = Pollutant(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("--pollutants: \"\(name)\" is none of pm25, pm10, tsp, dustfall")
            }
            return p
        }
    }

    func targets() throws -> [Pollutant: Double] {
        var out: [Pollutant: Double] = [:]
        for item in (target ?? "").split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let p = Pollutant(rawValue: parts[0].lowercased()), let v = Double(parts[1]), v >= 0 else {
                throw ValidationError("--target \(item): write POLLUTANT=VALUE, e.g. dustfall=5.1 (pm25, pm10, tsp, dustfall)")
            }
            out[p] = v
        }
        return out
    }

    func run() throws {
        var options = AirOptions(month: Month(month)!)
        options.pollutants = try chosenPollutants() ?? options.pollutants
        options.stationField = stationField
        options.targets = try targets()
        let result = try AirRanking.compute(readings: VectorInput(LayerSource(parsing: readings),
                                                                  options: AirRanking.readingsOptions(input.readOptions)),
                                            stations: VectorInput(LayerSource(parsing: stations), options: input.readOptions),
                                            zones: try zoneOptions.load(input.readOptions), options: options)
        for w in result.warnings { Console.warning(w) }
        try output.write([.json, .csv].contains(output.resolvedFormat) ? [result.table()] : result.blocks())
    }
}
