import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger

/// The monthly bulletin (排名通报) and the files for GIS staff: one self-contained HTML page with
/// inline SVG maps and the ranking tables, the same tables as XLSX, RFC 7946 GeoJSON, and a
/// manifest to reproduce and audit the run.
public enum Bulletin {
    /// Writes everything into `folder`; returns the file names written, in order.
    /// A folder holding another month's bulletin is refused: its files would stand next to this
    /// month's as if they belonged to it.
    public static func write(_ r: MonthlyResults, job: MonthlyJob, language: Language, to folder: String) throws -> [String] {
        try checkFolder(folder, month: r.month)
        try AtomicFile.makeFolder(folder)
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        var written: [String] = []
        let crs = r.zones.crs
        if let c = r.coverage {
            try FeatureWriter.write(c.pieceFeatures(), crs: crs, to: path("coverage_pieces.geojson"))
            try FeatureWriter.write(c.zoneFeatures(), crs: crs, to: path("towns.geojson"))
            written += ["coverage_pieces.geojson", "towns.geojson"]
        }
        if let open = r.ledgerOpen {
            try FeatureWriter.write(open.1, crs: try .wgs84, to: path("ledger_open.geojson"))
            written.append("ledger_open.geojson")
        }
        if let o = r.overlap {
            let (pieces, lines) = o.features()
            try FeatureWriter.write(pieces, crs: o.crs, to: path("overlap.geojson"))
            try FeatureWriter.write(lines, crs: o.crs, to: path("overlap_lines.geojson"))
            written += ["overlap.geojson", "overlap_lines.geojson"]
        }
        if let c = r.construction {
            try FeatureWriter.write(c.features(), crs: crs, to: path("construction_on_plots.geojson"))
            written.append("construction_on_plots.geojson")
        }
        if let h = r.hotspots {
            let (cells, members) = try h.cellFeatures()
            try FeatureWriter.write(cells, crs: try .wgs84, to: path("hotspot_cells.geojson"), members: members)
            try FeatureWriter.write(h.clusterFeatures(), crs: try .wgs84, to: path("hotspot_clusters.geojson"))
            written += ["hotspot_cells.geojson", "hotspot_clusters.geojson"]
        }
        let tables = self.tables(r, language)
        if !tables.isEmpty {
            try TableWriter.write(tables, format: .xlsx, language: language, to: path("bulletin.xlsx"))
            written.append("bulletin.xlsx")
        }
        try AtomicFile.write(try html(r, job: job, language: language), to: path("bulletin.html"))
        written.append("bulletin.html")
        try AtomicFile.write(try manifest(r, job: job, language: language, outputs: written), to: path("manifest.json"))
        written.append("manifest.json")
        return written
    }

