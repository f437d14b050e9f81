import Foundation
import GDALKit
import LandWatchCore

/// VOCs mobile-survey readings along a road grid with planted plumes, and the enterprises:
/// one planted beside each plume, the others kept at least 1.5 km from every plume.
extension SampleBuilder {
    static let industries = ["涂装", "印刷", "家具制造", "化工", "汽修", "包装印刷", "橡胶制品"]
    private static let syllables = ["京", "兴", "华", "鑫", "顺", "达", "恒", "瑞", "宏", "佳", "通", "源"]

    mutating func makeSources() throws -> ([SampleDistrict.Plume], [SampleDistrict.Enterprise]) {
        let inner = try outline.buffer(-2_500)
        let innerPrepared = try PreparedGeometry(inner)
        var plumes: [SampleDistrict.Plume] = []
        var enterprises: [SampleDistrict.Enterprise] = []
        while plumes.count < 4 {
            let p = try randomPoint()
            guard try innerPrepared.contains(Geometry(shape: .point(p))),
                  plumes.allSatisfy({ distance($0.centre, p) > 7_000 }) else { continue }
            let industry = Self.industries[plumes.count % 3 == 0 ? 0 : plumes.count]
            let name = "北京\(companyName())\(industry)有限公司"
            plumes.append(.init(centre: p, peak: rng.uniform(350, 650), sigma: rng.uniform(300, 450), enterprise: name))
            let t = rng.uniform(0, 2 * .pi)
            enterprises.append(.init(name: name, industry: industry, position: Coordinate(p.x + 60 * cos(t), p.y + 60 * sin(t))))
        }
        while enterprises.count < options.enterpriseCount + plumes.count {
            let p = try pointNearTown(spread: 5_000)
            guard plumes.allSatisfy({ distance($0.centre, p) > 1_500 }) else { continue }
            let industry = Self.industries[rng.int(0...(Self.industries.count - 1))]
            enterprises.append(.init(name: "北京\(companyName())\(industry)有限公司", industry: industry, position: p))
        }
        return (plumes, enterprises)
    }

    private mutating func companyName() -> String {
        (0..<2).map { _ in Self.syllables[rng.int(0...(Self.syllables.count - 1))] }.joined()
    }

    /// Drives along a 1.2 km road grid, a reading every 40 m; a third of the drives head north
    /// along a road passing close to a plume, so that every plume is crossed.
    mutating func makeReadings(_ plumes: [SampleDistrict.Plume]) throws -> [SampleDistrict.Reading] {
        let grid = 1_200.0, step = 40.0
        let e = outline.envelope
        var readings: [SampleDistrict.Reading] = []
        var drive = 0
        while readings.count < options.readingCount {
            var p: Coordinate
            var heading = rng.int(0...3)
            let towardsPlume = drive % 3 == 0 && !plumes.isEmpty
            if towardsPlume {
                let c = plumes[(drive / 3) % plumes.count].centre
                p = Coordinate(c.x + rng.uniform(-150, 150), c.y - 2 * grid)
                heading = 1
            } else {
                p = Coordinate((rng.uniform(e.minX, e.maxX) / grid).rounded() * grid,
                               (rng.uniform(e.minY, e.maxY) / grid).rounded() * grid)
            }
            let day = 8 + drive % 13
            var seconds = 9 * 3600 + rng.int(0...3600)
            for leg in 0..<6 {
                let blocks = towardsPlume && leg == 0 ? 4 : rng.int(1...4)
                let (dx, dy) = [(1.0, 0.0), (0, 1), (-1, 0), (0, -1)][heading]
                for _ in 0..<Int(Double(blocks) * grid / step) {
                    p = Coordinate(p.x + dx * step, p.y + dy * step)
                    seconds += 4
                    guard readings.count < options.readingCount, try inside(p) else { continue }
                    var tvoc = rng.logNormal(median: 25, sigma: 0.35)
                    for plume in plumes {
                        let d = distance(plume.centre, p)
                        tvoc += plume.peak * exp(-d * d / (2 * plume.sigma * plume.sigma)) * rng.logNormal(median: 1, sigma: 0.15)
                    }
                    let time = String(format: "2026-10-%02dT%02d:%02d:%02d+08:00", day, seconds / 3600, seconds / 60 % 60, seconds % 60)
                    readings.append(.init(time: time, position: p, tvoc: (tvoc * 10).rounded() / 10))
                }
                heading = (heading + (rng.chance(0.5) ? 1 : 3)) % 4
            }
            drive += 1
        }
        return readings
    }
}

func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
    ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
}
