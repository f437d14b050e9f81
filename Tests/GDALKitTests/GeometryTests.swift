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

    /// Renumbered in the order of its leaves, the tree gives the same items under their new
    /// numbers; the order holds every item once, those with empty envelopes last, and keeps
    /// neighbours on the map together.
    @Test func strTreeRenumberedInLeafOrder() {
        var rng = TestRandom()
        var boxes = (0..<2_000).map { _ -> Envelope in
            let x = Double.random(in: 0..<1000, using: &rng), y = Double.random(in: 0..<1000, using: &rng)
            return Envelope(minX: x, minY: y, maxX: x + Double.random(in: 0..<20, using: &rng), maxY: y + 5)
        }
        boxes[7] = .empty
        boxes[1_500] = .empty
        let tree = STRTree(boxes)
        let (renumbered, indices) = tree.renumberedInLeafOrder()
        #expect(indices.sorted() == Array(boxes.indices))
        #expect(indices.suffix(2) == [7, 1_500])
        for _ in 0..<200 {
            let x = Double.random(in: 0..<1000, using: &rng), y = Double.random(in: 0..<1000, using: &rng)
            let q = Envelope(minX: x, minY: y, maxX: x + 50, maxY: y + 50)
            #expect(renumbered.query(q).map { indices[$0] }.sorted() == tree.query(q), "\(rng.replay)")
        }
        // Random pairs of points in the square lie 521 apart on average (0.5214 of its side);
        // items next to each other in leaf order lie within a slice of 1/15 of the square's
        // width, a few apart up the slice, with a jump at each of the 14 slice boundaries.
        let placed = indices.dropLast(2)
        let steps = zip(placed, placed.dropFirst()).map { a, b in
            let (p, q) = (boxes[a].center, boxes[b].center)
            return ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
        }
        #expect(steps.reduce(0, +) / Double(steps.count) < 100)
    }

    @Test func shapesRoundTripThroughGEOS() throws {
        let shape = Shape.multiPolygon([[[Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 0)]],
                                        [[Coordinate(5, 5), Coordinate(6, 5), Coordinate(6, 6), Coordinate(5, 5)]]])
        #expect(try Geometry(shape: shape).shape == shape)
    }
}
