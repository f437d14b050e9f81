import Foundation
import GDALKit
import LandWatchCore

/// Sensitive land uses (the first-class uses of GB 36600-2018) and contaminated plots, some of
/// them planted next to, across or inside sensitive parcels.
extension SampleBuilder {
    static let landUses: [(String, Double, Double, Double, Double)] = [
        // class, share, median area m², spread, spread of the position around town seats (0: anywhere)
        ("居住用地", 0.62, 60_000, 0.5, 2_500), ("学校", 0.12, 25_000, 0.4, 3_000),
        ("医院", 0.03, 15_000, 0.4, 2_000), ("养老机构", 0.04, 8_000, 0.4, 4_000),
        ("优先保护耕地", 0.19, 400_000, 0.6, 0),
    ]
    private static let estateNames = ["康庄", "兴华", "金星", "枣园", "清澄", "宏业", "绿地", "富强", "泰和", "永华", "嘉园", "首创"]

    mutating func makeParcels() throws -> [SampleDistrict.Parcel] {
        let total = options.parcelCount
        var parcels: [SampleDistrict.Parcel] = []
        for (landuse, share, median, spread, around) in Self.landUses {
            let count = max(1, Int((Double(total) * share).rounded()))
            for k in 0..<count {
                let c = around > 0 ? try pointNearTown(spread: around) : try randomPoint()
                let area = rng.logNormal(median: median, sigma: spread) * shrink(options.parcelCount, base: 450, power: 0.75)
                let shape: Shape
                if landuse == "优先保护耕地" {
                    let shell = blob(at: c, area: area, vertices: 14)
                    if rng.chance(0.2) {
                        let r = (area / .pi).squareRoot()
                        shape = .multiPolygon([[shell], [blob(at: Coordinate(c.x + 2.2 * r, c.y), area: area * 0.4)]])
                    } else {
                        shape = .polygon([shell])
                    }
                } else {
                    shape = .polygon([rectangle(at: c, area: area, aspect: rng.uniform(1, 2))])
                }
                let id = String(format: "S-%05d", parcels.count + 1)
                parcels.append(.init(id: id, landuse: landuse, name: parcelName(landuse, k), geometry: try Geometry(shape: shape)))
            }
        }
        return parcels
    }

    private mutating func parcelName(_ landuse: String, _ k: Int) -> String {
        let estate = Self.estateNames[rng.int(0...(Self.estateNames.count - 1))]
        switch landuse {
        case "居住用地": return "\(estate)\(["家园", "小区", "花园", "里"][k % 4])\(k / 4 + 1)号地块"
        case "学校": return k % 2 == 0 ? "\(estate)小学" : "第\(k + 1)中学"
        case "医院": return "\(estate)医院"
        case "养老机构": return "\(estate)养老照料中心"
        default: return String(format: "优先保护耕地-%03d", k + 1)
        }
    }

    /// How much features shrink when there are `count` of them per district instead of `base`,
    /// so that large benchmark sets stay a plausible share of the land (1 up to the base count).
    func shrink(_ count: Int, base: Double, power: Double) -> Double {
        let density = Double(count) / (base * Double(options.towns) / 22)
        return density > 1 ? pow(density, -power) : 1
    }

    static let plotIndustries = ["化工", "电镀", "农药", "焦化", "印染", "制革", "铸造", "涂料"]

