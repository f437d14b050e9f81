import GDALKit
import LandWatchCore
import LandWatchLedger

/// Bare land on plots as a table (the bulletin, the workbook) and as GIS features.
extension ConstructionOnPlots {
    /// One row per (plot, entry), new patches on high-risk plots first; construction sites flagged.
    public func table() -> Table {
        var t = Table(title: "bare land on contaminated and suspected plots", zh: "污染及疑似污染地块上的裸地", columns: [
            Column("plot", en: "Plot", zh: "地块"), Column("list", en: "List", zh: "名录"), Column("risk", en: "Risk", zh: "风险等级"),
            Column("patch", en: "Ledger entry", zh: "台账编号", nullText: ("(no ledger)", "(无台账)")), Column("class", en: "Class", zh: "类型"),
            Column("construction", en: "Construction", zh: "施工"),
            Column("overlap_m2", en: "Bare land (m²)", zh: "裸地面积(m²)", decimals: 2),
            Column("plot_share_pct", en: "Share of plot (%)", zh: "占地块比例(%)", decimals: 2),
            Column("first_seen", en: "First seen", zh: "首次发现"), Column("new", en: "New this month", zh: "本月新增"),
        ])
        t.rows = rows.map { r in
            [.text(r.plot), r.layer == "suspected" ? .term("suspected", zh: "疑似污染地块") : .term("contaminated", zh: "污染地块"),
             Cell(r.risk), Cell(r.patch), Cell(r.className), .flag(r.isConstruction), .number(r.overlap), .number(r.plotShare),
             Cell(r.firstSeen?.description), r.isNew.map(Cell.flag) ?? .null]
        }
        return t
    }

    /// The bare land on each plot with exactly the keys `plot`, `risk`, `patch`, `class`,
    /// `overlap_m2`, `plot_share_pct`, `first_seen`, `new`.
    public func features() -> [OutputFeature] {
        rows.map { r in
            OutputFeature([("plot", .string(r.plot)), ("risk", r.risk.map(JSONValue.string) ?? .null),
                           ("patch", r.patch.map(JSONValue.string) ?? .null), ("class", r.className.map(JSONValue.string) ?? .null),
                           ("overlap_m2", .number(r.overlap, decimals: 2)), ("plot_share_pct", .number(r.plotShare, decimals: 4)),
                           ("first_seen", r.firstSeen.map { .string($0.description) } ?? .null), ("new", r.isNew.map(JSONValue.bool) ?? .null)],
                          geometry: r.geometry)
        }
    }
}
