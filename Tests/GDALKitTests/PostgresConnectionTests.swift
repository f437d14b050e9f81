import GDALKit
import Testing
import TestSupport

/// The libpq binding against the test server: parameters, bytea text, COPY, error codes.
@Suite struct PostgresConnectionTests {
    @Test func byteaTextIsDecoded() {
        #expect(PostgresConnection.bytes(hex: .string("\\x00ff0A7f")) == [0, 255, 10, 127])
        #expect(PostgresConnection.bytes(hex: .string("\\x")) == [])
        // Not hex, an odd count, no prefix, not text.
        for bad: FieldValue in [.string("\\x0g"), .string("\\x0"), .string("00ff"), .integer(1)] {
            #expect(PostgresConnection.bytes(hex: bad) == nil)
        }
    }

    @Test(.tags(.postgres), .postgresServer) func geometriesRoundTripAsWKB() throws {
        guard TestPostgres.available() else { return }
        let c = try TestPostgres.connect()
        let wkt = "MULTIPOLYGON (((116.3 39.7, 116.31 39.7, 116.31 39.71, 116.3 39.7)))"
        let row = try #require(try c.query("SELECT ST_AsBinary(ST_GeomFromText($1, 4326)) AS wkb, $2::text AS quoted", [.string(wkt), .string("it's; --")]).first)
        let wkb = try #require(row["wkb"])
        let bytes = try #require(PostgresConnection.bytes(hex: wkb))
        #expect(try Geometry(wkb: bytes).wkt == wkt)
        #expect(row["quoted"]?.description == "it's; --")
        // An error keeps PostgreSQL's own code.
        let error = #expect(throws: PostgresError.self) { try c.query("SELECT * FROM no_such_table") }
        #expect(error?.sqlState == "42P01")
    }
}
