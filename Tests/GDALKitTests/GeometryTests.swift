import GDALKit
import Testing
import TestSupport

@Suite struct GeometryTests {
    @Test func wktRoundTrip() throws {
        let g = try Geometry(wkt: "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 2, 1 1))")
        #expect(g.kind == .polygon)
        #expect(try g.planarArea() == 15)
        #expect(try Geometry(wkb: g.wkb).wkt == g.wkt)
        #expect(g.envelope == Envelope(minX: 0, minY: 0, maxX: 4, maxY: 4))
    }

    @Test func makeValidSplitsABowtie() throws {
        let bowtie = try Geometry(wkt: "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))")
        #expect(!bowtie.isValid)
        #expect(bowtie.validityReason.hasPrefix("Self-intersection"))
        let fixed = try bowtie.makeValid().polygonalPart()
        // Two triangles of base 2 and height 1: 1 + 1.
        #expect(fixed.isValid && fixed.partCount == 2)
        #expect(try fixed.planarArea() == 2)
    }

    @Test func intersectionAndUnion() throws {
        let a = try Geometry(wkt: "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))")
        let b = try Geometry(wkt: "POLYGON ((1 1, 3 1, 3 3, 1 3, 1 1))")
        #expect(try a.intersection(b).planarArea() == 1)
        #expect(try Geometry.union([a, b]).planarArea() == 7)
        #expect(try a.intersects(b))
        #expect(try a.planarDistance(to: Geometry(wkt: "POINT (5 2)")) == 3)
    }

    @Test func preparedPredicates() throws {
        let zone = try PreparedGeometry(Geometry(wkt: "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"))
        #expect(try zone.contains(Geometry(wkt: "POLYGON ((1 1, 2 1, 2 2, 1 1))")))
        #expect(try !zone.contains(Geometry(wkt: "POLYGON ((9 9, 11 9, 11 11, 9 9))")))
        #expect(try zone.intersects(Geometry(wkt: "POLYGON ((9 9, 11 9, 11 11, 9 9))")))
        // A point on the border is covered but not contained.
        #expect(try zone.covers(Geometry(wkt: "POINT (10 5)")))
        #expect(try !zone.contains(Geometry(wkt: "POINT (10 5)")))
    }

    @Test func strTreeMatchesBruteForce() {
        var rng = TestRandom()
        let boxes = (0..<2_000).map { _ -> Envelope in
            let x = Double.random(in: 0..<1000, using: &rng), y = Double.random(in: 0..<1000, using: &rng)
            return Envelope(minX: x, minY: y, maxX: x + Double.random(in: 0..<20, using: &rng), maxY: y + 5)
        }
        let tree = STRTree(boxes)
        for _ in 0..<200 {
            let x = Double.random(in: 0..<1000, using: &rng), y = Double.random(in: 0..<1000, using: &rng)
            let q = Envelope(minX: x, minY: y, maxX: x + 50, maxY: y + 50)
            #expect(tree.query(q) == boxes.indices.filter { boxes[$0].intersects(q) }, "\(rng.replay)")
        }
    }

    @Test func shapesRoundTripThroughGEOS() throws {
        let shape = Shape.multiPolygon([[[Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 0)]],
                                        [[Coordinate(5, 5), Coordinate(6, 5), Coordinate(6, 6), Coordinate(5, 5)]]])
        #expect(try Geometry(shape: shape).shape == shape)
    }
}
