import GDALKit
import LandWatchCore

/// A whole ledger from one store into another (GeoPackage to PostGIS or back): entries with
/// their ids and outlines, every event in order, every batch, the accounts and the photos. The
/// target must be empty; the copy is one write, so a failure leaves it empty.
public enum LedgerCopy {
    public struct Counts: Sendable, Equatable {
        public let entries: Int, events: Int, batches: Int
        public var accounts = 0, photos = 0
    }

    public static func run(from source: any LedgerStore, to target: any LedgerStore) throws -> Counts {
        let change = LedgerChange(inserted: try source.entries().map { var e = $0; e.fid = nil; return e },
                                  events: try source.events(), batches: try source.batches(), photos: try source.allPhotos())
        let accounts = try source.accounts()
        try target.write(.ingest(wait: 0)) {
            guard try target.isEmpty() else {
                throw LandWatchError.data("\(target.label) already holds a ledger: a copy goes into an empty one; nothing was copied")
            }
            try target.apply(change)
            for account in accounts { try target.add(account) }
        }
        var counts = Counts(entries: change.inserted.count, events: change.events.count, batches: change.batches.count)
        counts.accounts = accounts.count
        counts.photos = change.photos.count
        return counts
    }
}
