import DatabaseKit
import GDALKit
import Testing
import TestSupport

/// Statements with bound parameters on the SQLite connection GDAL holds for a GeoPackage.
@Suite struct SQLiteConnectionTests {
    func notes() throws -> Dataset {
        let path = Fixtures.temporaryDirectory() + "/notes.gpkg"
        do {
            let d = try Dataset(creating: path, driver: "GPKG")
            _ = try d.createLayer("notes", crs: nil, geometryKind: nil, fields: [.init("k", .integer64), .init("s", .string), .init("b", .binary)])
        }
        return try Dataset(path: path, update: true)
    }

    /// Text that would end an SQL literal, NUL bytes and bytes go in and come out as they were:
    /// nothing of a value is read as SQL.
    @Test func valuesAreBoundNeverSpliced() throws {
        let d = try notes()
        let sql = try #require(d.sqlite)
        let hostile = "x'); DROP TABLE notes; --\u{0}镇"
        let bytes: [UInt8] = [0, 39, 92, 255]
        // `$2` before `$1` in the text: each value goes to its own name.
        try sql.execute("INSERT INTO notes (s, k, b) VALUES ($2, $1, $3)", [.integer(7), .text(hostile), .blob(bytes)])
        let rows = try sql.query("SELECT k, s, b FROM notes WHERE s = $1", [.text(hostile)])
        #expect(rows.count == 1)
        #expect(rows.first?.int("k") == 7 && rows.first?.text("s") == hostile && rows.first?.bytes("b") == bytes)
        #expect(try sql.query("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'notes'").first?.int("n") == 1)
    }

    /// Statements run in GDAL's transaction: rolled back with it.
    @Test func statementsShareGDALsTransaction() throws {
        let d = try notes()
        let sql = try #require(d.sqlite)
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try d.transaction {
                try sql.execute("INSERT INTO notes (k) VALUES ($1)", [.integer(1)])
                throw Stop()
            }
        }
        #expect(try sql.query("SELECT COUNT(*) AS n FROM notes").first?.int("n") == 0)
        // A statement that fails keeps SQLite's code.
        #expect { try sql.execute("UPDATE missing SET k = 1") } throws: { ($0 as? SQLiteError)?.result == .other(1) }
    }
}
