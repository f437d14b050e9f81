import Foundation
import GDALKit
import Testing
import TestSupport

@Suite struct GeoPackageUpdateTests {
    /// Bulk inserts and updates through SQL give the rows, the quoting and the feature count that
    /// GDAL reports afterwards, and leave GDAL's feature-count trigger in place for later inserts.
    @Test func bulkInsertAndUpdateKeepTheTableWhole() throws {
        let path = Fixtures.temporaryDirectory() + "/table.gpkg"
        do {
            let d = try Dataset(creating: path, driver: "GPKG")
            let t = try d.createLayer("notes", crs: nil, geometryKind: nil, fields: [.init("k", .integer64), .init("text", .string)])
            try t.insert([.integer(0), .string("first")])
        }
        do {
            let d = try Dataset(path: path, update: true)
            let t = try d.layer(named: "notes")
            try d.transaction {
                try t.insertMany((1...2_500).map { [.integer(Int64($0)), .string("row \($0) it's")] })
                // Rows 2 to 1,001 (fids) get new text; k is left as stored.
                try t.update((2...1_001).map { (Int64($0), [.integer(-1), .string("changed '\($0)'")], nil) }, only: ["text"])
            }
            try t.insert([.integer(2_501), .string("last")])
        }
        let d = try Dataset(path: path)
        let t = try d.layer(named: "notes")
        // 1 + 2,500 + 1 rows, counted by GDAL from gpkg_ogr_contents and by SQL.
        #expect(t.featureCount == 2_502)
        #expect(try d.execute("SELECT COUNT(*) AS n FROM notes").first?["n"] == .integer(2_502))
        let rows = try t.readAll()
        #expect(rows[1]["text"] == .string("changed '2'") && rows[1]["k"] == .integer(1))
        #expect(rows[1_001]["text"] == .string("row 1001 it's"))
        #expect(rows.last?["text"] == .string("last"))
    }

    /// What `insertMany` relies on, checked on the GDAL in use: GDAL keeps an attribute table's
    /// feature count with a trigger of this name, and counts it in gpkg_ogr_contents. Outside a
    /// transaction `insertMany` refuses, leaving the trigger and the rows as they were.
    @Test func theFeatureCountTriggerIsWhereInsertManyExpectsIt() throws {
        let path = Fixtures.temporaryDirectory() + "/trigger.gpkg"
        let d = try Dataset(creating: path, driver: "GPKG")
        let t = try d.createLayer("notes", crs: nil, geometryKind: nil, fields: [.init("k", .integer64)])
        try t.insert([.integer(1)])
        let triggers = try d.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").map { $0["name"]?.description ?? "" }
        #expect(triggers.contains("trigger_insert_feature_count_notes"), "GDAL \(GDALRuntime.versions.gdal): \(triggers)")
        #expect(try d.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'notes'").first?["feature_count"] == .integer(1))
        #expect(throws: GDALError.self) { try t.insertMany([[.integer(2)]]) }
        #expect(try d.execute("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'trigger_insert_feature_count_notes'").first?["n"] == .integer(1))
        try d.transaction { try t.insertMany([[.integer(2)], [.integer(3)]]) }
        #expect(try d.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'notes'").first?["feature_count"] == .integer(3))
    }
}

@Suite struct SQLiteResultTests {
    /// A write refused because another connection holds the GeoPackage's write lock carries
    /// SQLite's own code (`SQLITE_BUSY`), whatever words the message has; a failure of another
    /// kind carries its own code, and a dataset that is not SQLite carries none.
    @Test func aLockedGeoPackageIsRecognisedBySQLitesCode() throws {
        let path = Fixtures.temporaryDirectory() + "/locked.gpkg"
        do {
            let d = try Dataset(creating: path, driver: "GPKG")
            let t = try d.createLayer("notes", crs: nil, geometryKind: nil, fields: [.init("k", .integer64)])
            try t.insert([.integer(1)])
        }
        let holder = try Dataset(path: path, update: true)
        let other = try Dataset(path: path, update: true)
        try other.execute("PRAGMA busy_timeout = 0")
        try holder.transaction {
            try holder.execute("UPDATE notes SET k = 2")
            #expect {
                try other.execute("UPDATE notes SET k = 3")
            } throws: { ($0 as? GDALError)?.sqliteResult == .busy }
            #expect {
                try other.layer(named: "notes").insert([.integer(4)])
            } throws: { ($0 as? GDALError)?.sqliteResult == .busy }
        }
        // SQLITE_ERROR (1): a table that is not there.
        #expect {
            try other.execute("UPDATE missing SET k = 1")
        } throws: { ($0 as? GDALError)?.sqliteResult == .other(1) }
        let json = Fixtures.temporaryDirectory() + "/notes.geojson"
        let geojson = try Dataset(creating: json, driver: "GeoJSON")
        #expect {
            try geojson.execute("SELECT * FROM missing")
        } throws: { ($0 as? GDALError).map { $0.sqliteResult == nil } ?? false }
    }
}
