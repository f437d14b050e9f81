import Foundation
import GDALKit
import LandWatchCore

/// Town air quality for thirteen months (2025-10 to 2026-10), so that 同比 exists: a station per
/// town and street at its seat; PM2.5 and PM10 as daily means up to August and hourly in the
/// last two months (as the monitoring platform exports them), TSP every third day, dustfall
/// (降尘) once a month. Planted: 采育镇's station misses hours on seven days of October (too few
/// valid days for the month), and 礼贤镇's dustfall is over the plan's 5.1 t/(km²·30 d) in
/// October. Drawn from a random stream of its own, so that the other layers stay as they were.
extension SampleBuilder {
    static let airMonths = (first: "2025-10", last: "2026-10", hourlyFrom: "2026-09")
    static let thinTown = "采育镇"
    static let dustyTown = "礼贤镇"

    func makeAir() throws -> (stations: [SampleDistrict.Station], readings: String) {
        var random = SeededRandom(seed: options.seed ^ 0xA1A1_2026)
        let stations = try towns.enumerated().map { k, town in
            SampleDistrict.Station(id: String(format: "S%02d", k + 1), name: town.name + "站",
                                   position: try town.geometry.pointOnSurface().shape.coordinates[0], town: town.name)
        }
        // Each town's level relative to the district: the north (urban) dustier.
        let level = stations.map { _ in random.uniform(0.8, 1.25) }
        var csv = "station,time,pollutant,value\n"
        var day = Day(Self.airMonths.first + "-01")!
        let end = Month(Self.airMonths.last)!.lastDay, hourlyFrom = Month(Self.airMonths.hourlyFrom)!.firstDay
        while day <= end {
            // The district's weather: a winter season and a day-to-day factor shared by all towns.
            let month = Int(day.description.dropFirst(5).prefix(2))!
            let season = [1: 1.5, 2: 1.35, 3: 1.15, 4: 0.95, 5: 0.85, 6: 0.75, 7: 0.7, 8: 0.7, 9: 0.8, 10: 1.0, 11: 1.3, 12: 1.5][month]!
            let weather = random.logNormal(median: 1, sigma: 0.35)
            for (k, s) in stations.enumerated() {
                let pm25 = 32 * season * weather * level[k]
                if day < hourlyFrom {
                    csv += "\(s.id),\(day),pm25,\(Self.fixed(pm25 * random.logNormal(median: 1, sigma: 0.08), 1))\n"
                    csv += "\(s.id),\(day),pm10,\(Self.fixed(pm25 * 1.6 * random.logNormal(median: 1, sigma: 0.08), 1))\n"
                } else {
                    let thin = s.town == Self.thinTown && day.description.hasPrefix("2026-10") && (5...11).contains(Int(day.description.suffix(2))!)
                    for hour in 0..<24 where !(thin && hour % 3 == 0) && !random.chance(0.02) {
                        let diurnal = 1 + 0.25 * cos(Double(hour - 21) / 24 * 2 * .pi)
                        let value = pm25 * diurnal * random.logNormal(median: 1, sigma: 0.15)
                        csv += "\(s.id),\(day)T\(String(format: "%02d", hour)):00,pm25,\(Self.fixed(value, 1))\n"
                        csv += "\(s.id),\(day)T\(String(format: "%02d", hour)):00,pm10,\(Self.fixed(value * 1.6 * random.logNormal(median: 1, sigma: 0.1), 1))\n"
                    }
                }
                if Int(day.description.suffix(2))! % 3 == 1 {
                    csv += "\(s.id),\(day),tsp,\(Self.fixed(pm25 * 2.9 * random.logNormal(median: 1, sigma: 0.12), 1))\n"
                }
                if day.description.hasSuffix("-15") {
                    let dusty = s.town == Self.dustyTown && day.description.hasPrefix("2026-10")
                    let dust = dusty ? 5.8 : (3.3 + 3 * (level[k] - 0.8)) * random.logNormal(median: 1, sigma: 0.04)
                    csv += "\(s.id),\(day),dustfall,\(Self.fixed(dust, 2))\n"
                }
            }
            day = day.adding(days: 1)
        }
        return (stations, csv)
    }

    static func fixed(_ v: Double, _ decimals: Int) -> String { FixedPoint.format(v, decimals: decimals) }
}
