import Foundation
@testable import GDALKit
import Testing
import TestSupport

/// `SimpleRingCheck` only ever says yes where GEOS says valid, on rings built to be hard:
/// crossing, touching themselves at a vertex, folding back, repeating vertices, and snapped to
/// a coarse grid so that vertices fall exactly on other edges.
@Suite struct SimpleRingCheckTests {
    /// A ring around (116.4, 39.9): `n` points at random angles and radii, then disturbed.
    static func ring(_ n: Int, _ rng: inout TestRandom) -> [Coordinate] {
        let angles = (0..<n).map { _ in Double.random(in: 0..<(2 * .pi), using: &rng) }.sorted()
        var points = angles.map { a -> Coordinate in
            let r = Double.random(in: 0.001...0.01, using: &rng)
            return Coordinate(116.4 + r * cos(a), 39.9 + r * sin(a))
        }
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: points.swapAt(Int.random(in: 0..<n, using: &rng), Int.random(in: 0..<n, using: &rng))  // often crossing
        case 1: points = points.map { Coordinate(($0.x * 500).rounded() / 500, ($0.y * 500).rounded() / 500) }  // on a grid
        case 2: let k = Int.random(in: 1..<n, using: &rng); points[k] = points[k - 1]  // repeated vertex
        case 3: let k = Int.random(in: 1..<n, using: &rng); points.insert(points[k - 1], at: k + 1)  // fold back
        case 4: if n >= 6 { points[n / 2] = points[0] }  // touching itself at a vertex
        default: break
        }
        return points + [points[0]]
    }

    @Test func answersYesOnlyWhereGEOSDoes() throws {
        var rng = TestRandom()
        var sure = 0, valid = 0
        for _ in 0..<20_000 {
            let g = try Geometry(shape: .polygon([Self.ring(Int.random(in: 3...24, using: &rng), &rng)]))
            let byGEOS = g.validityReason == "Valid Geometry"
            let certain = withExtendedLifetime(g) { SimpleRingCheck.isCertainlyValid(GEOSContext.current.handle, g.pointer) }
            #expect(!certain || byGEOS, "\(g.wkt) \(rng.replay)")
            #expect(g.isValid == byGEOS, "\(g.wkt) \(rng.replay)")
            if certain { sure += 1 }
            if byGEOS { valid += 1 }
        }
        // The check settles most valid rings itself: the undisturbed sixth and most of those whose
        // swap changed nothing or whose grid left them clear; repeated vertices go to GEOS.
        #expect(valid > 5_000 && sure > valid / 3, "\(sure) of \(valid) \(rng.replay)")
    }

    /// Holes, several parts and long rings are left to GEOS.
    @Test func leavesTheRestToGEOS() throws {
        let square = [Coordinate(0, 0), Coordinate(4, 0), Coordinate(4, 4), Coordinate(0, 4), Coordinate(0, 0)]
        let hole = [Coordinate(1, 1), Coordinate(1, 2), Coordinate(2, 2), Coordinate(1, 1)]
        func certain(_ shape: Shape) throws -> Bool {
            let g = try Geometry(shape: shape)
            return withExtendedLifetime(g) { SimpleRingCheck.isCertainlyValid(GEOSContext.current.handle, g.pointer) }
        }
        #expect(try certain(.polygon([square])))
        #expect(try !certain(.polygon([square, hole])))
        #expect(try !certain(.multiPolygon([[square]])))
        let long = (0..<100).map { k in Coordinate(cos(Double(k) * .pi / 50), sin(Double(k) * .pi / 50)) }
        #expect(try !certain(.polygon([long + [long[0]]])))
        #expect(try Geometry(shape: .polygon([long + [long[0]]])).isValid)
    }
}
