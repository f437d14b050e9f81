import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger

/// What one step of the monthly job did, for the manifest and the log.
public struct StepRecord: Sendable {
    public let name: String
    public let seconds: Double
    public let counts: [(String, Int)]
    public let note: String?
}

/// Everything the monthly job computed.
public struct MonthlyResults: Sendable {
    public let month: Month
    public let zones: Zones
    public var coverage: CoverageResult?
    public var previousCoverage: CoverageResult?
    public var ledgerReport: [LedgerQueries.ReportRow]?
    public var previousLedgerReport: [LedgerQueries.ReportRow]?
    public var ledgerOpen: (Table, [OutputFeature])?
    public var overlap: OverlapResult?
    public var construction: ConstructionOnPlots?
    public var hotspots: HotspotResult?
    public var air: AirResult?
    public var steps: [StepRecord] = []
    public var inputs: [String] = []
}

/// The monthly round in one go: bare-land coverage per town, the ledger brought up to date and
/// reported, contaminated plots against sensitive land, VOCs hotspots. A step whose section is
/// absent, or optional with its inputs missing, is skipped with a note; a configured input that
/// is missing is an error; a file already on the ledger is said so (its batch and date) and
/// not ingested again.
public final class MonthlyJob {
    public let config: RunConfig
    public let base: URL
    public let month: Month
    /// The ledger the bare-land section keeps, if any (from `--ledger`, the config's `ledger` or
    /// `LANDWATCH_LEDGER`).
    public let ledger: LedgerLocation?
    /// Who runs the job, recorded with the ledger's events.
    public var actor: String?
    private let log: (String) -> Void
    private let progress: ProgressSink?

    /// `log` receives a line per step; `progress`, if any, the reading of the largest layer.
    public init(config: RunConfig, base: URL, month: Month, ledger: LedgerLocation?, progress: ProgressSink? = nil,
                log: @escaping (String) -> Void) {
        self.config = config
        self.ledger = ledger
        self.base = base
        self.month = month
        self.progress = progress
        self.log = log
    }

    /// A config path resolved against the config's folder, `{yyyymm}` filled in; the `@CRS` and
    /// `#LAYER` suffixes are kept.
    public func path(_ p: String, month m: Month? = nil) -> String {
        let filled = p.replacingOccurrences(of: "{yyyymm}", with: (m ?? month).compact)
        return filled.hasPrefix("/") ? filled : base.appendingPathComponent(filled).path
    }

    /// A layer the config names, read with LandWatch's policy.
    private static func input(_ p: String) throws -> VectorInput { try VectorInput(LayerSource(parsing: p), options: .landWatch()) }

    private func exists(_ p: String) -> Bool { FileManager.default.fileExists(atPath: LayerSource(parsing: p).path) }

    /// Whether a section's input files are all there: true when they are, false when one is
    /// missing and the section is optional; an error naming the file otherwise.
    private func present(_ paths: [String], section: String, optional: Bool?) throws -> Bool {
        guard let missing = paths.first(where: { !exists($0) }) else { return true }
        if optional == true { return false }
        throw LandWatchError.io("\(section): no file at \"\(LayerSource(parsing: missing).path)\" for \(month); "
            + "give the month's file, or write `optional: true` in the \(section) section to run without it")
    }

    private func step<T>(_ name: String, _ results: inout MonthlyResults, _ body: () throws -> (T, [(String, Int)], String?)) throws -> T {
        log("\(name)…")
        let start = Date()
        let (value, counts, note) = try body()
        let record = StepRecord(name: name, seconds: Date().timeIntervalSince(start), counts: counts, note: note)
        results.steps.append(record)
        log("\(name): " + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + (note.map { " (\($0))" } ?? ""))
        return value
    }

    private func skip(_ name: String, _ why: String, _ results: inout MonthlyResults) {
        results.steps.append(StepRecord(name: name, seconds: 0, counts: [], note: "skipped: \(why)"))
        log("\(name): skipped: \(why)")
    }

