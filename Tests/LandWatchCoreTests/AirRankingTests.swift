import Foundation
import GDALKit
import LandWatchCore
import Testing
import TestSupport

/// The town air ranking against the independent pandas reference, and GB 3095-2012's validity
/// rules at their edges on hand-made readings.
@Suite struct AirRankingTests {
    func compute(_ readings: String, stations: String, month: String, options: (inout AirOptions) -> Void = { _ in }) throws -> AirResult {
        var o = AirOptions(month: Month(month)!)
        options(&o)
        let zones = try Zones.load(LayerSource(path: Fixtures.data("daxing_towns.gpkg")), field: nil, options: .landWatch())
        return try AirRanking.compute(readings: VectorInput(LayerSource(path: readings), options: AirRanking.readingsOptions(.landWatch())),
                                      stations: VectorInput(LayerSource(path: stations), options: .landWatch()), zones: zones, options: o)
    }

    /// Every figure of October 2026 on the sample (Benchmarks/reference/air_reference.py: pandas
    /// on the same files, the same rules written out apart); figures to 1e-9, ranks exactly.
    @Test func theSampleMonthMatchesThePandasReference() throws {
        let result = try compute(Fixtures.data("air_readings.csv"), stations: Fixtures.data("air_stations.csv"), month: "2026-10")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.root
            .appendingPathComponent("Benchmarks/reference/air_reference.json"))) as? [[String: Any]])
        #expect(result.rows.count == reference.count && result.warnings.isEmpty)
        for (row, ref) in zip(result.rows, reference) {
            let label = "\(row.zone) \(row.pollutant.rawValue)"
            #expect(row.zone == ref["zone"] as? String && row.pollutant.rawValue == ref["pollutant"] as? String, "\(label)")
            #expect(row.stations == ref["stations"] as? Int && row.validDays == ref["valid_days"] as? Int && row.valid == ref["valid"] as? Bool, "\(label)")
            #expect(row.rank == ref["rank"] as? Int && row.ytdRank == ref["ytd_rank"] as? Int, "\(label) ranks \(row.rank as Any) \(row.ytdRank as Any)")
            for (mine, key) in [(row.mean, "mean"), (row.prevMonth, "prev_month"), (row.momPct, "mom_pct"), (row.lastYear, "last_year"),
                                (row.yoyPct, "yoy_pct"), (row.ytdMean, "ytd_mean"), (row.target, "target")] {
                let theirs = ref[key] as? Double
                #expect((mine == nil) == (theirs == nil), "\(label) \(key)")
                if let mine, let theirs { #expect(abs(mine - theirs) <= 1e-9 * max(1, abs(theirs)), "\(label) \(key): \(mine) vs \(theirs)") }
            }
            #expect(row.overTarget == ref["over_target"] as? Bool, "\(label) over_target")
        }
        // A target is compared with the figure as printed: 魏善庄镇's PM2.5, 35.047 (the reference's
        // mean), prints 35.0 and is not over a target of 35.
        let strict = try compute(Fixtures.data("air_readings.csv"), stations: Fixtures.data("air_stations.csv"), month: "2026-10") {
            $0.pollutants = [.pm25]
            $0.targets = [.pm25: 35]
        }
        #expect(strict.rows.first { $0.zone == "魏善庄镇" }.map { ($0.mean ?? 0) > 35 && $0.overTarget == false } == true)
        #expect(strict.rows.first { $0.zone == "兴丰街道" }?.overTarget == true)
        // What the sample plants: 采育镇 short of days in October, 礼贤镇's dustfall over 5.1.
        #expect(result.rows.filter { !$0.valid }.map { "\($0.zone) \($0.pollutant.rawValue) \($0.validDays ?? -1)" } == ["采育镇 pm25 24", "采育镇 pm10 24"])
        #expect(result.rows.filter { $0.overTarget == true }.map(\.zone) == ["礼贤镇"])
    }

    /// Hand-made readings at the rules' edges: a day counts from 20 hours (19 do not), a month
    /// from 27 valid days (25 in February), TSP from 5 days; a zone column wins over the position,
    /// with a warning; blank values are missing, never 0; ties share a rank.
    @Test func validityAtTheEdges() throws {
        let dir = Fixtures.temporaryDirectory("air")
        // Two stations in 黄村镇's polygon; B is assigned to 旧宫镇 by its zone column.
        let huangcun = try #require(try Zones.load(LayerSource(path: Fixtures.data("daxing_towns.gpkg")), field: nil, options: .landWatch())
            .zones.first { $0.name == "黄村镇" })
        // Zones are read into lon/lat (CGCS2000, within centimetres of WGS84 here).
        let at = try huangcun.geometry.pointOnSurface().shape.coordinates[0]
        try "station,zone,lon,lat\nA,,\(at.x),\(at.y)\nB,旧宫镇,\(at.x),\(at.y)\n".write(toFile: dir + "/stations.csv", atomically: true, encoding: .utf8)
        var csv = "station,time,pollutant,value\n"
        // February 2026 (28 days): A has 25 days of 20 hours (valid), B 24 days of 20 hours and one of 19 (invalid).
        for day in 1...25 {
            for hour in 0..<20 { csv += "A,2026-02-\(String(format: "%02d", day))T\(String(format: "%02d", hour)):00,pm25,40\n" }
            for hour in 0..<(day == 25 ? 19 : 20) { csv += "B,2026-02-\(String(format: "%02d", day)) \(String(format: "%02d", hour)),pm25,40\n" }
        }
        // TSP: A 5 days (valid), B 4 days (invalid); a blank value is not a day.
        for day in 1...5 { csv += "A,2026-02-0\(day),tsp,100\n" }
        for day in 1...4 { csv += "B,2026-02-0\(day),tsp,100\n" }
        csv += "B,2026-02-05,tsp,\n"
        try csv.write(toFile: dir + "/readings.csv", atomically: true, encoding: .utf8)
        let r = try compute(dir + "/readings.csv", stations: dir + "/stations.csv", month: "2026-02") { $0.pollutants = [.pm25, .tsp] }
        func row(_ zone: String, _ p: Pollutant) -> AirRow? { r.rows.first { $0.zone == zone && $0.pollutant == p } }
        #expect(row("黄村镇", .pm25)?.mean == 40 && row("黄村镇", .pm25)?.validDays == 25 && row("黄村镇", .pm25)?.rank == 1)
        #expect(row("旧宫镇", .pm25)?.valid == false && row("旧宫镇", .pm25)?.validDays == 24 && row("旧宫镇", .pm25)?.rank == nil)
        #expect(row("黄村镇", .tsp)?.mean == 100 && row("旧宫镇", .tsp)?.valid == false && row("旧宫镇", .tsp)?.validDays == 4)
        // Zones without stations are listed, never ranked, never 0.
        #expect(row("礼贤镇", .pm25).map { !$0.valid && $0.stations == 0 && $0.mean == nil } == true)
        #expect(r.warnings.contains { $0.contains("stations assigned to the zone their \"zone\" column names, not the one they lie in (1)") && $0.contains("B (旧宫镇, inside 黄村镇)") })
        #expect(r.warnings.contains { $0.contains("1 blank value left out") })
        // March: 27 days needed; A's 26 are too few.
        var march = "station,time,pollutant,value\n"
        for day in 1...26 { march += "A,2026-03-\(String(format: "%02d", day)),pm25,30\n" }
        try march.write(toFile: dir + "/march.csv", atomically: true, encoding: .utf8)
        let m = try compute(dir + "/march.csv", stations: dir + "/stations.csv", month: "2026-03") { $0.pollutants = [.pm25] }
        #expect(m.rows.first { $0.zone == "黄村镇" }?.validDays == 26 && m.rows.allSatisfy { !$0.valid })
        // A month without any readings says so, rather than only "too few data" everywhere.
        let april = try compute(dir + "/march.csv", stations: dir + "/stations.csv", month: "2026-04") { $0.pollutants = [.pm25, .dustfall] }
        #expect(april.warnings.contains { $0.hasSuffix("no PM2.5, 降尘 readings in 2026-04: every zone is listed without a figure for them") })
    }

    /// GB/T 8170-2008 (四舍六入五成双): a 5 after the last kept digit goes to the even digit, and
    /// a mean of figures with 2 decimals that lands on a midpoint in floating point counts as it.
    @Test func figuresAreRoundedByGBT8170() {
        #expect(AirRanking.revised(4.125, decimals: 2) == 4.12 && AirRanking.revised(4.135, decimals: 2) == 4.14)
        #expect(AirRanking.revised(41.25, decimals: 1) == 41.2 && AirRanking.revised(41.35, decimals: 1) == 41.4)
        // (4.12 + 4.13) / 2 is 4.125 within float noise.
        #expect(AirRanking.revised((4.12 + 4.13) / 2, decimals: 2) == 4.12)
        #expect(AirRanking.revised(4.1251, decimals: 2) == 4.13 && AirRanking.revised(4.1249, decimals: 2) == 4.12)
    }

    @Test func badReadingsAreRefusedNamingTheFeatureAndField() throws {
        let dir = Fixtures.temporaryDirectory("air-bad")
        try "station,lon,lat\nA,116.33,39.72\n".write(toFile: dir + "/s.csv", atomically: true, encoding: .utf8)
        try "station,time,pollutant,value\nA,2026-10-01,pm25,12\nA,2026-10-02,pm25,n/a\n".write(toFile: dir + "/r.csv", atomically: true, encoding: .utf8)
        let bad = #expect(throws: LandWatchError.self) { try compute(dir + "/r.csv", stations: dir + "/s.csv", month: "2026-10") }
        #expect(bad?.description == "\"\(dir)/r.csv\" layer \"r\" feature 2 field \"value\": \"n/a\" is not a concentration (a number, 0 or more)")
        try "station,time,pollutant,value\nA,2026-10-01,dustfall,4\nA,2026-10-20,dustfall,5\n".write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
        let twice = #expect(throws: LandWatchError.self) { try compute(dir + "/d.csv", stations: dir + "/s.csv", month: "2026-10") }
        #expect(twice?.description.contains("a second dustfall value for station A in 2026-10") == true)
        try "station,time,pollutant,value\nA,10/01/2026,pm25,4\n".write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        let time = #expect(throws: LandWatchError.self) { try compute(dir + "/t.csv", stations: dir + "/s.csv", month: "2026-10") }
        #expect(time?.description.contains("feature 1 field \"time\": \"10/01/2026\" is not a date") == true)
    }
}
