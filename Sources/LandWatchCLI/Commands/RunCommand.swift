import ArgumentParser
import Foundation
import GDALKit
import LandWatchCore
import Yams

/// `landwatch run CONFIG.yml`: the monthly round in one command.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The monthly job: coverage, ledger, overlap, hotspots; bulletin.html, bulletin.xlsx, GeoJSON, manifest.json.")

    @Argument(help: "The YAML config (see Samples/daxing.yml).")
    var config: String

    @Option(help: "Output folder (default: the config's `out`, else out/bulletin-YYYY-MM).")
    var out: String?

    @Option(help: "The month, YYYY-MM (default: the config's `month`).")
    var month: String?

    @Option(help: "The ledger: a GeoPackage or a PostgreSQL connection (default: the config's `ledger`, else $LANDWATCH_LEDGER).")
    var ledger: String?

    @OptionGroup var actor: ActorOptions

    func validate() throws {
        if let month, Month(month) == nil { throw ValidationError("--month is YYYY-MM, e.g. 2026-10") }
    }

    func run() throws {
        guard let text = try? String(contentsOfFile: config, encoding: .utf8) else {
            throw LandWatchError.io("cannot read the config \"\(config)\"")
        }
        let parsed: RunConfig
        do {
            parsed = try YAMLDecoder().decode(RunConfig.self, from: text)
        } catch {
            throw LandWatchError.data("\"\(config)\" is not a valid LandWatch config: \(Self.describe(error))")
        }
        guard let m = Month(month ?? parsed.month) else {
            throw LandWatchError.data("\"\(config)\": month \"\(parsed.month)\" is not YYYY-MM")
        }
        let language = parsed.lang.flatMap(Language.init) ?? .zh
        let base = URL(fileURLWithPath: config).deletingLastPathComponent()
        let folder = out ?? parsed.out.map { $0.hasPrefix("/") ? $0 : base.appendingPathComponent($0).path } ?? "out/bulletin-\(m)"
        var effective = parsed
        effective.month = m.description
        let location = try ledgerLocation(parsed, base: base)
        // The manifest shows the ledger that was used, never a password.
        effective.bareLand?.ledger = location?.description
        let job = MonthlyJob(config: effective, base: base, month: m, ledger: location,
                             progress: TerminalProgress.make("coverage")) { Console.note($0) }
        job.actor = actor.name
        let results = try job.run()
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

    static func describe(_ error: Error) -> String {
        if case DecodingError.keyNotFound(let key, let context) = error {
            return "missing \"\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))\""
        }
        if case DecodingError.typeMismatch(_, let context) = error {
            return "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\": \(context.debugDescription)"
        }
        return "\(error)"
    }
}
