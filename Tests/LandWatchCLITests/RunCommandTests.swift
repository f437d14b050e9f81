import Foundation
import GDALKit
import LandWatchCore
import Testing
import TestSupport

/// `landwatch run` on the sample district, as the bureau runs it each month.
@Suite(.serialized) struct RunCommandTests {
    let dir = Fixtures.temporaryDirectory("run")

    /// Samples/daxing.yml with its paths pointing at Data/ and a ledger in a temporary folder.
    func config() throws -> String {
        var text = try String(contentsOf: Fixtures.root.appendingPathComponent("Samples/daxing.yml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../Data/", with: Fixtures.root.path + "/Data/")
            .replacingOccurrences(of: "../out/ledger.gpkg", with: dir + "/ledger.gpkg")
            .replacingOccurrences(of: "out: ../out\n", with: "out: \(dir)\n")
        let path = dir + "/daxing.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: dir + "/bulletin-2026-10/" + name, encoding: .utf8) }

    @Test(.tags(.slow), .fullRun) func theMonthlyJob() throws {
        let first = try Fixtures.run(["run", try config()])
        #expect(first.code == 0, "\(first.err)")
        for file in ["bulletin.html", "bulletin.xlsx", "manifest.json", "towns.geojson", "coverage_pieces.geojson", "ledger_open.geojson",
                     "overlap.geojson", "overlap_lines.geojson", "construction_on_plots.geojson", "hotspot_cells.geojson", "hotspot_clusters.geojson"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/bulletin-2026-10/" + file), "\(file)")
        }
        let html = try read("bulletin.html")
        // Self-contained: no network, no scripts.
        #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("@page { size: A4"))
        // Every town in the maps (an SVG path with its name) and in the tables.
        let zones = try Zones.load(LayerSource(path: Fixtures.data("daxing_towns.gpkg")), field: nil, options: ReadOptions.landWatch())
        for z in zones.zones {
            #expect(html.components(separatedBy: "data-zone=\"\(z.name)\"").count - 1 == 6, "\(z.name) in 6 maps")
            #expect(html.contains("<td>\(z.name)</td>"), "\(z.name) in the tables")
        }
        // The SVG paths are the towns' shapes: as many vertices as the town's rings.
        let huangcun = try #require(zones.zones.first { $0.name == "黄村镇" })
        let path = try #require(html.range(of: "<path d=\"[^\"]*\" [^>]*data-zone=\"黄村镇\"", options: .regularExpression).map { String(html[$0]) })
        let vertices = path.components(separatedBy: "L").count + path.components(separatedBy: "M").count - 2
        #expect(try vertices == huangcun.geometry.shape.polygons.flatMap { $0 }.reduce(0) { $0 + $1.count })
        // Legends, scale bars, arrows against last month.
        #expect(html.components(separatedBy: "class=\"legend\"").count - 1 == 6)
        #expect(html.components(separatedBy: "class=\"scale\"").count - 1 == 6)
        #expect(html.contains("class=\"up\">▲") && html.contains("class=\"down\">▼"))
        // The 22 towns are ranked 1 to 22; the patches outside every town come last, unranked.
        let ranking = String(html[html.range(of: "<th>排名</th>")!.lowerBound...])
        #expect(ranking.contains("<tr><td class=\"num\">22</td>") && !ranking.contains("<tr><td class=\"num\">23</td>")
                && ranking.contains("<tr><td></td><td>(区外)</td>"))
        // Map 1 colours each town by its coverage as the table prints it: the legend range of the
        // town's colour holds the printed figure (亦庄镇's 0.806 once fell in "0.81–0.92").
        let firstMap = String(html[html.range(of: "<svg")!.lowerBound..<html.range(of: "</svg>")!.upperBound])
        let legend = Dictionary(uniqueKeysWithValues: matches(firstMap, "<rect [^>]*fill=\"(#[0-9a-f]{6})\"[^>]*/><text [^>]*>([^<]*)</text>"))
        let table = String(html[html.range(of: "<table>")!.lowerBound...])
        for z in zones.zones {
            let colour = try #require(matches(firstMap, "fill=\"(#[0-9a-f]{6})\" [^>]*data-zone=\"\(z.name)\"").first?.0)
            let printed = try #require(matches(table, "<td>\(z.name)</td><td class=\"num\">[0-9]+</td><td class=\"num\">[0-9.]+</td><td class=\"num\">([0-9.]+)</td>").first.flatMap { Double($0.0) })
            let range = try #require(legend[colour]).replacingOccurrences(of: "&lt;", with: "<")
            let bounds = range.components(separatedBy: CharacterSet(charactersIn: "<≥– ")).compactMap(Double.init)
            if range.hasPrefix("<") { #expect(printed < bounds[0], "\(z.name) \(printed) in \(range)") }
            else if range.hasPrefix("≥") { #expect(printed >= bounds[0], "\(z.name) \(printed) in \(range)") }
            else { #expect(printed >= bounds[0] && printed < bounds[1], "\(z.name) \(printed) in \(range)") }
        }
        // Readable at A4: town names at least 10 units in a 600-unit frame (8.5 pt across the
        // page), the legend in its own band below the map, map 3's legend drawing triangles as the
        // map does, map 4's naming the distance lines; the head names issuer, period and sources.
        #expect(matches(html, "font-size=\"([0-9.]+)\"[^>]*class=\"label\"").allSatisfy { (Double($0.0) ?? 0) >= 10 })
        #expect(html.contains("viewBox=\"0 0 600 "))
        #expect(html.contains("最近距离(500米内)") && html.contains("<dt>统计期</dt><dd>2026-10-01 – 2026-10-31</dd>"))
        #expect(html.contains("<dt>数据来源</dt><dd>daxing_towns.gpkg, bare_land_202610.shp"))
        #expect(html.contains("thead { display: table-header-group; }") && !html.contains("section { page-break-inside"))
        // ▲▼ come with the change: 兴丰街道 4.182 % this month (the table) against its September figure.
        #expect(html.range(of: "<td class=\"(up|down)\">[▲▼] [0-9]+\\.[0-9]{3}</td>", options: .regularExpression) != nil)

        // The open entries on the map are those `ledger status` shows carried at the month's end.
        let status = try #require(try JSONSerialization.jsonObject(with: Data(Fixtures.run(["ledger", "status", "--ledger", dir + "/ledger.gpkg",
            "--as-of", "2026-10-31", "--format", "json"]).out.utf8)) as? [[String: Any]])
        let carried = status.filter { $0["state"] as? String != "closed" }.count
        let openFeatures = try VectorInput(LayerSource(path: dir + "/bulletin-2026-10/ledger_open.geojson"), options: .landWatch()).layer.readAll()
        #expect(carried > 0 && openFeatures.count == carried)
        #expect(html.components(separatedBy: "fill=\"#08306b\" fill-opacity").count - 1
                == status.filter { $0["overdue"] as? Bool == true && $0["state"] as? String != "closed" }.count)
        // In Chinese throughout: sheet names, the kept plot attributes' headers (from the config's
        // `risk:风险等级`), the hotspot note.
        #expect(try Dataset(path: dir + "/bulletin-2026-10/bulletin.xlsx").layerNames
            == ["排名", "裸地覆盖排名", "分类面积(亩)", "覆盖统计", "挂销账统计", "污染地块与敏感用地", "污染地块汇总", "污染及疑似污染地块上的裸地", "走航高值区", "PM2.5排名", "PM10排名", "TSP排名", "降尘排名"])
        #expect(html.contains("<th>风险等级</th>") && html.contains("<th>状态</th>") && !html.contains(">risk<"))
        #expect(html.contains("置信度下高值区") && !html.contains("cells of"))

        // The XLSX holds the same numbers as the commands' JSON.
        let coverageJSON = try #require(try JSONSerialization.jsonObject(with: Data(Fixtures.run(["coverage", "Data/bare_land_202610.shp", "--zones",
            "Data/daxing_towns.gpkg", "--class-field", "lx", "--format", "json"]).out.utf8)) as? [[String: Any]])
        let sheet = try VectorInput(LayerSource(parsing: dir + "/bulletin-2026-10/bulletin.xlsx#覆盖统计"), options: .landWatch()).layer.readAll()
        #expect(sheet.count == coverageJSON.count)
        for (row, json) in zip(sheet, coverageJSON) {
            #expect(row["面积(m²)"]?.number == json["area_m2"] as? Double)
        }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(Fixtures.run(["ledger", "report", "--ledger", dir + "/ledger.gpkg",
            "--from", "2026-10-01", "--to", "2026-10-31", "--format", "json"]).out.utf8)) as? [[String: Any]])
        let ledgerSheet = try VectorInput(LayerSource(parsing: dir + "/bulletin-2026-10/bulletin.xlsx#挂销账统计"), options: .landWatch()).layer.readAll()
        #expect(ledgerSheet.map { $0["期末在账"]?.number } == report.map { ($0["open_end"] as? Int).map(Double.init) })

        // GeoJSON for the GIS staff is RFC 7946: no crs member, lon/lat, at most 7 decimals.
        for file in ["towns.geojson", "coverage_pieces.geojson", "overlap.geojson", "hotspot_clusters.geojson"] {
            let text = try read(file)
            #expect(!text.contains("\"crs\"") && text.range(of: "[0-9]\\.[0-9]{8,}", options: .regularExpression) == nil, "\(file)")
        }

        // The manifest: inputs with sha256, versions, steps.
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(read("manifest.json").utf8)) as? [String: Any])
        #expect((manifest["inputs"] as? [[String: Any]])?.allSatisfy { ($0["sha256"] as? String)?.count == 64 } == true)
        #expect((manifest["versions"] as? [String: String])?["gdal"]?.hasPrefix("3.") == true)
        #expect((manifest["steps"] as? [[String: Any]])?.map { $0["step"] as? String } == ["coverage", "ledger", "overlap", "construction", "hotspots", "air"])

        // The same month again: the ledger refuses the batches, the job says so and gives the same outputs.
        let before = try ["bulletin.html", "towns.geojson", "ledger_open.geojson", "overlap.geojson", "hotspot_clusters.geojson"].map(read)
        let second = try Fixtures.run(["run", try config()])
        #expect(second.code == 0)
        // Each month's file is named with the batch and date it went on the ledger as.
        #expect(second.err.contains("2026-08: \"") && second.err.contains("was already ingested as batch 1 (2026-08-25)"), "\(second.err)")
        #expect(second.err.contains("2026-10: \"") && second.err.contains("was already ingested as batch 3 (2026-10-25)"))
        #expect(try ["bulletin.html", "towns.geojson", "ledger_open.geojson", "overlap.geojson", "hotspot_clusters.geojson"].map(read) == before)
    }

    /// Bare land on contaminated and suspected plots against the independent reference
    /// (Benchmarks/reference/construction_reference.py: GeoPandas/pyproj on the same files, each
    /// plot's bare area as the geodesic area of plot ∩ October's detections, a detection new when
    /// it overlaps none of August's or September's). Per plot, the rows' areas and shares add up
    /// to the reference's, their classes are its classes, and as many rows are new as it counts
    /// new detections; new patches on high-risk plots come first.
    @Test func bareLandOnPlotsMatchesTheReference() throws {
        #expect(try Fixtures.run(["run", try config()]).code == 0)
        let layer = try VectorInput(LayerSource(path: dir + "/bulletin-2026-10/construction_on_plots.geojson"), options: .landWatch()).layer
        #expect(layer.schema.names == ["plot", "risk", "patch", "class", "overlap_m2", "plot_share_pct", "first_seen", "new"])
        let rows = try layer.readAll()
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.root
            .appendingPathComponent("Benchmarks/reference/construction_reference.json"))) as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["plot"]?.description }) == Set(reference.compactMap { $0["plot"] as? String }))
        for ref in reference {
            let plot = try #require(ref["plot"] as? String)
            let mine = rows.filter { $0["plot"]?.description == plot }
            let area = mine.reduce(0) { $0 + ($1["overlap_m2"]?.number ?? 0) }, share = mine.reduce(0) { $0 + ($1["plot_share_pct"]?.number ?? 0) }
            // The reference rounds to 0.01 m² and 0.0001 %.
            #expect(abs(area - (ref["bare_m2"] as! Double)) <= 0.006 && abs(share - (ref["share_pct"] as! Double)) <= 0.0002, "\(plot): \(area) m², \(share) %")
            #expect(Set(mine.compactMap { $0["class"]?.description }) == Set(ref["classes"] as! [String]), "\(plot)")
            #expect(mine.filter { $0["new"] == .integer(1) }.count == ref["new_patches"] as! Int, "\(plot)")
            #expect(mine.allSatisfy { $0["risk"]?.description == ref["risk"] as? String && $0["patch"]?.description.hasPrefix("DX-2026") == true })
        }
        // New patches on the high-risk plot first, then the medium, then the low.
        #expect(rows.prefix(3).map { [$0["plot"]?.description ?? "", $0["new"]?.description ?? ""] }
                == [["YS-001", "1"], ["YS-002", "1"], ["YS-004", "1"]])
    }

    @Test func stepsWithoutInputsAreSkipped() throws {
        let path = dir + "/zones-only.yml"
        try "month: 2026-10\nlang: en\nout: \(dir)/only\nzones:\n  path: \(Fixtures.root.path)/Data/daxing_towns.gpkg\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Fixtures.run(["run", path])
        #expect(r.code == 0)
        #expect(r.err.contains("coverage: skipped: no bare_land section") && r.err.contains("hotspots: skipped: no vocs section"))
        let bad = dir + "/bad.yml"
        try "month: 2026-10\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try Fixtures.run(["run", bad])
        #expect(refused.code == 65 && refused.err.contains("\"\(bad)\" line 1: the config lacks \"zones\""))
    }

    /// Each mistake names the file, the line (counted here in the text), the key and what is allowed.
    @Test(arguments: [
        ("class_field: lx", "clas_field: lx", "unknown key \"clas_field\" in \"bare_land\": did you mean \"class_field\"?"),
        ("lang: zh", "lang: cn", "\"lang\" is \"cn\": give zh or en"),
        ("within: 500\n", "within: 500m\n", "\"contaminated.within\" is \"500m\": give metres as a number"),
        ("month: 2026-10", "month: 2026-1", "\"month\" is \"2026-1\": give a month, YYYY-MM"),
        ("cell: 500", "cel: 500", "unknown key \"cel\" in \"vocs\": did you mean \"cell\"?"),
    ])
    func configMistakesNameTheirLine(good: String, bad: String, message: String) throws {
        let text = try String(contentsOfFile: try config(), encoding: .utf8)
        let broken = text.replacingOccurrences(of: good, with: bad)
        let line = try #require(broken.components(separatedBy: "\n").firstIndex { $0.contains(bad.trimmingCharacters(in: .newlines)) }) + 1
        let path = dir + "/mistake.yml"
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Fixtures.run(["run", path])
        #expect(r.code == 65)
        #expect(r.err.hasPrefix("landwatch: error: \"\(path)\" line \(line): \(message)"), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1)
    }

    /// A step's refusal names the config key to change, where the command line names its option.
    @Test func refusalsNameTheConfigKey() throws {
        let text = try String(contentsOfFile: try config(), encoding: .utf8)
        let path = dir + "/coarse.yml"
        try text.replacingOccurrences(of: "cell: 500", with: "cell: 500000").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Fixtures.run(["run", path])
        #expect(r.code == 65)
        #expect(r.err.contains("too few for hotspot analysis (lower vocs.cell or vocs.min_readings)"), "\(r.err)")
        let cli = try Fixtures.run(["hotspots", "Data/vocs_survey_202610_gcj02.csv@GCJ-02", "--value", "tvoc", "--cell", "500000"])
        #expect(cli.code == 65)
        #expect(cli.err.contains("too few for hotspot analysis (lower --cell or --min-readings)"), "\(cli.err)")
    }

    /// A month without its detections is refused before anything is written, unless the section
    /// is optional; the bulletin's folder follows the month, and the manifest shows the folder used.
    @Test(.tags(.slow), .fullRun) func missingInputsAndFolders() throws {
        let path = try config()
        let missing = try Fixtures.run(["run", path, "--month", "2026-11"])
        #expect(missing.code == 74)
        #expect(missing.err.contains("bare_land: no file at \"\(Fixtures.root.path)/Data/bare_land_202611.shp\" for 2026-11; "
            + "give the month's file, or write `optional: true` in the bare_land section"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/bulletin-2026-11"))

        let optional = dir + "/optional.yml"
        try (try String(contentsOfFile: path, encoding: .utf8)).replacingOccurrences(of: "bare_land:\n", with: "bare_land:\n  optional: true\n")
            .write(toFile: optional, atomically: true, encoding: .utf8)
        let skipped = try Fixtures.run(["run", optional, "--month", "2026-11"])
        #expect(skipped.code == 0, "\(skipped.err)")
        #expect(skipped.err.contains("coverage: skipped: optional, and no detections at"))
        #expect(FileManager.default.fileExists(atPath: dir + "/bulletin-2026-11/bulletin.html"))

        let chosen = dir + "/chosen"
        let september = try Fixtures.run(["run", path, "--month", "2026-09", "--out", chosen])
        #expect(september.code == 0, "\(september.err)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: chosen + "/manifest.json"))) as? [String: Any])
        #expect((manifest["config"] as? [String: Any])?["out"] as? String == chosen)
        let other = try Fixtures.run(["run", path, "--month", "2026-10", "--out", chosen])
        #expect(other.code == 64)
        #expect(other.err == "landwatch: error: \"\(chosen)\" holds the bulletin of 2026-09: write the bulletin of 2026-10 to another folder (--out)\n")
    }
}

/// Each match's first two capture groups (the second empty when there is none).
func matches(_ text: String, _ pattern: String) -> [(String, String)] {
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
    return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
        func group(_ i: Int) -> String {
            guard i < m.numberOfRanges, let r = Range(m.range(at: i), in: text) else { return "" }
            return String(text[r])
        }
        return (group(1), group(2))
    }
}
