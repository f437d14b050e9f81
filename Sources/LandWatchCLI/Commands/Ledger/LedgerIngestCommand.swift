import ArgumentParser
import GDALKit
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger ingest`: puts a month's detections on the ledger.
struct LedgerIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Put a detection file on the ledger (挂账, redetection, 销账 by misses).")

    @OptionGroup var store: LedgerOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var zoneOptions: ZoneOptions

    @Argument(help: "The vendor's detections: PATH[#LAYER][@CRS].")
    var detections: String

    @Option(help: "The detection date, YYYY-MM-DD.", transform: Day.argument)
    var date: Day

    @Option(name: .customLong("id-field"), help: "The vendor's patch id field (recorded in notes).")
    var idField: String?

    @Option(name: .customLong("class-field"), help: "The patch class field (施工工地, 农田 …).")
    var classField: String?

    @Option(name: .customLong("deadline-days"), help: "Days to fix a patch, from its detection.")
    var deadlineDays = IngestOptions.Spec.deadlineDays.defaultValue

    @Option(name: .customLong("close-after"), help: "Close entries missing from this many detections in a row (0: never).")
    var closeAfter = IngestOptions.Spec.closeAfter.defaultValue

    @Option(name: .customLong("match-iou"), help: "Intersection over union at which a detection matches an entry.")
    var matchIoU = IngestOptions.Spec.matchIoU.defaultValue

    @Option(help: "Prefix of new entry ids: PREFIX-YYYYMM-NNNN.")
    var prefix = IngestOptions.Spec.prefix.defaultValue

    @Flag(help: "Ingest a file even if it was ingested before.")
    var force = false

    @Option(help: "Seconds to wait for another ingest into the same ledger before giving up.")
    var wait = 0.0

    @OptionGroup var input: InputOptions

    /// The options as given.
    var options: IngestOptions {
        var options = IngestOptions(date: date)
        options.idField = idField
        options.classField = classField
        options.deadlineDays = deadlineDays
        options.closeAfter = closeAfter
        options.matchIoU = matchIoU
        options.prefix = prefix
        options.force = force
        options.wait = wait
        options.actor = actor.name
        return options
    }

    func validate() throws {
        try OptionNames.validating { try options.validate() }
        guard wait >= 0 else { throw ValidationError("--wait is 0 or more seconds") }
        guard !prefix.isEmpty, !prefix.contains("-") else {
            throw ValidationError("--prefix is a short code without '-', e.g. \(IngestOptions.Spec.prefix.defaultValue)")
        }
    }

    func run() throws {
        let zones = try zoneOptions.load(input.readOptions)
        let ledger = try store.open(create: true)
        let detectionInput = try VectorInput(LayerSource(parsing: detections), options: input.readOptions)
        let result = try LedgerIngest.run(ledger, detections: detectionInput, zones: zones, options: options)
        if let w = result.report.warning(for: detectionInput.label) { Console.warning(w) }
        let b = result.batch
        Console.note("batch \(b.number) (\(b.date)): \(b.features) detections; opened \(b.opened), redetected \(b.redetected), "
            + "relapsed \(b.relapsed), missed \(b.missed), closed \(b.closed)")
    }
}
