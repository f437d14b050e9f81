import Foundation
import GDALKit

/// Coverage results as tables and features.
extension CoverageResult {
    static let zoneColumn = Column("zone", en: "Zone", zh: "镇街", nullText: ("(outside all zones)", "(区外)"))
    static let classColumn = Column("class", en: "Class", zh: "类型", nullText: ("(all)", "(合计)"))
    static let zoneAreaColumn = Column("zone_area_m2", en: "Zone area (m²)", zh: "辖区面积(m²)", decimals: 2)
    static let areaColumns = [
        Column("area_m2", en: "Area (m²)", zh: "面积(m²)", decimals: 2),
        Column("area_mu", en: "Area (mu)", zh: "面积(亩)", decimals: 3),
        Column("area_ha", en: "Area (ha)", zh: "面积(公顷)", decimals: 4),
        Column("coverage_pct", en: "Coverage (%)", zh: "覆盖率(%)", decimals: 4),
    ]

    /// The rows ranked: highest coverage (or count, for points) first, ties by zone order; the
    /// outside row last.
    public var rankedZoneRows: [CoverageRow] {
        let inside = rows.filter { $0.zone != nil }
        let order = Dictionary(uniqueKeysWithValues: zones.zones.map { ($0.name, $0.index) })
        let key: (CoverageRow) -> Double = kind == .points ? { $0.count } : { $0.coveragePct ?? 0 }
        return inside.sorted {
            key($0) != key($1) ? key($0) > key($1) : (order[$0.zone!] ?? 0) < (order[$1.zone!] ?? 0)
        } + rows.filter { $0.zone == nil }
    }

    /// The JSON/flat table: one row per zone (and per zone and class with a class field).
    public func table(hasValue: Bool = false) -> Table {
        var columns = [Self.zoneColumn]
        if !classes.isEmpty { columns.append(Self.classColumn) }
        switch kind {
        case .points:
            columns += [Self.zoneAreaColumn, Column("count", en: "Points", zh: "点数", decimals: 0),
                        Column("density_km2", en: "Per km²", zh: "密度(个/km²)", decimals: 4)]
            if hasValue {
                columns += [Column("mean", en: "Mean", zh: "均值", decimals: 4), Column("max", en: "Max", zh: "最大值", decimals: 4)]
            }
        case .polygons, .raster:
            columns += [Self.zoneAreaColumn,
                        Column("count", en: kind == .raster ? "Pixels" : "Patches", zh: kind == .raster ? "像元数" : "图斑数",
                               decimals: kind == .raster ? 4 : 0),
                        Column("touching", en: "Touching", zh: "涉及图斑数", decimals: 0)] + Self.areaColumns
        }
        var out = Table(title: "coverage", zh: "覆盖统计", columns: columns)
        let byZone = Dictionary(grouping: classRows, by: { $0.zone ?? "" })
        for row in rankedZoneRows {
            if !classes.isEmpty {
                for c in byZone[row.zone ?? ""] ?? [] { out.rows.append(cells(c, classKey: true)) }
            }
            out.rows.append(cells(row, classKey: !classes.isEmpty))
        }
        return out
    }

    private func cells(_ r: CoverageRow, classKey: Bool) -> [Cell] {
        var cells: [Cell] = [Cell(r.zone)]
        if classKey { cells.append(Cell(r.className)) }
        cells.append(r.zoneArea.map(Cell.number) ?? .null)
        switch kind {
        case .points:
            cells += [.int(Int(r.count)), r.density.map(Cell.number) ?? .null]
            if r.mean != nil || r.max != nil || rows.contains(where: { $0.mean != nil }) {
                cells += [r.mean.map(Cell.number) ?? .null, r.max.map(Cell.number) ?? .null]
            }
        case .polygons, .raster:
            cells.append(kind == .raster ? .number(r.count) : .int(Int(r.count)))
            cells.append(r.touching.map(Cell.int) ?? .null)
            if let area = r.area {
                cells += [.number(area), .number(area / AreaUnit.squareMetresPerMu),
                          .number(area / AreaUnit.squareMetresPerHectare), r.coveragePct.map(Cell.number) ?? .null]
            } else {
                cells += [.null, .null, .null, .null]
            }
        }
        return cells
    }

    /// The pivot for people: zones down, classes across (area in 亩), with totals.
    public func pivot() -> Table {
        var columns = [Column("zone", en: "Zone", zh: "镇街", nullText: ("Total", "合计"))]
        columns += classes.map { Column($0, en: $0, zh: $0, decimals: 3) }
        columns.append(Column("total", en: "Total (mu)", zh: "合计(亩)", decimals: 3))
        var out = Table(title: "coverage by class (mu)", zh: "分类面积(亩)", columns: columns)
        let byZone = Dictionary(grouping: classRows.filter { $0.zone != nil }, by: { $0.zone! })
        var columnTotals = Array(repeating: 0.0, count: classes.count + 1)
        for row in rankedZoneRows where row.zone != nil {
            let values = classes.map { c in (byZone[row.zone!]?.first { $0.className == c }?.area ?? 0) / AreaUnit.squareMetresPerMu }
            let total = (row.area ?? 0) / AreaUnit.squareMetresPerMu
            for (i, v) in (values + [total]).enumerated() { columnTotals[i] += v }
            out.rows.append([Cell(row.zone)] + values.map(Cell.number) + [.number(total)])
        }
        out.rows.append([.null] + columnTotals.map(Cell.number))
        return out
    }

    /// Each feature cut by the zone borders: one feature per (feature, zone) piece.
    public func pieceFeatures() -> [OutputFeature] {
        pieces.map { p in
            OutputFeature([("fid", .int(Int(p.fid))), ("zone", .string(zones.zones[p.zone].name)),
                           ("class", p.className.map(JSONValue.string) ?? .null),
                           ("area_m2", .number(p.area, decimals: 2)),
                           ("area_mu", .number(p.area / AreaUnit.squareMetresPerMu, decimals: 3))],
                          geometry: p.geometry)
        }
    }

    /// The zone polygons carrying their row's values, for a choropleth.
    public func zoneFeatures(hasValue: Bool = false) -> [OutputFeature] {
        let t = table(hasValue: hasValue)
        let totals = t.rows.filter { classes.isEmpty || $0[1] == .null }
        return zones.zones.map { zone in
            let row = totals.first { $0[0] == .text(zone.name) } ?? []
            let props = zip(t.columns, row).filter { $0.0.key != "class" }.map { ($0.0.key, $0.1.json(decimals: $0.0.decimals)) }
            return OutputFeature(props, geometry: zone.geometry)
        }
    }
}
