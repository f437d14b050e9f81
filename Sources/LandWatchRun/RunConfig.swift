import Foundation
import LandWatchCore
import LandWatchLedger

/// The monthly job's configuration (`landwatch run CONFIG.yml`). Paths are relative to the
/// config file's folder; `{yyyymm}` in a path stands for the month (e.g. 202610). A step whose
/// section is absent is skipped with a note; a section whose input file is missing is an error,
/// unless the section says `optional: true`. `RunConfig.check` holds the keys and values allowed.
public struct RunConfig: Codable, Sendable {
    public var month: String
    public var lang: String?
    public var out: String?
    /// Who issues the bulletin (编制单位), printed at its head.
    public var issuer: String?
    /// The day the bulletin is issued, YYYY-MM-DD, printed at its head (none: not printed, so
    /// that the same month gives the same bulletin).
    public var issued: String?
    public var zones: ZonesSection
    public var bareLand: BareLandSection?
    public var contaminated: ContaminatedSection?
    public var vocs: VOCsSection?
    public var air: AirSection?

    public struct ZonesSection: Codable, Sendable {
        public var path: String
        public var field: String?
    }

    public struct BareLandSection: Codable, Sendable {
        public var detections: String
        /// Whether a month without detections is skipped rather than refused.
        public var optional: Bool?
        /// Day of the month the vendor's detection is dated (default 25).
        public var detectionDay: Int?
        /// The first month the ledger follows: months from here to `month` are put on the ledger
        /// in turn when it lacks them.
        public var firstMonth: String?
        public var classField: String?
        public var ledger: String?
        public var deadlineDays: Int?
        public var closeAfter: Int?
        public var matchIou: Double?
        public var prefix: String?
    }

    public struct ContaminatedSection: Codable, Sendable {
        public var plots: String
        public var sensitive: String
        public var optional: Bool?
        public var idField: String?
        public var sensitiveIdField: String?
        public var classField: String?
        public var keep: [String]?
        public var within: Double?
        public var rings: [Double]?
        /// Suspected plots (疑似污染地块), checked with the contaminated ones for bare land.
        public var suspectedPlots: String?
        /// The plots' risk-level field (default `risk` when the layer has one).
        public var riskField: String?
    }

    public struct VOCsSection: Codable, Sendable {
        public var readings: String
        public var value: String
        public var optional: Bool?
        public var cell: Double?
        public var stat: String?
        public var minReadings: Int?
        public var confidence: Int?
        public var sources: String?
        public var sourceNameField: String?
        public var within: Double?
        /// The unit of the readings' values (default μg/m³), in the tables' headers.
        public var unit: String?
    }

    /// Town air quality: the stations' readings ranked for the month.
    public struct AirSection: Codable, Sendable {
        public var readings: String
        public var stations: String
        public var optional: Bool?
        public var stationField: String?
        /// Which pollutants, in order (default pm25, pm10, tsp, dustfall).
        public var pollutants: [String]?
        /// Targets by pollutant (dustfall's defaults to the plan's 5.1).
        public var targets: [String: Double]?

        enum CodingKeys: String, CodingKey {
            case readings, stations, optional, stationField = "station_field", pollutants, targets
        }
    }

    enum CodingKeys: String, CodingKey {
        case month, lang, out, issuer, issued, zones, bareLand = "bare_land", contaminated, vocs, air
    }
}

extension RunConfig.BareLandSection {
    enum CodingKeys: String, CodingKey {
        case detections, optional, detectionDay = "detection_day", firstMonth = "first_month", classField = "class_field", ledger
        case deadlineDays = "deadline_days", closeAfter = "close_after", matchIou = "match_iou", prefix
    }
}

extension RunConfig.ContaminatedSection {
    enum CodingKeys: String, CodingKey {
        case plots, sensitive, optional, idField = "id_field", sensitiveIdField = "sensitive_id_field", classField = "class_field", keep, within, rings
        case suspectedPlots = "suspected_plots", riskField = "risk_field"
    }
}

extension RunConfig.ContaminatedSection {
    /// The monthly job's own `within`: its default looks around the plots, where `overlap` on
    /// the command line reports overlaps only unless told (`OverlapOptions.Spec.within`), and it
    /// is above 0, where the command line takes 0.
    public enum Spec {
        public static let within = OptionSpec(default: 500.0, .metres)
    }
}

extension RunConfig.VOCsSection {
    enum CodingKeys: String, CodingKey {
        case readings, value, optional, cell, stat, minReadings = "min_readings", confidence, sources, sourceNameField = "source_name_field", within, unit
    }
}

