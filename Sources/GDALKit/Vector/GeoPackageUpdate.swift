import CGDAL
import DatabaseKit
import Foundation

extension Layer {
    /// Replaces many features' values (in field order), and their geometries where given (nil
    /// leaves a geometry as it is). On a GeoPackage the rows without a new geometry go through
    /// one prepared `UPDATE` with their values bound, far faster than feature-by-feature updates;
    /// the others, and every row on other drivers, feature by feature. `only` limits the SQL path
    /// to the named fields (the others are left as stored).
    public func update(_ rows: [(fid: Int64, values: [FieldValue], geometry: Geometry?)], only: [String]? = nil) throws {
        let connection = dataset.driverName == "GPKG" ? dataset.sqlite : nil
        let attributeOnly = connection == nil ? [] : rows.filter { $0.geometry == nil }
        for r in rows where r.geometry != nil || attributeOnly.isEmpty {
            try update(fid: r.fid, r.values, geometry: r.geometry, keepGeometry: r.geometry == nil)
        }
        guard let connection, !attributeOnly.isEmpty else { return }
        let fields = schema.fields.map(\.name)
        let changing = fields.indices.filter { only?.contains(fields[$0]) ?? true }
        let assignments = changing.enumerated().map { "\(Layer.sqlName(fields[$1])) = ?\($0 + 1)" }.joined(separator: ", ")
        try GDALError.fromSQLite(on: dataset) {
            let statement = try connection.prepare("UPDATE \(Layer.sqlName(name)) SET \(assignments) WHERE fid = ?\(changing.count + 1)")
            for r in attributeOnly {
                try statement.run(changing.map { $0 < r.values.count ? r.values[$0].sqlValue : .null } + [.integer(r.fid)])
            }
        }
    }

    /// Adds many attribute rows (values in field order) to a table without geometry: one
    /// prepared `INSERT` with each row's values bound on a GeoPackage, feature by feature
    /// elsewhere. On a GeoPackage it must run inside `Dataset.transaction` (else it refuses):
    /// GDAL's per-row feature-count trigger (`trigger_insert_feature_count_TABLE`,
    /// GeoPackageUpdateTests checks its name on the GDAL in use) is set aside while the rows go
    /// in and the count raised once at the end, as GDAL itself does, and a kill half-way must
    /// roll all of it back.
    public func insertMany(_ rows: [[FieldValue]]) throws {
        guard dataset.driverName == "GPKG", !hasGeometry, let connection = dataset.sqlite else {
            for r in rows { try insert(r) }
            return
        }
        guard dataset.inTransaction else {
            throw GDALError(context: "cannot add rows to \"\(name)\" of \"\(dataset.path)\" outside a transaction",
                            message: "its feature-count trigger is set aside while they go in")
        }
        let fields = schema.fields.map { Layer.sqlName($0.name) }
        let trigger = "trigger_insert_feature_count_" + name
        try GDALError.fromSQLite(on: dataset) {
            let triggerSQL = try connection.query("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1", [.text(trigger)])
                .first?.text("sql")
            if triggerSQL != nil { try connection.execute("DROP TRIGGER \(Layer.sqlName(trigger))") }
            let placeholders = fields.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
            let statement = try connection.prepare("INSERT INTO \(Layer.sqlName(name)) (\(fields.joined(separator: ", "))) VALUES (\(placeholders))")
            for r in rows {
                try statement.run(fields.indices.map { $0 < r.count ? r[$0].sqlValue : .null })
            }
            if let triggerSQL {
                try connection.execute("UPDATE gpkg_ogr_contents SET feature_count = feature_count + ?1 WHERE lower(table_name) = lower(?2)",
                                       [.integer(Int64(rows.count)), .text(name)])
                try connection.execute(triggerSQL)
            }
        }
        try forgetCachedCount()
    }

    /// Makes GDAL forget the feature count it keeps for the layer after rows went in behind its
    /// back (it would otherwise write its stale count into `gpkg_ogr_contents` when the dataset
    /// closes): a statement through GDAL's own SQL that changes nothing, which GDAL answers by
    /// dropping its cached counts.
    private func forgetCachedCount() throws {
        _ = try dataset.execute("DELETE FROM \(Layer.sqlName(name)) WHERE 0")
    }

    /// A double-quoted SQL identifier.
    static func sqlName(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

}

extension FieldValue {
    /// The value as SQLite stores it (text as text, numbers as numbers).
    public var sqlValue: SQLValue {
        switch self {
        case .null: return .null
        case .integer(let v): return .integer(v)
        case .real(let v): return .real(v)
        case .string(let s): return .text(s)
        }
    }
}

extension GDALError {
    /// Runs SQLite statements on a dataset's connection; SQLite's failure becomes a `GDALError`
    /// naming the dataset, with SQLite's result kept.
    static func fromSQLite<T>(on dataset: Dataset, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as SQLiteError {
            var error = GDALError(context: "SQL failed on \"\(dataset.path)\"", message: failure.message)
            error.sqliteResult = failure.result
            throw error
        }
    }
}
