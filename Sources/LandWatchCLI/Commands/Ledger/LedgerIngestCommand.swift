import ArgumentParser
import GDALKit
import LandWatchCore

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
    var deadlineDays = 30

    @Option(name: .customLong("close-after"), help: "Close entries missing from this many detections in a row (0: never).")
    var closeAfter = 2

    @Option(name: .customLong("match-iou"), help: "Intersection over union at which a detection matches an entry.")
    var matchIoU = 0.3

    @Option(help: "Prefix of new entry ids: PREFIX-YYYYMM-NNNN.")
    var prefix = "DX"

    @Flag(help: "Ingest a file even if it was ingested before.")
    var force = false

    @Option(help: "Seconds to wait for another ingest into the same ledger before giving up.")
    var wait = 0.0

    @OptionGroup var input: InputOptions

    func validate() throws {
        guard deadlineDays >= 0 else { throw ValidationError("--deadline-days is 0 or more") }
        guard closeAfter >= 0 else { throw ValidationError("--close-after is 0 or more") }
        guard matchIoU > 0, matchIoU <= 1 else { throw ValidationError("--match-iou is between 0 and 1") }
        guard wait >= 0 else { throw ValidationError("--wait is 0 or more seconds") }
        guard !prefix.isEmpty, !prefix.contains("-") else { throw ValidationError("--prefix is a short code without '-', e.g. DX") }
    }

    func run() throws {
        let zones = try zoneOptions.load(input.readOptions)
        let ledger = try store.open(create: true)
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
        let detectionInput = try VectorInput(LayerSource(parsing: detections), options: input.readOptions)
        let result = try LedgerIngest.run(ledger, detections: detectionInput, zones: zones, options: options)
        if let w = result.report.warning(for: detectionInput.label) { Console.warning(w) }
        let b = result.batch
        Console.note("batch \(b.number) (\(b.date)): \(b.features) detections; opened \(b.opened), redetected \(b.redetected), "
            + "relapsed \(b.relapsed), missed \(b.missed), closed \(b.closed)")
    }
}