    mutating func makePlots(_ parcels: [SampleDistrict.Parcel]) throws -> [SampleDistrict.Plot] {
        let urban = parcels.filter { $0.landuse != "优先保护耕地" }
        let farmland = parcels.filter { $0.landuse == "优先保护耕地" }
        let schools = parcels.filter { $0.landuse == "学校" }
        var plots: [SampleDistrict.Plot] = []
        for k in 0..<options.plotCount {
            var area = rng.logNormal(median: 20_000, sigma: 0.7) * shrink(options.plotCount, base: 40, power: 0.5)
            let r = (area / .pi).squareRoot()
            var c: Coordinate
            switch k % 10 {
            case 0 where !urban.isEmpty, 1 where !urban.isEmpty:
                // Near a sensitive parcel, 30–400 m from its edge.
                let p = urban[rng.int(0...(urban.count - 1))].geometry.envelope
                let t = rng.uniform(0, 2 * .pi)
                let d = max(p.width, p.height) / 2 + r + rng.uniform(30, 400)
                c = Coordinate(p.center.x + d * cos(t), p.center.y + d * sin(t))
            case 2 where !urban.isEmpty:
                // Across a parcel's edge.
                let ring = try urban[rng.int(0...(urban.count - 1))].geometry.shape.polygons[0][0]
                c = ring[rng.int(0...(ring.count - 2))]
            case 3 where k == 3 && !farmland.isEmpty:
                // Inside priority farmland.
                c = try farmland[0].geometry.pointOnSurface().shape.coordinates[0]
                area = 3_000
            case 4 where k == 4 && !schools.isEmpty:
                // Around a whole school.
                let s = schools[0].geometry.envelope
                c = s.center
                area = 12 * s.width * s.height
            default:
                c = try randomPoint()
            }
            let industry = Self.plotIndustries[rng.int(0...(Self.plotIndustries.count - 1))]
            let estate = Self.estateNames[rng.int(0...(Self.estateNames.count - 1))]
            plots.append(.init(id: String(format: "WR-%03d", k + 1), name: "原\(estate)\(industry)厂地块",
                               risk: rng.weighted([("高", 0.25), ("中", 0.45), ("低", 0.30)]),
                               status: rng.weighted([("初步调查", 0.3), ("详细调查", 0.3), ("风险管控", 0.25), ("治理修复", 0.15)]),
                               geometry: try Geometry(shape: .polygon([blob(at: c, area: area, vertices: 12)]))))
        }
        return plots
    }
}

extension SampleBuilder {
    /// Suspected plots (疑似污染地块, on the list before any soil investigation), planted under
    /// the last month's bare land so that `run` finds construction on them: over two patches
    /// new that month (first seen then) and one kept from earlier, of the construction class,
    /// and over one new patch of another class. Drawn without random numbers, so that the other
    /// layers stay what the seed gives. A plot is its patch's envelope widened by 20 m.
    func makeSuspectedPlots(_ detections: [SampleDistrict.Detection]) throws -> [SampleDistrict.Plot] {
        guard let last = detections.last else { return [] }
        // New sites are placed clear of every earlier site's envelope (and some patches are
        // invalid on purpose), so envelopes tell new from kept.
        let tree = STRTree(detections.dropLast().flatMap(\.patches).map(\.geometry.envelope))
        func isNew(_ p: SampleDistrict.Patch) -> Bool { tree.query(p.geometry.envelope).isEmpty }
        var picks: [(SampleDistrict.Patch, risk: String)] = []
        let construction = last.patches.filter { $0.type == "施工工地" && $0.note != "重复" }
        let newConstruction = construction.filter(isNew)
        let keptConstruction = construction.filter { !isNew($0) }
        let newOther = last.patches.filter { $0.type == "拆迁拆违" && $0.note != "重复" }.first(where: isNew)
        picks += zip(newConstruction.prefix(2), ["高", "中"]).map { ($0, $1) }
        picks += keptConstruction.prefix(1).map { ($0, "高") }
        picks += [newOther].compactMap { $0 }.map { ($0, "低") }
        return try picks.enumerated().map { k, pick in
            let e = pick.0.geometry.envelope.expanded(by: 20)
            let estate = Self.estateNames[k % Self.estateNames.count], industry = Self.plotIndustries[k % Self.plotIndustries.count]
            return .init(id: String(format: "YS-%03d", k + 1), name: "原\(estate)\(industry)厂疑似地块", risk: pick.risk,
                         status: "疑似污染地块", geometry: try Geometry(envelope: e))
        }
    }
}
