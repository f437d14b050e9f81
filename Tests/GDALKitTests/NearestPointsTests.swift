import Foundation
import GDALKit
import Testing
import TestSupport

@Suite struct NearestPointsTests {
    /// A star-shaped (so simple) polygon of `n` vertices around a centre, radius in degrees.
    static func star(_ c: Coordinate, radius: Double, n: Int, hole: Bool = false,
                     using rng: inout TestRandom) -> [[Coordinate]] {
        func ring(_ r: Double, clockwise: Bool) -> [Coordinate] {
            var ring = (0..<n).map { k -> Coordinate in
                let angle = (clockwise ? -1.0 : 1.0) * 2 * .pi * Double(k) / Double(n)
                let rr = r * Double.random(in: 0.6...1, using: &rng)
                return Coordinate(c.x + rr * cos(angle), c.y + rr * sin(angle) * 0.8)
            }
            ring.append(ring[0])
            return ring
        }
        return hole ? [ring(radius, clockwise: false), ring(radius * 0.3, clockwise: true)] : [ring(radius, clockwise: false)]
    }

    /// The nearest points in a `LocalFrame` against GEOS's nearest points in an independent
    /// metric frame (`LocalEqualArea` centred on the subject), both measured as geodesics: random
    /// polygons, polygons with holes, multipolygons and points that do not intersect, 50 m to
    /// 2 km apart.
    @Test func agreesWithGEOSInAnEqualAreaFrame() throws {
        var rng = TestRandom()
        let geodesic = Geodesic(.grs80)
        var finder = NearestPoints()
        var checked = 0
        for round in 0..<400 {
            let c = Coordinate(Double.random(in: 116...116.8, using: &rng), Double.random(in: 39.4...40, using: &rng))
            let subject = try Geometry(shape: .polygon(Self.star(c, radius: 0.002, n: Int.random(in: 3...20, using: &rng),
                                                                 hole: round % 3 == 0, using: &rng)))
            let angle = Double.random(in: 0..<(2 * .pi), using: &rng)
            let gap = Double.random(in: 0.0025...0.02, using: &rng)
            let o = Coordinate(c.x + gap * cos(angle) * 1.3, c.y + gap * sin(angle))
            let other: Geometry
            switch round % 4 {
            case 0: other = try Geometry(shape: .point(o))
            case 1: other = try Geometry(shape: .multiPolygon([Self.star(o, radius: 0.0015, n: 7, using: &rng),
                                                               Self.star(Coordinate(o.x + 0.01, o.y + 0.01), radius: 0.001, n: 5, using: &rng)]))
            default: other = try Geometry(shape: .polygon(Self.star(o, radius: 0.0015, n: Int.random(in: 3...12, using: &rng), using: &rng)))
            }
            guard try !subject.intersects(other) else { continue }
            let frame = LocalFrame(.grs80, latitude: subject.envelope.center.y)
            VertexRuns([subject]).withView {
                finder.setSubject($0, 0, origin: subject.envelope.center, scaleX: frame.metresPerDegreeX, scaleY: frame.metresPerDegreeY)
            }
            let near = VertexRuns([other]).withView { finder.nearest(to: $0, 0) }
            let measured = frame.distance(near.a, near.b)

            let projection = LocalEqualArea(.grs80, centre: subject.envelope.center)
            let (a, b) = try projection.project(subject).nearestPoints(to: projection.project(other))
            let reference = geodesic.distance(projection.inverse(a.x, a.y), projection.inverse(b.x, b.y))
            #expect(abs(measured - reference) <= 1e-4 * reference, "round \(round): \(measured) vs \(reference), \(rng.replay)")
            // The points found lie on the geometries.
            #expect(try subject.planarDistance(to: Geometry(shape: .point(near.a))) < 1e-9)
            #expect(try other.planarDistance(to: Geometry(shape: .point(near.b))) < 1e-9)
            checked += 1
        }
        #expect(checked > 300)
    }

    /// A view kept past its `withView` call stops the process when used, instead of reading the
    /// store's freed buffers.
    @Test func aViewCannotBeUsedAfterItsCall() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let point = try Geometry(shape: .point(Coordinate(116.3, 39.7)))
            let escaped = VertexRuns([point]).withView { $0 }
            var finder = NearestPoints()
            _ = finder.nearest(to: escaped, 0)
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("a VertexRuns.View was used after its withView returned"), "\(stderr)")
    }
}
