import Foundation
import GDALKit
import LandWatchCore

/// What to generate. Counts left nil follow `scale` × the base counts.
public struct SampleOptions: Sendable, Hashable {
    public var seed: UInt64 = 2026
    public var scale: Double = 1
    /// Number of jurisdictions: 22 gives Daxing's names; more subdivide a larger area.
    public var towns: Int = 22
    public var patches: Int?
    public var parcels: Int?
    public var plots: Int?
    public var readings: Int?
    public var enterprises: Int?
    /// Monthly detections to write (1–3), the latest months.
    public var months: Int = 3
    /// How many times each point of bare land is covered on average: 1 gives a vendor's delivery
    /// (disjoint patches), more gives layers merged from several months or vendors, stacked
    /// buffers: patches thrown together in clusters.
    public var overlapDepth: Double = 1

    public init() {}

    func count(_ override: Int?, base: Double) -> Int { override ?? max(1, Int((base * scale).rounded())) }
    var patchCount: Int { count(patches, base: 1200) }
    var parcelCount: Int { count(parcels, base: 450) }
    var plotCount: Int { count(plots, base: 40) }
    var readingCount: Int { count(readings, base: 8000) }
    var enterpriseCount: Int { count(enterprises, base: 120) }
}

/// A synthetic district modelled on Beijing's Daxing district, built in EPSG:4527 metres
/// (CGCS2000 / 3-degree Gauss-Kruger zone 39) and deterministic for a seed.
public struct SampleDistrict: Sendable {
    public struct Town: Sendable { public let name, code, kind: String; public let geometry: Geometry }
    public struct Patch: Sendable { public let vendorId, type, note: String; public let geometry: Geometry }
    public struct Detection: Sendable { public let date: String; public let patches: [Patch] }
    public struct Parcel: Sendable { public let id, landuse, name: String; public let geometry: Geometry }
    public struct Plot: Sendable { public let id, name, risk, status: String; public let geometry: Geometry }
    public struct Reading: Sendable { public let time: String; public let position: Coordinate; public let tvoc: Double }
    public struct Enterprise: Sendable { public let name, industry: String; public let position: Coordinate }
    /// An air-quality station at a town's seat (EPSG:4527 metres), and the town it stands for.
    public struct Station: Sendable { public let id, name: String; public let position: Coordinate; public let town: String }
    /// A planted VOCs source: its centre, strength and the enterprise placed beside it.
    public struct Plume: Sendable { public let centre: Coordinate; public let peak, sigma: Double; public let enterprise: String }

    public static let metricCRS = "EPSG:4527"
    public static let detectionDates = ["2026-08-25", "2026-09-25", "2026-10-25"]
    public static let surveyMonth = "2026-10"

    public let outline: Geometry
    public let towns: [Town]
    public let detections: [Detection]
    public let parcels: [Parcel]
    public let plots: [Plot]
    /// Suspected plots (疑似污染地块), planted under the last month's bare land.
    public let suspectedPlots: [Plot]
    public let readings: [Reading]
    public let enterprises: [Enterprise]
    public let stations: [Station]
    /// The stations' readings as the monitoring platform exports them: `station,time,pollutant,value`.
    public let airReadings: String
    public let plumes: [Plume]

    public static func generate(_ options: SampleOptions) throws -> SampleDistrict {
        var builder = try SampleBuilder(options)
        return try builder.build()
    }
}
