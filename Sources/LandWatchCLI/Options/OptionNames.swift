import ArgumentParser
import LandWatchCore

/// How the command line names each setting a message may tell the user to change.
enum OptionNames {
    static func option(for setting: Setting) -> String {
        switch setting {
        case .assumeCRS: return "--assume-crs"
        case .encoding: return "--encoding"
        case .xField: return "--x-field"
        case .yField: return "--y-field"
        case .zoneField: return "--zone-field"
        case .zone: return "--zone ZONE"
        case .date: return "--date"
        case .cell: return "--cell"
        case .minReadings: return "--min-readings"
        case .confidence: return "--confidence"
        case .from: return "--from"
        case .to: return "--to"
        case .sourceNameField: return "--source-name-field"
        case .stationField: return "--station-field"
        case .within: return "--within"
        case .deadlineDays: return "--deadline-days"
        case .closeAfter: return "--close-after"
        case .matchIoU: return "--match-iou"
        case .outFolder: return "--out"
        case .outFile: return "-o"
        case .format: return "--format"
        case .force: return "--force"
        case .wait: return "--wait SECONDS"
        }
    }

    /// Runs a core check from a `validate()`: its refusal becomes a usage error naming options.
    static func validating(_ check: () throws -> Void) throws {
        do {
            try check()
        } catch let error as LandWatchError {
            throw ValidationError(error.message.rendered(option))
        }
    }
}
