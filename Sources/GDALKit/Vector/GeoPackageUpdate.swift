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
        let quoted = (["fid"] + fields).map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        try dataset.execute("DROP TABLE IF EXISTS temp.landwatch_update")
        try dataset.execute("CREATE TEMP TABLE landwatch_update (\(quoted.joined(separator: ", ")))")
        var start = 0
        while start < attributeOnly.count {
            let chunk = attributeOnly[start..<min(start + 1000, attributeOnly.count)]
            var sql = "INSERT INTO temp.landwatch_update VALUES "
            for (i, r) in chunk.enumerated() {
                sql += (i == 0 ? "(" : ",(") + String(r.fid)
                for v in r.values.prefix(fields.count) { sql += "," + Layer.sqlLiteral(v) }
                sql += ")"
            }
            try dataset.execute(sql)
            start += 1000
        }
        let table = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let changing = only.map(Set.init)
        let assignments = zip(fields, quoted.dropFirst()).filter { changing?.contains($0.0) ?? true }
            .map { "\($0.1) = u.\($0.1)" }.joined(separator: ", ")
        try dataset.execute("UPDATE \(table) SET \(assignments) FROM temp.landwatch_update u WHERE \(table).fid = u.fid")
        try dataset.execute("DROP TABLE temp.landwatch_update")
    }

    /// Adds many attribute rows (values in field order) to a table without geometry: multi-row
    /// SQL inserts on a GeoPackage, feature by feature elsewhere.
    public func insertMany(_ rows: [[FieldValue]]) throws {
        guard dataset.driverName == "GPKG", !hasGeometry else {
            for r in rows { try insert(r) }
            return
        }
        let fields = schema.fields.map { "\"" + $0.name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let table = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        var start = 0
        while start < rows.count {
            var sql = "INSERT INTO \(table) (\(fields.joined(separator: ", "))) VALUES "
            for (i, r) in rows[start..<min(start + 1000, rows.count)].enumerated() {
                sql += (i == 0 ? "(" : ",(") + r.prefix(fields.count).map(Layer.sqlLiteral).joined(separator: ",") + ")"
            }
            try dataset.execute(sql)
            start += 1000
        }
    }

    static func sqlQuoted(_ s: String) -> String { s.replacingOccurrences(of: "'", with: "''") }

    static func sqlLiteral(_ v: FieldValue) -> String {
        switch v {
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .real(let d): return d.isFinite ? "\(d)" : "NULL"
        case .string(let s): return "'" + sqlQuoted(s) + "'"
        }
    }
}
