import Foundation
@testable import LandWatchCore
@testable import LandWatchLedger
@testable import LandWatchRun
import Testing

/// Each option's range is written once: `run`'s config check allows what the option's spec
/// allows, and the options' `validate()` (the command line's) agrees with it where the two
/// front ends share a range.
@Suite struct OptionSpecTests {
    /// Values to try, as a config or a command line may write them.
    static let probes = ["-1", "-0.0", "0", "0.3", "1", "1.5", "3", "90", "95", "99", "500", "1e9", "inf", "nan", "x", "",
                         "mean", "p90", "DX", "D-X"]

    /// Whether `run`'s config check allows `value` for `key` in `section` (the rest of the config
    /// being right).
    static func configAllows(_ section: String, _ key: String, _ value: ConfigNode) -> Bool {
        let required = ["bare_land": ["detections"], "contaminated": ["plots", "sensitive"], "vocs": ["readings", "value"]][section]!
        let entries = required.map { (key: $0, value: ConfigNode.scalar("f", line: 1), line: 1) } + [(key: key, value: value, line: 1)]
        let root = ConfigNode.map([
            (key: "month", value: .scalar("2026-10", line: 1), line: 1),
            (key: "zones", value: .map([(key: "path", value: .scalar("z.gpkg", line: 1), line: 1)], line: 1), line: 1),
            (key: section, value: .map(entries, line: 1), line: 1),
        ], line: 1)
        return (try? RunConfig.check(root, file: "c.yml")) != nil
    }

    @Test func theConfigCheckAllowsWhatTheSpecAllows() {
        let options: [(String, String, ([String]) -> Bool)] = [
            ("vocs", "cell", HotspotOptions.Spec.cell.allows),
            ("vocs", "stat", HotspotOptions.Spec.stat.allows),
            ("vocs", "min_readings", HotspotOptions.Spec.minReadings.allows),
            ("vocs", "confidence", HotspotOptions.Spec.confidence.allows),
            ("vocs", "within", HotspotOptions.Spec.within.allows),
            ("bare_land", "match_iou", IngestOptions.Spec.matchIoU.allows),
            ("bare_land", "prefix", IngestOptions.Spec.prefix.allows),
            ("contaminated", "within", RunConfig.ContaminatedSection.Spec.within.allows),
        ]
        for (section, key, allows) in options {
            for text in Self.probes {
                #expect(Self.configAllows(section, key, .scalar(text, line: 1)) == allows([text]), "\(section).\(key): \(text)")
            }
        }
    }

    @Test func ringsAreCheckedItemByItem() {
        for text in Self.probes {
            let list = ConfigNode.list([.scalar("100", line: 1), .scalar(text, line: 1)], line: 1)
            #expect(Self.configAllows("contaminated", "rings", list) == OverlapOptions.Spec.rings.allows(["100", text]), "\(text)")
        }
    }

    /// The command line's checks (the options' `validate()`) refuse what the config refuses, for
    /// the options whose range the two share.
    @Test func validateAgreesWithTheConfig() {
        func valid(_ change: (inout HotspotOptions) -> Void) -> Bool {
            var options = HotspotOptions(valueField: "tvoc")
            change(&options)
            return (try? options.validate()) != nil
        }
        var ingest = IngestOptions(date: Day("2026-10-25")!)
        for text in Self.probes {
            if let number = Double(text) {
                #expect(valid { $0.cell = number } == Self.configAllows("vocs", "cell", .scalar(text, line: 1)), "cell \(text)")
                ingest.matchIoU = number
                #expect(((try? ingest.validate()) != nil) == Self.configAllows("bare_land", "match_iou", .scalar(text, line: 1)),
                        "match_iou \(text)")
            }
            if let whole = Int(text) {
                #expect(valid { $0.minReadings = whole } == Self.configAllows("vocs", "min_readings", .scalar(text, line: 1)),
                        "min_readings \(text)")
                #expect(valid { $0.confidence = whole } == Self.configAllows("vocs", "confidence", .scalar(text, line: 1)),
                        "confidence \(text)")
            }
        }
    }

    /// A refusal is a usage error naming the setting, for each front end to name its way.
    @Test func refusalsNameTheirSetting() {
        func refusal(_ validate: () throws -> Void) -> String? {
            do {
                try validate()
                return nil
            } catch let error as LandWatchError {
                guard case .usage(let message) = error else { return "not a usage error: \(error)" }
                return message.rendered { "<\($0)>" }
            } catch {
                return "\(error)"
            }
        }
        var options = HotspotOptions(valueField: "tvoc")
        options.cell = .infinity
        #expect(refusal(options.validate) == "<cell> is a size in metres, above 0")
        var ingest = IngestOptions(date: Day("2026-10-25")!)
        ingest.closeAfter = -1
        #expect(refusal(ingest.validate) == "<closeAfter> is 0 or more")
    }
}
