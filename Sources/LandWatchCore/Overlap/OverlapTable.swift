import Foundation
import GDALKit

/// Overlap results as tables and features.
extension OverlapResult {
    private func keptColumns(_ names: [String]) -> [Column] {
        names.map { Column($0, en: $0, zh: options.keepHeaders[$0] ?? $0, decimals: 4) }
    }

    private func keptCells(_ values: [FieldValue]) -> [Cell] {
        values.map { v in
            switch v {
            case .null: return .null
            case .integer(let i): return .int(Int(i))
            case .real(let d): return .number(d)
            case .string(let s): return .text(s)
            }
        }
    }

    /// One row per (plot, sensitive feature) pair.
    public func pairTable() -> Table {
        var columns = [
            Column("plot", en: "Plot", zh: "地块"), Column("parcel", en: "Parcel", zh: "敏感用地"),
            Column("class", en: "Class", zh: "用地类型"),
            Column("overlap_m2", en: "Overlap (m²)", zh: "重叠面积(m²)", decimals: 2),
            Column("plot_share_pct", en: "Share of plot (%)", zh: "占地块比例(%)", decimals: 4),
            Column("distance_m", en: "Distance (m)", zh: "距离(m)", decimals: 2),
        ]
        if hasZones { columns.append(Column("zone", en: "Zone", zh: "镇街")) }
        columns += keptColumns(options.keep)
        var table = Table(title: "overlap", zh: "污染地块与敏感用地", columns: columns)
        table.rows = Parallel.joinedMap(pairChunks) { p in
            var row: [Cell] = [.text(p.plot), .text(p.parcel), Cell(p.className), .number(p.overlap), .number(p.plotShare),
                               .number(p.distance)]
            if hasZones { row.append(Cell(plots[p.plotIndex].zone)) }
            row += keptCells(plots[p.plotIndex].kept)
            return row
        }
        return table
    }

    /// One row per plot, clean plots included.
    public func summaryTable() -> Table {
        var columns = [Column("plot", en: "Plot", zh: "地块"), Column("zone", en: "Zone", zh: "镇街")]
        columns += keptColumns(options.keep)
        columns += [
            Column("overlapping", en: "Overlapping", zh: "重叠数", decimals: 0),
            Column("within", en: "Within \(Int(options.within)) m", zh: "\(Int(options.within))米内", decimals: 0),
            Column("nearest_class", en: "Nearest class", zh: "最近用地类型"),
            Column("nearest_parcel", en: "Nearest parcel", zh: "最近敏感用地"),
            Column("nearest_m", en: "Nearest (m)", zh: "最近距离(m)", decimals: 2),
        ]
        let ringLabels = options.rings.map { r in r.rounded() == r ? String(Int(r)) : String(r) }
        for c in classes {
            columns.append(Column("\(c)_overlap_m2", en: "\(c) overlap (m²)", zh: "\(c)重叠(m²)", decimals: 2))
            for r in ringLabels { columns.append(Column("\(c)_within_\(r)m", en: "\(c) ≤\(r) m", zh: "\(c)\(r)米内", decimals: 0)) }
        }
        var table = Table(title: "overlap summary", zh: "污染地块汇总", columns: columns)
        for s in plots {
            var row: [Cell] = [.text(s.plot), Cell(s.zone)] + keptCells(s.kept)
            row += [.int(s.overlapping), .int(s.within), Cell(s.nearest?.className), Cell(s.nearest?.parcel),
                    s.nearest.map { .number($0.distance) } ?? .null]
            for c in classes {
                row.append(.number(s.overlapByClass[c] ?? 0))
                let counts = s.ringCounts[c] ?? Array(repeating: 0, count: options.rings.count)
                row += counts.map { .int($0) }
            }
            table.rows.append(row)
        }
        return table
    }

    /// The intersection pieces and the shortest lines, each with its pair's properties.
    /// The overlap pieces (polygons) and the shortest lines (with `--within`), each pair's row
    /// as properties: two collections, so that QGIS opens each as one layer.
    public func features() -> (pieces: [OutputFeature], lines: [OutputFeature]) {
        let table = pairTable()
        var pieces: [OutputFeature] = [], lines: [OutputFeature] = []
        for (pair, row) in zip(pairs, table.rows) {
            let props = zip(table.columns, row).map { ($0.key, $1.json(decimals: $0.decimals)) }
            if let piece = pair.piece { pieces.append(OutputFeature(props, geometry: piece)) }
            if let line = pair.line { lines.append(OutputFeature(props, geometry: line)) }
        }
        return (pieces, lines)
    }

    /// Where the lines go beside the pieces' file: `overlap.geojson` → `overlap_lines.geojson`.
    public static func linesPath(besides path: String) -> String {
        let ext = (path as NSString).pathExtension
        return (path as NSString).deletingPathExtension + "_lines" + (ext.isEmpty ? "" : "." + ext)
    }
}
