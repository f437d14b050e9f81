/// The air ranking as tables: one table with a row per zone and pollutant (JSON, CSV: the keys
/// exactly), or a ranked block per pollutant with ▲▼ against last month (text, Markdown, XLSX,
/// the bulletin).
extension AirResult {
    static let headers: [(key: String, en: String, zh: String)] = [
        ("zone", "Zone", "镇街"), ("pollutant", "Pollutant", "污染物"), ("stations", "Stations", "站点数"),
        ("valid_days", "Valid days", "有效天数"), ("valid", "Valid", "有效"), ("mean", "Mean", "浓度"), ("rank", "Rank", "排名"),
        ("prev_month", "Last month", "上月浓度"), ("mom_pct", "vs last month (%)", "环比(%)"), ("last_year", "Last year", "去年同期"),
        ("yoy_pct", "vs last year (%)", "同比(%)"), ("ytd_mean", "Year to date", "累计浓度"), ("ytd_rank", "YTD rank", "累计排名"),
        ("target", "Target", "目标"), ("over_target", "Over target", "超标"),
    ]

    /// Every row (figures at 2 decimals, rounded by GB/T 8170), with exactly the keys `zone`, `pollutant`, `stations`, `valid_days`, `valid`,
    /// `mean`, `rank`, `prev_month`, `mom_pct`, `last_year`, `yoy_pct`, `ytd_mean`, `ytd_rank`,
    /// `target`, `over_target`.
    public func table() -> Table {
        var t = Table(title: "air quality ranking", zh: "空气质量排名", columns: AirResult.headers.map { h in
            Column(h.key, en: h.en, zh: h.zh, decimals: ["stations", "valid_days", "rank", "ytd_rank"].contains(h.key) ? 0 : 2)
        })
        t.rows = rows.map { r in
            [.text(r.zone), .text(r.pollutant.rawValue), .int(r.stations), r.validDays.map(Cell.int) ?? .null, .flag(r.valid),
             AirResult.figure(r.mean, 2), r.rank.map(Cell.int) ?? .null, AirResult.figure(r.prevMonth, 2), AirResult.figure(r.momPct, 2),
             AirResult.figure(r.lastYear, 2), AirResult.figure(r.yoyPct, 2), AirResult.figure(r.ytdMean, 2),
             r.ytdRank.map(Cell.int) ?? .null, AirResult.figure(r.target, 2), r.overTarget.map(Cell.flag) ?? .null]
        }
        return t
    }

    /// One ranked block per pollutant, the change against last month as ▲▼.
    public func blocks() -> [Table] {
        options.pollutants.map { p in
            let d = p.decimals
            var t = Table(title: "\(p.label) ranking", zh: "\(p.label)排名", columns: [
                Column("zone", en: "Zone", zh: "镇街"), Column("stations", en: "Stations", zh: "站点数", decimals: 0),
                Column("valid_days", en: "Valid days", zh: "有效天数", decimals: 0),
                Column("mean", en: "\(p.label) (\(p.unit))", zh: "\(p.label)浓度(\(p.unit))", decimals: d, nullText: ("too few data", "数据不足")),
                Column("change", en: "vs last month", zh: "较上月"), Column("rank", en: "Rank", zh: "排名", decimals: 0),
                Column("mom_pct", en: "vs last month (%)", zh: "环比(%)", decimals: 1), Column("yoy_pct", en: "vs last year (%)", zh: "同比(%)", decimals: 1),
                Column("ytd_mean", en: "Year to date", zh: "累计浓度", decimals: d), Column("ytd_rank", en: "YTD rank", zh: "累计排名", decimals: 0),
                Column("target", en: "Target", zh: "目标", decimals: d), Column("over_target", en: "Over target", zh: "超标"),
            ])
            t.rows = rows.filter { $0.pollutant == p }.map { r in
                [.text(r.zone), .int(r.stations), r.validDays.map(Cell.int) ?? .null, AirResult.figure(r.mean, d),
                 .text(r.mean.map { FixedPoint.arrow(AirRanking.revised($0, decimals: d), r.prevMonth.map { AirRanking.revised($0, decimals: d) },
                                                   decimals: d) } ?? ""), r.rank.map(Cell.int) ?? .null,
                 AirResult.figure(r.momPct, 1), AirResult.figure(r.yoyPct, 1), AirResult.figure(r.ytdMean, d),
                 r.ytdRank.map(Cell.int) ?? .null, AirResult.figure(r.target, d), r.overTarget.map(Cell.flag) ?? .null]
            }
            return t
        }
    }

    /// A figure rounded by GB/T 8170 at `decimals`; null when missing.
    static func figure(_ v: Double?, _ decimals: Int) -> Cell { v.map { .number(AirRanking.revised($0, decimals: decimals)) } ?? .null }
}