    /// The month's job: the zones, then each configured section in turn.
    public func run() throws -> MonthlyResults {
        let zonesPath = path(config.zones.path)
        let zones = try Zones.load(LayerSource(parsing: zonesPath), field: config.zones.field, options: ReadOptions.landWatch())
        for w in zones.warnings { log("warning: \(w)") }
        var results = MonthlyResults(month: month, zones: zones)
        results.inputs.append(zonesPath)
        try bareLand(zones, &results)
        try contaminated(zones, &results)
        try constructionOnPlots(zones, &results)
        try vocs(zones, &results)
        try air(zones, &results)
        return results
    }

    /// Bare land: this month's coverage (and last month's, for the arrows), then the ledger.
    private func bareLand(_ zones: Zones, _ results: inout MonthlyResults) throws {
        guard let bare = config.bareLand else {
            skip("coverage", "no bare_land section", &results)
            skip("ledger", "no bare_land section", &results)
            return
        }
        let current = path(bare.detections)
        guard try present([current], section: "bare_land", optional: bare.optional) else {
            skip("coverage", "optional, and no detections at \(current)", &results)
            skip("ledger", "optional, and no detections at \(current)", &results)
            return
        }
        results.inputs.append(current)
        results.coverage = try step("coverage", &results) {
            let r = try PolygonCoverage.compute(MonthlyJob.input(current), zones: zones,
                                                classField: bare.classField, keepPieces: true, progress: progress)
            return (r, [("patches", Int(r.rows.reduce(0) { $0 + $1.count })), ("repaired", r.report.repaired)], nil)
        }
        let previous = path(bare.detections, month: month.previous)
        if exists(previous) {
            results.previousCoverage = try PolygonCoverage.compute(MonthlyJob.input(previous),
                                                                   zones: zones, classField: nil, keepPieces: false)
        }
        if let ledger {
            try keepLedger(bare, ledger, zones, &results)
        } else {
            skip("ledger", "no ledger in the config", &results)
        }
    }

    /// Contaminated plots against sensitive land uses.
    private func contaminated(_ zones: Zones, _ results: inout MonthlyResults) throws {
        guard let c = config.contaminated, try present([path(c.plots), path(c.sensitive)], section: "contaminated", optional: c.optional) else {
            skip("overlap", config.contaminated == nil ? "no contaminated section" : "optional, and plots or sensitive land uses missing", &results)
            return
        }
        results.inputs += [path(c.plots), path(c.sensitive)]
        results.overlap = try step("overlap", &results) {
            let r = try Overlap.compute(plots: MonthlyJob.input(path(c.plots)),
                                        sensitive: MonthlyJob.input(path(c.sensitive)), zones: zones, options: c.overlapOptions)
            return (r, [("plots", r.plots.count), ("pairs", r.pairs.count), ("overlapping", r.pairs.filter { $0.overlap > 0 }.count)], nil)
        }
    }

    /// This month's bare land on contaminated and suspected plots, each patch named by its
    /// ledger entry: a step of its own once bare land and plots are both at hand.
    private func constructionOnPlots(_ zones: Zones, _ results: inout MonthlyResults) throws {
        guard let bare = config.bareLand, let c = config.contaminated else {
            skip("construction", "needs the bare_land and contaminated sections", &results)
            return
        }
        let detections = path(bare.detections), plotLayers = [("contaminated", path(c.plots))] + (c.suspectedPlots.map { [("suspected", path($0))] } ?? [])
        guard exists(detections), exists(path(c.plots)),
              try present(plotLayers.map(\.1), section: "contaminated", optional: c.optional) else {
            skip("construction", "optional, and detections or plots missing", &results)
            return
        }
        results.inputs += plotLayers.dropFirst().map(\.1)
        results.construction = try step("construction", &results) {
            let layers = try plotLayers.map { name, file in
                let plots = try MonthlyJob.input(file)
                var o = OverlapOptions()
                o.classField = bare.classField
                o.within = 0
                o.rings = []
                o.plotIdField = c.idField
                let risk = c.riskField ?? "risk"
                o.setKeep(c.riskField != nil || plots.layer.schema.names.contains(risk) ? [risk] : [])
                o.keepGeometry = true
                return (name, try Overlap.compute(plots: plots, sensitive: MonthlyJob.input(detections), zones: zones, options: o))
            }
            let r = try ConstructionOnPlots.find(layers, entries: try ledger.map { try entriesSeen(in: $0, crs: zones.crs) },
                                                 month: month, areas: zones.areas)
            return (r, [("on plots", r.rows.count), ("new", r.rows.filter { $0.isNew == true }.count),
                        ("construction", r.rows.filter(\.isConstruction).count)], nil)
        }
    }

