import Foundation
import GDALKit

/// Every station's values, by pollutant: daily means (given as such, or from hourly values when
/// enough hours were measured) and dustfall's monthly samples.
struct AirSeries: Sendable {
    struct Key: Hashable { let station: String; let pollutant: Pollutant }

    /// A day's hourly values (distinct hours, their sum and count) or its daily value as given.
    struct DayValues: Sendable {
        var hours = Set<Int>()
        var sum = 0.0, count = 0
        var daily: Double?
    }

    var days: [Key: [Day: DayValues]] = [:]
    var monthly: [Key: [Month: Double]] = [:]

    /// A station's valid daily means from one day to another, in date order (so that their sum
    /// is the same on every run): the daily value as given, else the mean of the hourly values
    /// when the day has enough distinct hours.
    func dailyMeans(_ station: String, _ p: Pollutant, from: Day, to: Day) -> [Double] {
        (days[Key(station: station, pollutant: p)] ?? [:]).filter { $0.key >= from && $0.key <= to }.sorted { $0.key < $1.key }
            .compactMap { _, d in d.daily ?? (d.hours.count >= p.hoursForADay ? d.sum / Double(d.count) : nil) }
    }

    /// Whether any station has a value (valid or not) of the pollutant in the month.
    func hasValues(_ p: Pollutant, in m: Month) -> Bool {
        p.isDaily ? days.contains { $0.key.pollutant == p && $0.value.keys.contains { $0 >= m.firstDay && $0 <= m.lastDay } }
                  : monthly.contains { $0.key.pollutant == p && $0.value[m] != nil }
    }

    /// A station's month: its mean when valid, and its valid days.
    func month(_ station: String, _ p: Pollutant, _ m: Month) -> (mean: Double?, validDays: Int) {
        guard p.isDaily else {
            let v = monthly[Key(station: station, pollutant: p)]?[m]
            return (v, v == nil ? 0 : 1)
        }
        let inMonth = dailyMeans(station, p, from: m.firstDay, to: m.lastDay)
        guard inMonth.count >= p.daysForAMonth(m) else { return (nil, inMonth.count) }
        return (inMonth.reduce(0, +) / Double(inMonth.count), inMonth.count)
    }

    /// The mean of a station's valid daily means (dustfall: monthly samples) from January to
    /// the end of `m`; nil when it has none.
    func yearToDate(_ station: String, _ p: Pollutant, through m: Month) -> Double? {
        let first = Month(year: m.year, month: 1)
        let values: [Double] = p.isDaily
            ? dailyMeans(station, p, from: first.firstDay, to: m.lastDay)
            : (monthly[Key(station: station, pollutant: p)] ?? [:]).filter { $0.key >= first && $0.key <= m }.sorted { $0.key < $1.key }.map(\.value)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}

/// Readings in long form, `station`, `time`, `pollutant`, `value`: a date is a daily value, a
/// date-time an hourly one (its hour; a time zone, if written, is ignored: times are local).
/// A blank value is missing; text that is not a number, a negative value or a time that is not
/// one is refused naming the feature and field.
enum AirReadings {
    static let columns = ["station", "time", "pollutant", "value"]

    static func read(_ input: VectorInput, stations: Set<String>, pollutants: [Pollutant]) throws -> (AirSeries, [String]) {
        let schema = input.layer.schema
        let missing = columns.filter { !schema.names.contains($0) }
        guard missing.isEmpty else {
            throw LandWatchError.data("\(input.label) lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")): "
                + "readings come as station, time, pollutant, value; its columns are \(schema.names.joined(separator: ", "))")
        }
        var series = AirSeries()
        var unknownStations: [String: Int] = [:], unknownPollutants: [String: Int] = [:], blank = 0
        let wanted = Set(pollutants)
        for f in try input.layer.readAll() {
            func text(_ field: String) -> String { f[field].flatMap { $0.isNull ? nil : $0.description }?.trimmingCharacters(in: .whitespaces) ?? "" }
            let station = text("station"), name = text("pollutant").lowercased().replacingOccurrences(of: ".", with: "")
            guard let p = Pollutant(rawValue: name) else { unknownPollutants[name, default: 0] += 1; continue }
            guard wanted.contains(p) else { continue }
            guard stations.contains(station) else { unknownStations[station, default: 0] += 1; continue }
            guard let value = try number(f, input: input) else { blank += 1; continue }
            guard let (day, hour) = time(text("time")) else {
                throw LandWatchError.data("\(input.label) feature \(f.fid) field \"time\": \"\(text("time"))\" is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)")
            }
            let key = AirSeries.Key(station: station, pollutant: p)
            if p.isDaily {
                var d = series.days[key, default: [:]][day, default: AirSeries.DayValues()]
                if let hour { (d.hours, d.sum, d.count) = (d.hours.union([hour]), d.sum + value, d.count + 1) } else { d.daily = value }
                series.days[key, default: [:]][day] = d
            } else {
                let m = Month(year: day.components.year, month: day.components.month)
                if series.monthly[key]?[m] != nil {
                    throw LandWatchError.data("\(input.label) feature \(f.fid): a second dustfall value for station \(station) in \(m) (one sample a month)")
                }
                series.monthly[key, default: [:]][m] = value
            }
        }
        var warnings: [String] = []
        if blank > 0 { warnings.append("\(input.label): \(blank) blank \(blank == 1 ? "value" : "values") left out (missing, never 0)") }
        if !unknownStations.isEmpty {
            warnings.append("\(input.label): \(unknownStations.values.reduce(0, +)) readings of stations not in the stations layer skipped: "
                + unknownStations.keys.sorted().joined(separator: ", "))
        }
        if !unknownPollutants.isEmpty {
            warnings.append("\(input.label): \(unknownPollutants.values.reduce(0, +)) readings of other pollutants skipped: "
                + unknownPollutants.keys.sorted().joined(separator: ", ") + " (known: pm25, pm10, tsp, dustfall)")
        }
        return (series, warnings)
    }

    /// The value, nil when blank; refused when not a number or negative.
    private static func number(_ f: Feature, input: VectorInput) throws -> Double? {
        let raw = f["value"] ?? .null
        let value: Double?
        switch raw {
        case .null: return nil
        case .integer(let i): value = Double(i)
        case .real(let d): value = d
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return nil }
            value = Double(t)
        }
        guard let value, value.isFinite, value >= 0 else {
            throw LandWatchError.data("\(input.label) feature \(f.fid) field \"value\": \"\(raw.description)\" is not a concentration (a number, 0 or more)")
        }
        return value
    }

    /// The day and, for a date-time, its hour: `2026-10-08`, `2026-10-08T09:00`, `2026-10-08 09`,
    /// `2026/10/08 09:00:00+08` (GDAL's form).
    static func time(_ text: String) -> (Day, Int?)? {
        let t = text.replacingOccurrences(of: "/", with: "-")
        guard t.count >= 10, let day = Day(String(t.prefix(10))) else { return nil }
        let rest = t.dropFirst(10)
        if rest.isEmpty { return (day, nil) }
        guard rest.first == "T" || rest.first == " ", let hour = Int(rest.dropFirst().prefix(2)), (0...23).contains(hour),
              rest.dropFirst().prefix(2).count == 2 else { return nil }
        return (day, hour)
    }
}
