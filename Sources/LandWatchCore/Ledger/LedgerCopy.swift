import GDALKit

/// A whole ledger from one store into another (GeoPackage to PostGIS or back): entries with
/// their ids and outlines, every event in order, every batch, the accounts and the photos. The
/// target must be empty; the copy is one write, so a failure leaves it empty.
public enum LedgerCopy {
    public struct Counts: Sendable, Equatable {
        public let entries: Int, events: Int, batches: Int
        public var accounts = 0, photos = 0
    }

    /// The tables copied row by row, with their columns (the same in both stores).
    static let plainTables = [("users", LedgerRows.userFields), ("attachments", LedgerRows.attachmentFields)]

    public static func run(from source: any LedgerStore, to target: any LedgerStore) throws -> Counts {
        let change = LedgerChange(inserted: try source.entries().map { var e = $0; e.fid = nil; return e },
                                  events: try source.events(), batches: try source.batchList())
        let plain = try plainTables.map { table, fields in
            (table, fields, try source.rows("SELECT \(fields.map(\.name).joined(separator: ", ")) FROM \(table) ORDER BY fid", []))
        }
        try target.write(.ingest(wait: 0)) {
            guard try target.isEmpty() else {
                throw LandWatchError.data("\(target.label) already holds a ledger: a copy goes into an empty one; nothing was copied")
            }
            try target.apply(change)
            for (table, fields, rows) in plain {
                let placeholders = fields.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
                let sql = "INSERT INTO \(table) (\(fields.map(\.name).joined(separator: ", "))) VALUES (\(placeholders))"
                for row in rows { try target.run(sql, fields.map { row[$0.name] ?? .null }) }
            }
        }
        var counts = Counts(entries: change.inserted.count, events: change.events.count, batches: change.batches.count)
        counts.accounts = plain[0].2.count
        counts.photos = plain[1].2.count
        return counts
    }
}
