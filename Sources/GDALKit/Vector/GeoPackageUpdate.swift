import CGDAL
import Foundation

extension Layer {
    /// Replaces many features' values (in field order), and their geometries where given (nil
    /// leaves a geometry as it is). On a GeoPackage the rows without a new geometry go in a few
    /// SQL statements (staged in a temporary table, then one `UPDATE … FROM`), far faster than
    /// feature-by-feature updates; the others, and every row on other drivers, feature by feature.
    /// `only` limits the SQL path to the named fields (the others are left as stored).
    public func update(_ rows: [(fid: Int64, values: [FieldValue], geometry: Geometry?)], only: [String]? = nil) throws {
        let attributeOnly = dataset.driverName == "GPKG" ? rows.filter { $0.geometry == nil } : []
        for r in rows where r.geometry != nil || attributeOnly.isEmpty {
            try update(fid: r.fid, r.values, geometry: r.geometry, keepGeometry: r.geometry == nil)
        }
        guard !attributeOnly.isEmpty else { return }
        let fields = schema.fields.map(\.name)
        let changing = fields.indices.filter { only?.contains(fields[$0]) ?? true }
        let columns = changing.map { Layer.sqlName(fields[$0]) }
        try dataset.execute("DROP TABLE IF EXISTS temp.landwatch_update")
        try dataset.execute("CREATE TEMP TABLE landwatch_update (fid INTEGER PRIMARY KEY, \(columns.joined(separator: ", ")))")
        try Layer.insertInChunks(into: "temp.landwatch_update", columns: ["fid"] + columns, count: attributeOnly.count, on: dataset) { i, sql in
            sql += String(attributeOnly[i].fid)
            for k in changing {
                sql += ","
                Layer.appendLiteral(k < attributeOnly[i].values.count ? attributeOnly[i].values[k] : .null, to: &sql)
            }
        }
        let table = Layer.sqlName(name)
        let assignments = columns.map { "\($0) = u.\($0)" }.joined(separator: ", ")
        try dataset.execute("UPDATE \(table) SET \(assignments) FROM temp.landwatch_update u WHERE \(table).fid = u.fid")
        try dataset.execute("DROP TABLE temp.landwatch_update")
    }

    /// Adds many attribute rows (values in field order) to a table without geometry: multi-row
    /// SQL inserts on a GeoPackage, feature by feature elsewhere. On a GeoPackage it must run
    /// inside `Dataset.transaction` (else it refuses): GDAL's per-row feature-count trigger
    /// (`trigger_insert_feature_count_TABLE`, GeoPackageUpdateTests checks its name on the GDAL
    /// in use) is set aside while the rows go in and the count raised once at the end, as GDAL
    /// itself does, and a kill half-way must roll all of it back.
    public func insertMany(_ rows: [[FieldValue]]) throws {
        guard dataset.driverName == "GPKG", !hasGeometry else {
            for r in rows { try insert(r) }
            return
        }
        guard dataset.inTransaction else {
            throw GDALError(context: "cannot add rows to \"\(name)\" of \"\(dataset.path)\" outside a transaction",
                            message: "its feature-count trigger is set aside while they go in")
        }
        let fields = schema.fields.map { Layer.sqlName($0.name) }
        let trigger = "trigger_insert_feature_count_" + name
        let triggerSQL = try dataset.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '\(Layer.sqlQuoted(trigger))'")
            .first?["sql"]?.description
        if triggerSQL != nil { try dataset.execute("DROP TRIGGER \(Layer.sqlName(trigger))") }
        try Layer.insertInChunks(into: Layer.sqlName(name), columns: fields, count: rows.count, on: dataset) { i, sql in
            for (k, v) in rows[i].prefix(fields.count).enumerated() {
                if k > 0 { sql += "," }
                Layer.appendLiteral(v, to: &sql)
            }
        }
        if let triggerSQL {
            try dataset.execute("UPDATE gpkg_ogr_contents SET feature_count = feature_count + \(rows.count) "
                + "WHERE lower(table_name) = lower('\(Layer.sqlQuoted(name))')")
            try dataset.execute(triggerSQL)
        }
    }

    /// Multi-row `INSERT`s of `count` rows, a thousand a statement; `row` appends a row's values.
    private static func insertInChunks(into table: String, columns: [String], count: Int, on dataset: Dataset,
                                       _ row: (Int, inout String) -> Void) throws {
        var start = 0
        while start < count {
            var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            for i in start..<min(start + 1000, count) {
                sql += i == start ? "(" : ",("
                row(i, &sql)
                sql += ")"
            }
            try dataset.execute(sql)
            start += 1000
        }
    }

    /// A double-quoted SQL identifier.
    static func sqlName(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func sqlQuoted(_ s: String) -> String {
        s.utf8.contains(UInt8(ascii: "'")) ? s.replacingOccurrences(of: "'", with: "''") : s
    }

    /// Appends a value as an SQLite literal: NULL, a number, or text in single quotes with its
    /// quotes doubled (SQLite has no other escape, so the text cannot end the literal).
    public static func appendLiteral(_ v: FieldValue, to sql: inout String) {
        switch v {
        case .null: sql += "NULL"
        case .integer(let i): sql += String(i)
        case .real(let d): sql += d.isFinite ? d.description : "NULL"
        case .string(let s):
            sql += "'"
            sql += sqlQuoted(s)
            sql += "'"
        }
    }
}