    /// The ledger's entries seen this month, in the zones' CRS.
    private func entriesSeen(in location: LedgerLocation, crs: CRS) throws -> [LedgerEntry] {
        let fromStore = try CoordinateTransform(from: CRS.wgs84, to: crs)
        return try location.open(readOnly: true).entries().filter { $0.lastSeen >= month.firstDay && $0.lastSeen <= month.lastDay }.map { e in
            var e = e
            e.geometry = try fromStore.transform(e.geometry)
            return e
        }
    }

    /// VOCs survey hotspots and the enterprises near them.
    private func vocs(_ zones: Zones, _ results: inout MonthlyResults) throws {
        guard let v = config.vocs,
              try present([path(v.readings)] + (v.sources.map { [path($0)] } ?? []), section: "vocs", optional: v.optional) else {
            skip("hotspots", config.vocs == nil ? "no vocs section" : "optional, and no readings for \(month)", &results)
            return
        }
        let sourcesPath = v.sources.map { path($0) }
        results.inputs += [path(v.readings)] + (sourcesPath.map { [$0] } ?? [])
        results.hotspots = try step("hotspots", &results) {
            let r = try Hotspots.compute(MonthlyJob.input(path(v.readings)), options: v.hotspotOptions, zones: zones,
                                         sources: try sourcesPath.map { try MonthlyJob.input($0) })
            for warning in [r.skippedWarning, r.sourcesWarning].compactMap({ $0 }) { log("warning: \(warning)") }
            return (r, [("readings", r.readings), ("cells", r.cells.count), ("clusters", r.clusters.count)], nil)
        }
    }

    /// Town air quality ranked for the month.
    private func air(_ zones: Zones, _ results: inout MonthlyResults) throws {
        guard let a = config.air, try present([path(a.readings), path(a.stations)], section: "air", optional: a.optional) else {
            skip("air", config.air == nil ? "no air section" : "optional, and readings or stations missing", &results)
            return
        }
        results.inputs += [path(a.readings), path(a.stations)]
        results.air = try step("air", &results) {
            var o = AirOptions(month: month)
            o.pollutants = a.pollutants?.compactMap(Pollutant.init) ?? o.pollutants
            o.stationField = a.stationField
            o.targets = Dictionary(uniqueKeysWithValues: (a.targets ?? [:]).compactMap { k, v in Pollutant(rawValue: k).map { ($0, v) } })
            let r = try AirRanking.compute(readings: VectorInput(LayerSource(parsing: path(a.readings)),
                                                                 options: AirRanking.readingsOptions(.landWatch())),
                                           stations: MonthlyJob.input(path(a.stations)), zones: zones, options: o)
            for w in r.warnings { log("warning: \(w)") }
            return (r, [("zones", zones.zones.count), ("invalid", r.rows.filter { !$0.valid }.count),
                        ("over target", r.rows.filter { $0.overTarget == true }.count)], nil)
        }
    }

