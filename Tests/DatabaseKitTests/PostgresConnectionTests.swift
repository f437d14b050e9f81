import DatabaseKit
import GDALKit
import Testing
import TestSupport

/// The libpq binding against the test server: bound parameters (text and bytes), bytea read as
/// bytes, error codes.
@Suite struct PostgresConnectionTests {
    @Test(.tags(.postgres), .postgresServer) func parametersAndBytesRoundTrip() throws {
        guard TestPostgres.available() else { return }
        let c = try TestPostgres.connect()
        let wkt = "MULTIPOLYGON (((116.3 39.7, 116.31 39.7, 116.31 39.71, 116.3 39.7)))"
        let hostile = "it's; -- DROP TABLE x; \\ \" 镇"
        let bytes: [UInt8] = [0, 255, 10, 127, 92, 39, 0]
        let row = try #require(try c.query("SELECT ST_AsBinary(ST_GeomFromText($1, 4326)) AS wkb, $2::text AS quoted, $3::bytea AS raw, $4::bigint AS n",
                                           [.text(wkt), .text(hostile), .blob(bytes), .integer(-9_000_000_000)]).first)
        #expect(try Geometry(wkb: try #require(row.bytes("wkb"))).wkt == wkt)
        #expect(row.text("quoted") == hostile)
        #expect(row.bytes("raw") == bytes)
        #expect(row.int("n") == -9_000_000_000)
        // An error keeps PostgreSQL's own code.
        let error = #expect(throws: PostgresError.self) { try c.query("SELECT * FROM no_such_table") }
        #expect(error?.sqlState == "42P01")
    }
}
