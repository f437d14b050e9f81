import Foundation
@testable import GDALKit
import Testing
import TestSupport

/// `RectLocator` only ever settles a rectangle where GEOS agrees: `interior` where the polygon
/// properly contains it, `exterior` where the two do not meet; rectangles touching, crossing or
/// grazing an edge (a shell, a hole, a second part) are left to GEOS.
@Suite struct RectLocatorTests {
    /// A town-like polygon near Beijing: a jagged shell with a hole, and a second part apart.
    static let polygon = """
        MULTIPOLYGON(((116.30 39.60, 116.42 39.58, 116.47 39.63, 116.45 39.70, 116.38 39.72, \
        116.33 39.69, 116.36 39.65, 116.30 39.60), (116.40 39.64, 116.43 39.64, 116.42 39.67, 116.40 39.64)), \
        ((116.50 39.60, 116.55 39.60, 116.55 39.65, 116.50 39.60)))
        """

    @Test func settlesOnlyWhereGEOSAgrees() throws {
        let g = try Geometry(wkt: Self.polygon)
        let locator = RectLocator(g)
        let prepared = try PreparedGeometry(g)
        var rng = TestRandom()
        var counts: [RectLocator.Location: Int] = [:]
        for _ in 0..<20_000 {
            let (x, y) = (Double.random(in: 116.28...116.57, using: &rng), Double.random(in: 39.56...39.74, using: &rng))
            let size = pow(10, Double.random(in: -6 ... -1.5, using: &rng))
            let rect = Envelope(minX: x, minY: y, maxX: x + size * Double.random(in: 0.2...1, using: &rng), maxY: y + size)
            let location = locator.locate(rect)
            counts[location, default: 0] += 1
            let box = try Geometry(envelope: rect)
            switch location {
            case .interior: #expect(try prepared.containsProperly(box), "\(rect) \(rng.replay)")
            case .exterior: #expect(try !prepared.intersects(box), "\(rect) \(rng.replay)")
            case .boundary: break
            }
        }
        // Most rectangles are far from every edge and settled here (without the locator's
        // decisions every one would be `boundary`, and this fails).
        #expect(counts[.interior, default: 0] > 3_000 && counts[.exterior, default: 0] > 3_000, "\(counts)")
        #expect(counts[.boundary, default: 0] < 6_000, "\(counts)")
    }

    @Test func leavesEdgesToGEOS() throws {
        let locator = RectLocator(try Geometry(wkt: Self.polygon))
        // Sharing the shell's first edge's start, inside the hole's corner, across the second
        // part's diagonal, and a hair (1 mm) outside the shell's bottom vertex.
        for rect in [Envelope(minX: 116.29, minY: 39.59, maxX: 116.30, maxY: 39.60),
                     Envelope(minX: 116.40, minY: 39.64, maxX: 116.401, maxY: 39.6401),
                     Envelope(minX: 116.52, minY: 39.62, maxX: 116.53, maxY: 39.63),
                     Envelope(minX: 116.42, minY: 39.58 - 1e-8, maxX: 116.42, maxY: 39.58 - 1e-8)] {
            #expect(locator.locate(rect) == .boundary, "\(rect)")
        }
        // Inside the hole, clear of its edges: outside the polygon.
        #expect(locator.locate(Envelope(minX: 116.414, minY: 39.648, maxX: 116.416, maxY: 39.650)) == .exterior)
        #expect(locator.locate(Envelope(minX: 116.38, minY: 39.68, maxX: 116.39, maxY: 39.69)) == .interior)
        #expect(locator.locate(.empty) == .boundary)
    }
}
