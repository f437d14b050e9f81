import Foundation
@testable import LandWatchCLI
@testable import LandWatchCore
import LandWatchLedger
@testable import LandWatchRun
import Testing
import TestSupport

/// Each default is written once, in the core: the command line (its options and its help), the
/// monthly job (for what its config leaves out) and the core's own options all read it.
@Suite struct OptionDefaultsTests {
    @Test func hotspots() throws {
        let core = HotspotOptions(valueField: "tvoc")
        let cli = try HotspotsCommand.parse(["r.csv", "--value", "tvoc"]).options
        let job = RunConfig.VOCsSection(readings: "r.csv", value: "tvoc").hotspotOptions
        for options in [core, cli, job] {
            #expect(options.cell == HotspotOptions.Spec.cell.defaultValue)
            #expect(options.stat == HotspotOptions.Spec.stat.defaultValue)
            #expect(options.minReadings == HotspotOptions.Spec.minReadings.defaultValue)
            #expect(options.confidence == HotspotOptions.Spec.confidence.defaultValue)
            #expect(options.within == HotspotOptions.Spec.within.defaultValue)
        }
        let help = HotspotsCommand.helpMessage(columns: 1000)
        #expect(help.contains("Cell size in metres. (default: \(HotspotOptions.Spec.cell.defaultValue))"), "\(help)")
        #expect(help.contains("Confidence for clusters: 90, 95 or 99. (default: \(HotspotOptions.Spec.confidence.defaultValue))"))
    }

    /// `overlap` reports overlaps only unless told otherwise; the monthly job looks 500 m around.
    @Test func overlap() throws {
        let core = OverlapOptions()
        let command = try OverlapCommand.parse(["plots.gpkg", "--sensitive", "s.gpkg"])
        let job = RunConfig.ContaminatedSection(plots: "plots.gpkg", sensitive: "s.gpkg").overlapOptions
        #expect(core.within == OverlapOptions.Spec.within.defaultValue && command.options.within == core.within)
        #expect(job.within == RunConfig.ContaminatedSection.Spec.within.defaultValue && job.within != core.within)
        #expect(core.rings == OverlapOptions.Spec.rings.defaultValue && command.ringValues == core.rings && job.rings == core.rings)
    }

    @Test func ledgerIngestAndVerify() throws {
        let core = IngestOptions(date: Day("2026-10-25")!)
        let cli = try LedgerIngestCommand.parse(["d.shp", "--ledger", "l.gpkg", "--zones", "z.gpkg", "--date", "2026-10-25"]).options
        let job = RunConfig.BareLandSection(detections: "d.shp").ingestOptions(month: Month("2026-10")!)
        for options in [core, cli, job] {
            #expect(options.deadlineDays == IngestOptions.Spec.deadlineDays.defaultValue)
            #expect(options.closeAfter == IngestOptions.Spec.closeAfter.defaultValue)
            #expect(options.matchIoU == IngestOptions.Spec.matchIoU.defaultValue)
            #expect(options.prefix == IngestOptions.Spec.prefix.defaultValue)
        }
        #expect(try LedgerVerifyCommand.parse(["v.csv", "--ledger", "l.gpkg"]).deadlineDays == IngestOptions.Spec.deadlineDays.defaultValue)
    }

    /// Values the config check refuses are refused on the command line too, in the command
    /// line's words: an infinite cell or ring used to stop the program.
    @Test func theCommandLineRefusesWhatTheRangeRefuses() throws {
        let cases: [([String], String)] = [
            (["hotspots", "Data/vocs_survey_202610_gcj02.csv@GCJ-02", "--value", "tvoc", "--cell", "inf"],
             "--cell is a size in metres, above 0 (see 'landwatch hotspots --help')"),
            (["overlap", "Data/contaminated_plots.gpkg", "--sensitive", "Data/sensitive_landuse.geojson", "--rings", "100,inf"],
             "--rings takes positive distances in metres separated by commas (see 'landwatch overlap --help')"),
            (["ledger", "ingest", "Data/bare_land_202608.shp", "--ledger", "/nonexistent/l.gpkg", "--zones", "Data/daxing_towns.gpkg",
              "--date", "2026-08-25", "--match-iou", "1.5"], "--match-iou is between 0 and 1 (see 'landwatch ledger ingest --help')"),
        ]
        for (arguments, message) in cases {
            let r = try Fixtures.run(arguments)
            #expect(r.code == 64 && r.err == "landwatch: error: \(message)\n", "\(arguments): \(r.err)")
        }
    }
}
