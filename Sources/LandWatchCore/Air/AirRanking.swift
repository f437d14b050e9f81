import Foundation
import GDALKit

/// What `air` ranks and how.
public struct AirOptions: Sendable {
    public var month: Month
    public var pollutants: [Pollutant] = Pollutant.allCases
    /// The stations' id field (default: the first of `station`, `id`, `code`, `站点`).
    public var stationField: String?
    /// Targets by pollutant; dustfall's defaults to the plan's 5.1.
    public var targets: [Pollutant: Double] = [:]

    public init(month: Month) { self.month = month }

    public func target(_ p: Pollutant) -> Double? { targets[p] ?? p.defaultTarget }
}

/// One zone's figures for one pollutant and month.
public struct AirRow: Sendable, Equatable {
    public let zone: String
    public let pollutant: Pollutant
    /// Stations with a valid month, and the most valid days any of the zone's stations has
    /// (nil for dustfall, one sample a month).
    public let stations: Int
    public let validDays: Int?
    public var valid: Bool { mean != nil }
    public let mean: Double?
    public var rank: Int?
    public let prevMonth: Double?
    public let lastYear: Double?
    public let ytdMean: Double?
    public var ytdRank: Int?
    public let target: Double?

    public var momPct: Double? { AirRanking.change(mean, from: prevMonth) }
    public var yoyPct: Double? { AirRanking.change(mean, from: lastYear) }
    /// Whether the mean, as printed (GB/T 8170 at the pollutant's decimals), exceeds the target:
    /// 35.047 prints 35.0 and does not exceed 35; nil when there is a target but no valid mean.
    public var overTarget: Bool? {
        guard let target else { return false }
        return mean.map { AirRanking.revised($0, decimals: pollutant.decimals) > target }
    }
}

/// The ranking and what was left out of it.
public struct AirResult: Sendable {
    public let rows: [AirRow]
    public let options: AirOptions
    /// One line each: readings skipped, stations whose zone column disagrees with their position.
    public let warnings: [String]
}

/// Town air quality ranked each month (定期对各属地空气质量进行排名通报): a zone's value is the
/// mean of its valid stations' monthly means, each the mean of its valid daily means (GB
/// 3095-2012's validity rules, `Pollutant`); rank 1 is the cleanest, ties share a rank; against
/// last month, the same month last year, and the year to date.
public enum AirRanking {
    /// How to open a readings table: with `base`'s options, its columns kept as written, so that
    /// a date (a daily value) stays apart from a date-time at midnight (an hourly one).
    public static func readingsOptions(_ base: ReadOptions) -> ReadOptions {
        var options = base
        options.detectCSVTypes = false
        return options
    }

    public static func compute(readings: VectorInput, stations: VectorInput, zones: Zones, options: AirOptions) throws -> AirResult {
        let (zoneOf, stationWarnings) = try AirStations.zones(stations, zones: zones, field: options.stationField)
        let (series, readingWarnings) = try AirReadings.read(readings, stations: Set(zoneOf.keys), pollutants: options.pollutants)
        let m = options.month
        let absent = options.pollutants.filter { p in !series.hasValues(p, in: m) }
        let absentWarning = absent.isEmpty ? [] : ["\(readings.label): no \(absent.map(\.label).joined(separator: ", ")) readings in \(m): "
            + "every zone is listed without a figure for \(absent.count == 1 ? "it" : "them")"]
        var rows: [AirRow] = []
        for p in options.pollutants {
            var block = zones.zones.map { zone in
                row(zone.name, p, stations: zoneOf.filter { $0.value == zone.name }.keys.sorted(), series: series, options: options)
            }
            rank(&block, \.mean, into: \.rank, decimals: p.decimals)
            rank(&block, \.ytdMean, into: \.ytdRank, decimals: p.decimals)
            rows += block.sorted { ($0.rank ?? Int.max, $0.zone) < ($1.rank ?? Int.max, $1.zone) }
        }
        return AirResult(rows: rows, options: options, warnings: stationWarnings + readingWarnings + absentWarning)
    }

    /// A zone's row: this month, last month, the same month last year, the year to date.
    private static func row(_ zone: String, _ p: Pollutant, stations: [String], series: AirSeries, options: AirOptions) -> AirRow {
        let m = options.month
        let now = zoneMonth(stations, p, m, series)
        let ytd = stations.compactMap { series.yearToDate($0, p, through: m) }
        return AirRow(zone: zone, pollutant: p, stations: now.stations, validDays: p.isDaily ? now.validDays : nil, mean: now.mean,
                      rank: nil, prevMonth: zoneMonth(stations, p, m.previous, series).mean,
                      lastYear: zoneMonth(stations, p, Month(year: m.year - 1, month: m.month), series).mean,
                      ytdMean: ytd.isEmpty ? nil : ytd.reduce(0, +) / Double(ytd.count), ytdRank: nil, target: options.target(p))
    }

    /// The mean of the valid stations' monthly means, how many are valid, and the most valid
    /// days any station has.
    static func zoneMonth(_ stations: [String], _ p: Pollutant, _ m: Month, _ series: AirSeries) -> (mean: Double?, stations: Int, validDays: Int) {
        let months = stations.map { series.month($0, p, m) }
        let valid = months.compactMap(\.mean)
        return (valid.isEmpty ? nil : valid.reduce(0, +) / Double(valid.count), valid.count, months.map(\.validDays).max() ?? 0)
    }

    /// Ranks rows by a value as printed (`decimals`, `revised`), 1 the lowest; ties share the
    /// rank, the next rank skipping as many (1, 1, 3); rows without the value get none.
    static func rank(_ rows: inout [AirRow], _ value: KeyPath<AirRow, Double?>, into key: WritableKeyPath<AirRow, Int?>, decimals: Int) {
        let printed = rows.map { $0[keyPath: value].map { revised($0, decimals: decimals) } }
        for i in rows.indices {
            rows[i][keyPath: key] = printed[i].map { v in 1 + printed.filter { $0.map { $0 < v } ?? false }.count }
        }
    }

    /// A figure at `decimals` as monitoring data are rounded, by GB/T 8170-2008 (数值修约规则:
    /// 四舍六入五成双, half to even); a value within 1e-9 of a midpoint (4.1249999999, the float
    /// of a mean of figures with 2 decimals) counts as on it.
    public static func revised(_ v: Double, decimals: Int) -> Double {
        let scale = pow(10, Double(decimals)), x = v * scale
        let below = x.rounded(.down)
        guard abs(x - below - 0.5) <= 1e-9 * max(1, abs(x)) else { return x.rounded() / scale }
        return (below.truncatingRemainder(dividingBy: 2) == 0 ? below : below + 1) / scale
    }

    /// The change in per cent, nil when either figure is missing or the base is 0.
    static func change(_ now: Double?, from before: Double?) -> Double? {
        guard let now, let before, before != 0 else { return nil }
        return 100 * (now - before) / before
    }
}
