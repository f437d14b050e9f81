import ArgumentParser
import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger
import LandWatchRun
import Yams

/// `landwatch run CONFIG.yml`: the monthly round in one command.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The monthly job: coverage, ledger, overlap, hotspots; bulletin.html, bulletin.xlsx, GeoJSON, manifest.json.")

    @Argument(help: "The YAML config (see Samples/daxing.yml).")
    var config: String

    @Option(help: "Output folder (default: bulletin-YYYY-MM in the config's `out`, else in out/).")
    var out: String?

    @Option(help: "The month, YYYY-MM (default: the config's `month`).")
    var month: String?

    @Option(help: "The ledger: a GeoPackage or a PostgreSQL connection (default: the config's `ledger`, else $LANDWATCH_LEDGER).")
    var ledger: String?

    @OptionGroup var actor: ActorOptions

    func validate() throws {
        if let month, Month(month) == nil { throw ValidationError("--month is YYYY-MM, e.g. 2026-10") }
    }

    /// The error with the settings it names as the config's keys, and those the config has no
    /// key for in plain words (the command line's options do not apply to the job's steps).
    static func namingConfigKeys(_ error: LandWatchError) -> LandWatchError {
        error.naming { configKey(for: $0) ?? $0.plainName }
    }

    /// The config key that gives a setting, where the config has one.
    static func configKey(for setting: Setting) -> String? {
        switch setting {
        case .zoneField: return "zones.field"
        case .cell: return "vocs.cell"
        case .minReadings: return "vocs.min_readings"
        case .sourceNameField: return "vocs.source_name_field"
        case .stationField: return "air.station_field"
        default: return nil
        }
    }

    func run() throws {
        guard let text = try? String(contentsOfFile: config, encoding: .utf8) else {
            throw LandWatchError.io("cannot read the config \"\(config)\"")
        }
        let parsed = try Self.parse(text, file: config)
        guard let m = Month(month ?? parsed.month) else {
            throw LandWatchError.data("\"\(config)\": month \"\(parsed.month)\" is not YYYY-MM")
        }
        let language = parsed.lang.flatMap(Language.init) ?? .zh
        let base = URL(fileURLWithPath: config).deletingLastPathComponent()
        // `--out` is the folder itself; the config's `out` holds one folder per month.
        let parent = parsed.out.map { $0.hasPrefix("/") ? $0 : base.appendingPathComponent($0).path } ?? "out"
        let folder = out ?? (parent as NSString).appendingPathComponent("bulletin-\(m)")
        var effective = parsed
        effective.month = m.description
        effective.out = folder
        try Bulletin.checkFolder(folder, month: m)
        let location = try ledgerLocation(parsed, base: base)
        // The manifest shows the ledger that was used, never a password.
        effective.bareLand?.ledger = location?.description
        let job = MonthlyJob(config: effective, base: base, month: m, ledger: location,
                             progress: TerminalProgress.make("coverage")) { Console.note($0) }
        job.actor = actor.name
        let results: MonthlyResults
        do {
            results = try job.run()
        } catch let error as LandWatchError {
            throw RunCommand.namingConfigKeys(error)
        } catch let error as LayerProblem {
            throw RunCommand.namingConfigKeys(LandWatchError.from(error))
        }
        let files = try Bulletin.write(results, job: job, language: language, to: folder)
        Console.note("wrote \(files.count) files to \(folder): \(files.joined(separator: ", "))")
    }

    /// `--ledger`, else the config's `ledger` (a path relative to the config), else `LANDWATCH_LEDGER`.
    private func ledgerLocation(_ config: RunConfig, base: URL) throws -> LedgerLocation? {
        if let ledger { return try LedgerLocation(parsing: ledger) }
        if let configured = config.bareLand?.ledger {
            let location = try LedgerLocation(parsing: configured)
            guard case .geoPackage(let path) = location, !path.hasPrefix("/") else { return location }
            return .geoPackage(path: base.appendingPathComponent(path).path)
        }
        return try ProcessInfo.processInfo.environment[LedgerOptions.environmentVariable].map(LedgerLocation.init(parsing:))
    }

    /// The config checked key by key (unknown keys and bad values named with their line), then decoded.
    static func parse(_ text: String, file: String) throws -> RunConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw LandWatchError.data("\"\(file)\" is not valid YAML: \(String(describing: error).split(whereSeparator: \.isNewline).first ?? "")")
        }
        guard let root else { throw LandWatchError.data("\"\(file)\" is empty") }
        try RunConfig.check(configNode(root), file: file)
        do {
            return try YAMLDecoder().decode(RunConfig.self, from: text)
        } catch {
            throw LandWatchError.data("\"\(file)\" is not a valid LandWatch config: \(error)")
        }
    }

    /// Yams' tree as the core's: text with line numbers.
    static func configNode(_ node: Node) -> ConfigNode {
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let scalar): return .scalar(scalar.string, line: line)
        case .sequence(let sequence): return .list(sequence.map(configNode), line: line)
        case .mapping(let mapping):
            return .map(mapping.map { (key: $0.key.string ?? "", value: configNode($0.value), line: $0.key.mark?.line ?? line) }, line: line)
        case .alias: return .scalar("", line: line)
        }
    }
}