    /// Refuses a file for a folder, and a folder holding another month's bulletin; `run` asks
    /// before it starts.
    public static func checkFolder(_ folder: String, month: Month) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw AtomicFile.notAFolder(folder)
        }
        let manifest = (folder as NSString).appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifest),
              let other = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["month"] as? String,
              other != month.description else { return }
        throw LandWatchError.usage("\"\(folder)\" holds the bulletin of \(other): write the bulletin of \(month) to another folder (\(Setting.outFolder))")
    }

    /// The tables of the bulletin, as the commands give them.
    static func tables(_ r: MonthlyResults, _ language: Language) -> [Table] {
        var out: [Table] = []
        if let rows = r.ledgerReport { out.append(ranking(rows, previous: r.previousLedgerReport ?? [], language)) }
        if let c = r.coverage {
            out += [coverageRanking(c, previous: r.previousCoverage)] + (c.classes.isEmpty ? [] : [c.pivot()]) + [c.table()]
        }
        if let rows = r.ledgerReport { out.append(LedgerQueries.reportTable(rows)) }
        if let o = r.overlap { out += [o.pairTable(), o.summaryTable()] }
        if let c = r.construction { out.append(c.table()) }
        if let h = r.hotspots { out.append(h.table()) }
        if let a = r.air { out += a.blocks() }
        return out
    }

    // MARK: Ranking with arrows

    /// The town ranking: what each town carries, this month against last.
    static func ranking(_ rows: [LedgerQueries.ReportRow], previous: [LedgerQueries.ReportRow], _ language: Language) -> Table {
        let before = Dictionary(previous.map { ($0.group ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        var t = Table(title: "ranking", zh: "排名", columns: [
            Column("rank", en: "Rank", zh: "排名", decimals: 0),
            Column("zone", en: "Town", zh: "镇街", nullText: ("(outside all zones)", "(区外)")),
            Column("open_end", en: "Open patches", zh: "在账图斑", decimals: 0), Column("open_change", en: "vs last month", zh: "较上月"),
            Column("open_area_mu", en: "Area (mu)", zh: "面积(亩)", decimals: 1), Column("area_change", en: "vs last month", zh: "较上月"),
            Column("opened", en: "Opened", zh: "新增", decimals: 0), Column("closed", en: "Closed", zh: "销账", decimals: 0),
            Column("relapsed", en: "Relapsed", zh: "反弹", decimals: 0), Column("overdue", en: "Overdue", zh: "超期", decimals: 0),
            Column("closure_rate_pct", en: "Closure rate (%)", zh: "销账率(%)", decimals: 1),
        ])
        // Towns are ranked; what lies outside all zones is listed last, without a rank.
        let towns = rows.filter { $0.group != nil }
        for (i, r) in (towns + rows.filter { $0.group == nil }).enumerated() {
            let b = before[r.group ?? ""]
            let area = r.openArea / AreaUnit.squareMetresPerMu
            t.rows.append([r.group == nil ? .null : .int(i + 1), Cell(r.group), .int(r.openEnd), .text(FixedPoint.arrow(Double(r.openEnd), b.map { Double($0.openEnd) }, decimals: 0)),
                           .number(area), .text(FixedPoint.arrow(area, b.map { $0.openArea / AreaUnit.squareMetresPerMu }, decimals: 1)),
                           .int(r.opened), .int(r.closed), .int(r.relapsed), .int(r.overdue), r.closureRate.map(Cell.number) ?? .null])
        }
        return t
    }

    /// Towns ranked by bare-land coverage, this month against last.
    static func coverageRanking(_ c: CoverageResult, previous: CoverageResult?) -> Table {
        let before = Dictionary((previous?.rows ?? []).compactMap { r in r.zone.map { ($0, r.coveragePct ?? 0) } }, uniquingKeysWith: { a, _ in a })
        var t = Table(title: "coverage ranking", zh: "裸地覆盖排名", columns: [
            Column("rank", en: "Rank", zh: "排名", decimals: 0),
            Column("zone", en: "Town", zh: "镇街", nullText: ("(outside all zones)", "(区外)")),
            Column("count", en: "Patches", zh: "图斑数", decimals: 0), Column("area_mu", en: "Area (mu)", zh: "面积(亩)", decimals: 1),
            Column("coverage_pct", en: "Coverage (%)", zh: "覆盖率(%)", decimals: 3), Column("change", en: "vs last month", zh: "较上月"),
        ])
        for (i, row) in c.rankedZoneRows.enumerated() {
            let pct = row.coveragePct
            t.rows.append([row.zone == nil ? .null : .int(i + 1), Cell(row.zone), .int(Int(row.count)),
                           row.area.map { .number($0 / AreaUnit.squareMetresPerMu) } ?? .null, pct.map(Cell.number) ?? .null,
                           .text(pct.map { p in FixedPoint.arrow(p, row.zone.flatMap { before[$0] }, decimals: 3) } ?? "")])
        }
        return t
    }

    // MARK: HTML

    static func text(_ en: String, _ zh: String, _ l: Language) -> String { l == .zh ? zh : en }

    static func tableHTML(_ t: Table, _ l: Language) -> String {
        var s = "<table><thead><tr>" + t.columns.map { "<th>\(Markup.escape($0.header(l)))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in t.rows {
            s += "<tr>" + zip(t.columns, row).map { c, cell -> String in
                let v = c.text(cell, l)
                let cls = v.hasPrefix("▲") ? " class=\"up\"" : v.hasPrefix("▼") ? " class=\"down\"" : cell.isNumeric ? " class=\"num\"" : ""
                return "<td\(cls)>\(Markup.escape(v))</td>"
            }.joined() + "</tr>\n"
        }
        return s + "</tbody></table>\n"
    }

    /// The bulletin as one page: its head (issuer, period, sources), then a section per step
    /// that ran, each a map and its table.
    static func html(_ r: MonthlyResults, job: MonthlyJob, language l: Language) throws -> String {
        let extent = r.zones.zones.reduce(Envelope.empty) { $0.union($1.geometry.envelope) }
        var sections: [String] = []
        if let c = r.coverage { sections.append(try coverageSection(c, r, extent, l)) }
        if let report = r.ledgerReport, let open = r.ledgerOpen { sections.append(try ledgerSection(report, open, r, extent, l)) }
        if let h = r.hotspots { sections.append(try hotspotSection(h, unit: job.config.vocs?.unit ?? "μg/m³", r, extent, l)) }
        if let o = r.overlap { sections.append(try overlapSection(o, r, extent, l)) }
        if let c = r.construction { sections.append(try constructionSection(c, r, extent, l)) }
        if let a = r.air { sections.append(try airSection(a, r, extent, l)) }
        return page(head: head(r, config: job.config, l), sections: sections, title: heading(r, l), l)
    }

    static func heading(_ r: MonthlyResults, _ l: Language) -> String {
        text("Land and air supervision bulletin, \(r.month)", "\(r.month.year)年\(r.month.month)月 土地与大气监管通报", l)
    }

    /// Who issues it, the period it covers, when, and from which data.
    static func head(_ r: MonthlyResults, config: RunConfig, _ l: Language) -> String {
        var lines: [(String, String)] = []
        if let issuer = config.issuer { lines.append((text("Issued by", "编制单位", l), issuer)) }
        lines.append((text("Period", "统计期", l), "\(r.month.firstDay) – \(r.month.lastDay)"))
        if let issued = config.issued { lines.append((text("Issued on", "发布日期", l), issued)) }
        let sources = r.inputs.map { (LayerSource(parsing: $0).redactedPath as NSString).lastPathComponent }
        lines.append((text("Data", "数据来源", l), sources.joined(separator: ", ")))
        return "<dl class=\"head\">" + lines.map { "<dt>\(Markup.escape($0.0))</dt><dd>\(Markup.escape($0.1))</dd>" }.joined() + "</dl>\n"
    }

    static func section(_ title: String, _ map: SVGMap, _ body: String) -> String {
        "<section><h2>\(Markup.escape(title))</h2>\n<figure class=\"map\">\n" + map.svg(title: title) + "</figure>\n" + body + "</section>\n"
    }

    /// Map 1: towns coloured by coverage as the table prints it (3 decimals), and the ranking.
    static func coverageSection(_ c: CoverageResult, _ r: MonthlyResults, _ extent: Envelope, _ l: Language) throws -> String {
        let table = coverageRanking(c, previous: r.previousCoverage)
        let decimals = table.columns.first { $0.key == "coverage_pct" }!.decimals
        var map = SVGMap(extent: extent)
        let pct = Dictionary(c.rows.compactMap { row in row.zone.map { ($0, row.coveragePct ?? 0) } }, uniquingKeysWith: { a, _ in a })
        let breaks = SVGMap.classes(Array(pct.values), decimals: decimals)
        try map.zones(r.zones, fill: { SVGMap.colour(pct[$0.name] ?? 0, breaks: breaks, decimals: decimals) })
        map.legend(text("Bare-land coverage (%)", "裸地覆盖率(%)", l), legendItems(breaks, decimals: decimals))
        return section(text("Bare land by town", "各镇街裸地覆盖率", l), map, tableHTML(table, l))
    }

    /// Map 2: towns coloured by the entries they carry, the overdue ones as small dots beneath
    /// the town names; the ranking.
    static func ledgerSection(_ report: [LedgerQueries.ReportRow], _ open: (Table, [OutputFeature]), _ r: MonthlyResults,
                              _ extent: Envelope, _ l: Language) throws -> String {
        var map = SVGMap(extent: extent)
        let carried = Dictionary(report.compactMap { row in row.group.map { ($0, Double(row.openEnd)) } }, uniquingKeysWith: { a, _ in a })
        let breaks = SVGMap.classes(Array(carried.values), decimals: 0)
        try map.zones(r.zones, fill: { SVGMap.colour(carried[$0.name] ?? 0, breaks: breaks, decimals: 0) })
        let overdueIndex = open.0.columns.firstIndex { $0.key == "overdue" }!
        for (row, f) in zip(open.0.rows, open.1) where row[overdueIndex] == .flag(true) {
            if let g = f.geometry { map.marker(try g.centroid().shape.coordinates[0], .dot("#08306b"), radius: 1.8, opacity: 0.55) }
        }
        map.legend(text("Open patches", "在账图斑", l),
                   legendItems(breaks, decimals: 0) + [(.dot("#08306b"), text("Overdue patch", "超期图斑", l))])
        return section(text("The ledger: what each town carries", "挂销账: 各镇街在账情况", l), map,
                       tableHTML(ranking(report, previous: r.previousLedgerReport ?? [], l), l))
    }

    /// Map 3: the hotspot clusters and their suspect enterprises (triangles, as in the legend).
    static func hotspotSection(_ h: HotspotResult, unit: String, _ r: MonthlyResults, _ extent: Envelope, _ l: Language) throws -> String {
        var map = SVGMap(extent: extent)
        try map.zones(r.zones, fill: { _ in "#f4f4f4" })
        for cl in h.clusters {
            try map.polygon(cl.geometry, fill: "#e31a1c", stroke: "#800026", width: 1)
            map.label("#\(cl.id)", at: cl.peak, size: 13, weight: "bold", dy: -8)
        }
        var drawn = Set<String>()
        for e in h.clusters.flatMap(\.sources) where drawn.insert(e.name).inserted {
            map.marker(e.position, .triangle("#111"), radius: 5)
            map.label(e.name, at: e.position, size: 10, dy: 16)
        }
        map.legend(text("VOCs hotspots", "VOCs高值区", l),
                   [(.box("#e31a1c"), text("Hotspot cluster (\(h.options.confidence)%)", "高值区(\(h.options.confidence)%置信)", l)),
                    (.triangle("#111"), text("Suspect enterprise", "疑似来源企业", l))])
        return section(text("VOCs survey hotspots and suspect enterprises", "走航VOCs高值区及疑似来源企业", l), map,
                       tableHTML(h.table(unit: unit), l) + "<p class=\"note\">\(Markup.escape(h.summary(l)))</p>\n")
    }

    /// Map 4: the plots near sensitive land as marked, numbered symbols (a plot is a few pixels
    /// at district scale), the land they touch or come near, the shortest lines.
    static func overlapSection(_ o: OverlapResult, _ r: MonthlyResults, _ extent: Envelope, _ l: Language) throws -> String {
        var map = SVGMap(extent: extent)
        try map.zones(r.zones, fill: { _ in "#f4f4f4" })
        let palette = ["#1f78b4", "#33a02c", "#6a3d9a", "#ff7f00", "#b15928"]
        let colours = Dictionary(uniqueKeysWithValues: o.classes.enumerated().map { ($1, palette[$0 % palette.count]) })
        for p in o.pairs { if let g = p.parcelGeometry { try map.polygon(g, fill: colours[p.className ?? ""] ?? "#999", stroke: "none") } }
        for p in o.pairs { if let line = p.line { try map.polygon(line, fill: "none", stroke: "#000", width: 1.2, attributes: " stroke-dasharray=\"3 2\"") } }
        for i in Set(o.pairs.map(\.plotIndex)).sorted() {
            let plot = o.plots[i]
            try map.polygon(plot.geometry, fill: "#8c510a", stroke: "#000", width: 0.8)
            let c = try plot.geometry.pointOnSurface().shape.coordinates[0]
            map.marker(c, .dot("#8c510a"), radius: 4)
            map.label(plot.plot, at: c, size: 10, dy: -7)
        }
        map.legend(text("Plots and sensitive land near them", "污染地块及周边敏感用地", l),
                   [(.dot("#8c510a"), text("Contaminated plot (id)", "污染地块(编号)", l)),
                    (.line("#000"), text("Shortest distance (within \(Int(o.options.within)) m)", "最近距离(\(Int(o.options.within))米内)", l))]
                   + o.classes.map { (.box(colours[$0]!), $0) })
        return section(text("Contaminated plots and sensitive land uses", "污染地块与敏感用地", l), map, tableHTML(o.pairTable(), l))
    }

    /// Map 5: bare land on contaminated and suspected plots, each plot a marked, numbered symbol
    /// (a triangle for a construction site), red when its patch is new this month; the table
    /// puts new patches on high-risk plots first.
    static func constructionSection(_ c: ConstructionOnPlots, _ r: MonthlyResults, _ extent: Envelope, _ l: Language) throws -> String {
        var map = SVGMap(extent: extent)
        try map.zones(r.zones, fill: { _ in "#f4f4f4" })
        let (new, earlier, unknown) = ("#e31a1c", "#fd8d3c", "#969696")
        var labelled = Set<String>()
        for row in c.rows.reversed() {
            let at = try row.geometry.pointOnSurface().shape.coordinates[0]
            let colour = row.isNew.map { $0 ? new : earlier } ?? unknown
            map.marker(at, row.isConstruction ? .triangle(colour) : .dot(colour), radius: 5)
            if labelled.insert(row.plot).inserted { map.label(row.plot, at: at, size: 10, dy: -8) }
        }
        map.legend(text("Bare land on plots", "地块上的裸地", l),
                   [(.dot(new), text("New this month", "本月新增", l)), (.dot(earlier), text("Seen before", "此前已发现", l)),
                    (.triangle("#111"), text("Construction site (施工工地)", "施工工地", l))]
                   + (c.rows.contains { $0.isNew == nil } ? [(.dot(unknown), text("No ledger", "无台账", l))] : []))
        return section(text("Bare land on contaminated and suspected plots", "污染及疑似污染地块上的裸地", l), map, tableHTML(c.table(), l))
    }

    /// Map 6: towns shaded by the first pollutant ranked (PM2.5 in the sample) as the table prints
    /// it, grey where the month is not valid, a red triangle beneath the name of each town over
    /// its dustfall target; then a ranked table per pollutant.
    static func airSection(_ a: AirResult, _ r: MonthlyResults, _ extent: Envelope, _ l: Language) throws -> String {
        var map = SVGMap(extent: extent)
        guard let shown = a.options.pollutants.first else { return "" }
        let rows = a.rows.filter { $0.pollutant == shown }
        let means = Dictionary(rows.compactMap { row in row.mean.map { (row.zone, $0) } }, uniquingKeysWith: { x, _ in x })
        let breaks = SVGMap.classes(Array(means.values), decimals: shown.decimals)
        let noData = "#d9d9d9"
        try map.zones(r.zones, fill: { means[$0.name].map { SVGMap.colour($0, breaks: breaks, decimals: shown.decimals) } ?? noData })
        let over = Set(a.rows.filter { $0.pollutant == .dustfall && $0.overTarget == true }.map(\.zone))
        for zone in r.zones.zones where over.contains(zone.name) {
            let c = try zone.geometry.pointOnSurface().shape.coordinates[0]
            map.marker(Coordinate(c.x, c.y - extent.height * 0.02), .triangle("#e31a1c"), radius: 6)
        }
        let target = a.options.target(.dustfall).map { FixedPoint.format($0, decimals: 2) } ?? ""
        map.legend(text("\(shown.label) (\(shown.unit))", "\(shown.label)浓度(\(shown.unit))", l),
                   legendItems(breaks, decimals: shown.decimals) + [(.box(noData), text("Too few valid days", "有效天数不足", l))]
                   + (over.isEmpty ? [] : [(.triangle("#e31a1c"), text("Dustfall over \(target)", "降尘超过\(target)", l))]))
        return section(text("Air quality by town, \(a.options.month)", "各镇街空气质量排名(\(a.options.month))", l), map,
                       a.blocks().map { tableHTML($0, l) }.joined())
    }

    /// The page, laid out for A4: sections flow across pages, a map and its caption never split,
    /// table headers repeated on each page.
    static func page(head: String, sections: [String], title: String, _ l: Language) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(l == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8"><title>\(Markup.escape(title))</title>
        <style>
        @page { size: A4; margin: 14mm 14mm 16mm; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0 auto; max-width: 182mm; color: #222; }
        h1 { font-size: 20pt; border-bottom: 3px solid #800026; padding-bottom: 4pt; margin-bottom: 6pt; }
        dl.head { display: grid; grid-template-columns: max-content auto; gap: 2pt 10pt; font-size: 9.5pt; margin: 0 0 10pt; }
        dl.head dt { color: #666; } dl.head dd { margin: 0; }
        h2 { font-size: 14pt; color: #800026; margin: 16pt 0 6pt; break-after: avoid; page-break-after: avoid; }
        figure.map { margin: 0; break-inside: avoid; page-break-inside: avoid; }
        figure.map svg { width: 100%; height: auto; border: 1px solid #ccc; max-height: 200mm; }
        table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 6pt 0; }
        thead { display: table-header-group; } tr { break-inside: avoid; page-break-inside: avoid; }
        th, td { border: 1px solid #ccc; padding: 2pt 4pt; } th { background: #f1e4e4; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.up { color: #c00; text-align: right; white-space: nowrap; } td.down { color: #080; text-align: right; white-space: nowrap; }
        .label { fill: #222; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
        .note { font-size: 8.5pt; color: #666; }
        </style></head><body>
        <h1>\(Markup.escape(title))</h1>
        \(head)\(sections.joined())
        </body></html>

        """
    }

    static func legendItems(_ breaks: [Double], decimals: Int) -> [(symbol: SVGMap.Symbol, text: String)] {
        guard !breaks.isEmpty else { return [] }
        let f = { (v: Double) in FixedPoint.format(v, decimals: decimals) }
        var items: [(symbol: SVGMap.Symbol, text: String)] = [(.box(SVGMap.ramp[0]), "< \(f(breaks[0]))")]
        for i in 1..<breaks.count { items.append((.box(SVGMap.ramp[i]), "\(f(breaks[i - 1])) – \(f(breaks[i]))")) }
        items.append((.box(SVGMap.ramp[breaks.count]), "≥ \(f(breaks[breaks.count - 1]))"))
        return items
    }

    // MARK: Manifest

    static func manifest(_ r: MonthlyResults, job: MonthlyJob, language: Language, outputs: [String]) throws -> String {
        let v = GDALRuntime.versions
        let inputs = try r.inputs.map { p -> [String: Any] in
            let source = LayerSource(parsing: p)
            guard !VectorInput.isDatabase(source.path) else { return ["path": source.redactedPath + (source.layer.map { "#" + $0 } ?? "")] }
            return ["path": p, "sha256": try FileDigest.sha256(source.path)]
        }
        let steps = r.steps.map { s -> [String: Any] in
            var d: [String: Any] = ["step": s.name, "seconds": (s.seconds * 1000).rounded() / 1000,
                                    "counts": Dictionary(s.counts, uniquingKeysWith: { a, _ in a })]
            if let note = s.note { d["note"] = note }
            return d
        }
        let config = try JSONSerialization.jsonObject(with: JSONEncoder().encode(job.config))
        let manifest: [String: Any] = [
            "month": r.month.description, "lang": language.rawValue,
            "versions": ["landwatch": LandWatchVersion.landwatch, "gdal": v.gdal, "geos": v.geos, "proj": v.proj],
            "config": config, "inputs": inputs, "steps": steps, "outputs": outputs,
        ]
        let data = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