    /// Puts every month from `first_month` to this one on the ledger when it lacks them, then
    /// reports this month and the last.
    private func keepLedger(_ bare: RunConfig.BareLandSection, _ location: LedgerLocation, _ zones: Zones,
                            _ results: inout MonthlyResults) throws {
        typealias Ledger = (report: [LedgerQueries.ReportRow], previous: [LedgerQueries.ReportRow], open: (Table, [OutputFeature]))
        let out: Ledger = try step("ledger", &results) { () -> (Ledger, [(String, Int)], String?) in
            let store = try location.open(create: true)
            var m = bare.firstMonth.flatMap(Month.init) ?? month
            var counts: [(String, Int)] = []
            var notes: [String] = []
            while m <= month {
                let file = path(bare.detections, month: m)
                defer { m = m.next }
                guard exists(file) else { continue }
                var o = bare.ingestOptions(month: m)
                o.actor = actor
                do {
                    let r = try LedgerIngest.run(store, detections: MonthlyJob.input(file), zones: zones, options: o)
                    counts.append(("\(m) opened", r.batch.opened))
                } catch let refusal as LedgerIngestRefusal {
                    switch refusal {
                    case .alreadyIngested(let path, let batch, let date):
                        notes.append("\(m): \"\(path)\" was already ingested as batch \(batch) (\(date))")
                    case .olderThanLastBatch, .olderThanLastEvent:
                        notes.append("\(m) not ingested: \(refusal)")
                    }
                }
            }
            let report = try LedgerQueries.report(store, from: month.firstDay, to: month.lastDay)
            let previous = try LedgerQueries.report(store, from: month.previous.firstDay, to: month.previous.lastDay)
            let (table, features) = try LedgerQueries.status(store, LedgerQueries.StatusFilter(asOf: month.lastDay))
            let stateIndex = table.columns.firstIndex { $0.key == "state" }!
            let carried = zip(table.rows, features).filter { row, _ in
                if case .string(let state) = row[stateIndex].json(decimals: 0) { return LedgerState(rawValue: state)?.isCarried == true }
                return false
            }
            counts.append(("carried", carried.count))
            let open = (Table(title: "open ledger entries", zh: "在账图斑", columns: table.columns, rows: carried.map(\.0)), carried.map(\.1))
            return ((report, previous, open), counts, notes.isEmpty ? nil : notes.joined(separator: "; "))
        }
        results.ledgerReport = out.report
        results.previousLedgerReport = out.previous
        results.ledgerOpen = out.open
    }
}

extension RunConfig.BareLandSection {
    /// How the monthly job puts a month's detections on the ledger: the config's settings, the
    /// ingest's defaults for those it leaves out.
    func ingestOptions(month: Month) -> IngestOptions {
        var o = IngestOptions(date: month.day(detectionDay ?? 25))
        o.classField = classField
        o.deadlineDays = deadlineDays ?? o.deadlineDays
        o.closeAfter = closeAfter ?? o.closeAfter
        o.matchIoU = matchIou ?? o.matchIoU
        o.prefix = prefix ?? o.prefix
        return o
    }
}

extension RunConfig.ContaminatedSection {
    /// The overlap the monthly job runs, pieces and lines kept for the bulletin's GeoJSON: the
    /// config's settings, the job's own `within` and `overlap`'s defaults for those it leaves out.
    var overlapOptions: OverlapOptions {
        var o = OverlapOptions()
        o.classField = classField
        o.within = within ?? Spec.within.defaultValue
        o.rings = rings ?? o.rings
        o.plotIdField = idField
        o.parcelIdField = sensitiveIdField
        o.setKeep(keep ?? [])
        o.keepGeometry = true
        return o
    }
}

extension RunConfig.VOCsSection {
    /// The hotspots the monthly job finds: the config's settings, `hotspots`' defaults for those
    /// it leaves out.
    var hotspotOptions: HotspotOptions {
        var o = HotspotOptions(valueField: value)
        o.cell = cell ?? o.cell
        o.stat = stat.flatMap(HotspotOptions.Stat.init) ?? o.stat
        o.minReadings = minReadings ?? o.minReadings
        o.confidence = confidence ?? o.confidence
        o.within = within ?? o.within
        o.sourceNameField = sourceNameField
        return o
    }
}
