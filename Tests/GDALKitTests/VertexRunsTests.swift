import GDALKit
import Testing

@Suite struct VertexRunsTests {
    /// A polygon with a hole, a point, a multipolygon of two parts and a line.
    static let shapes = ["POLYGON ((116 39, 116.01 39, 116.01 39.01, 116 39.01, 116 39), (116.002 39.002, 116.004 39.002, 116.003 39.004, 116.002 39.002))",
                         "POINT (116.5 39.5)",
                         "MULTIPOLYGON (((117 40, 117.1 40, 117.1 40.1, 117 40)), ((117.2 40, 117.3 40, 117.3 40.1, 117.2 40)))",
                         "LINESTRING (116 39, 116.2 39.1, 116.3 39.3)"]

    /// Stores joined into one hold what one store filled geometry by geometry holds: run and
    /// geometry ends shifted past the stores before, empty stores taking no place.
    @Test func concatenatedStoresEqualOneFilledInOrder() throws {
        let geometries = try VertexRunsTests.shapes.map { try Geometry(wkt: $0) }
        let stores = [VertexRuns([geometries[0]]), VertexRuns(), VertexRuns(geometries[1...2]), VertexRuns([geometries[3]])]
        #expect(VertexRuns(concatenating: stores) == VertexRuns(geometries))
        #expect(VertexRuns(concatenating: []) == VertexRuns())
    }

    /// A store reordered holds what one store filled with the geometries in that order holds,
    /// geometries of several runs and points among them; an order may leave geometries out.
    @Test func reorderedStoreEqualsOneFilledInThatOrder() throws {
        let geometries = try VertexRunsTests.shapes.map { try Geometry(wkt: $0) }
        let store = VertexRuns(geometries)
        for order in [[0, 1, 2, 3], [3, 1, 0, 2], [2, 0], []] {
            #expect(store.reordered(order) == VertexRuns(order.map { geometries[$0] }))
        }
    }
}
