import DatabaseKit
import GDALKit
import LandWatchCore

/// A database failure of a store that no rule of the ledger foresaw (not a busy, full or
/// read-only disk, a lost connection or a lock, which are said for people as they are). The
/// command line prints it as it is; the server logs it with a request id and answers only a
/// generic 500, so that no SQL, path or server message reaches a client.
public struct LedgerStoreFailure: Error, CustomStringConvertible, Sendable {
    /// The ledger and the database's own words (SQLSTATE or SQLite's code and message).
    public let description: String
    /// Whether the file or server could not be read or written (exit 74), rather than the data (65).
    public let isFileProblem: Bool

    /// The failure of a GeoPackage store's statement or of GDAL on it.
    static func geoPackage(_ error: Error) -> Error {
        switch error {
        case let e as GDALError: return LedgerStoreFailure(description: e.description, isFileProblem: e.isFileProblem)
        case let e as SQLiteError: return LedgerStoreFailure(description: e.description, isFileProblem: false)
        default: return error
        }
    }
}
