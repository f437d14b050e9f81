import CGDAL
import CSQLite

/// SQLite's primary result code for a failure on a GeoPackage, read from the database
/// connection GDAL uses (`sqlite3_errcode`) right after the failing call, so that LandWatch
/// decides on SQLite's own code rather than on the words of its message.
public enum SQLiteResult: Equatable, Sendable {
    /// `SQLITE_BUSY`: another connection holds the lock.
    case busy
    /// `SQLITE_FULL`: the disk (or the file-size limit) is full.
    case full
    /// `SQLITE_READONLY` or `SQLITE_CANTOPEN`: the database or its journal cannot be written.
    case readOnly
    /// Any other failing code.
    case other(Int32)

    /// The result for an extended or primary code; nil for success (`SQLITE_OK`, `_ROW`, `_DONE`).
    init?(code: Int32) {
        switch code & 0xff {
        case SQLITE_OK, SQLITE_ROW, SQLITE_DONE: return nil
        case SQLITE_BUSY, SQLITE_LOCKED: self = .busy
        case SQLITE_FULL: self = .full
        case SQLITE_READONLY, SQLITE_CANTOPEN: self = .readOnly
        default: self = .other(code & 0xff)
        }
    }
}

extension Dataset {
    /// Runs a call on the dataset; a `GDALError` it throws gets SQLite's result attached when the
    /// dataset is a GeoPackage (or SQLite file). The code is read before anything else runs on
    /// the connection (a rollback would replace it).
    func recordingSQLiteResult<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GDALError {
            throw withSQLiteResult(error)
        }
    }

    /// The error with SQLite's result for the connection's last failure attached.
    func withSQLiteResult(_ error: GDALError) -> GDALError {
        guard error.sqliteResult == nil, let database = sqliteDatabase else { return error }
        var error = error
        error.sqliteResult = SQLiteResult(code: sqlite3_extended_errcode(database))
        return error
    }

    /// The SQLite connection GDAL holds for a GeoPackage or SQLite dataset (borrowed: it lives
    /// as long as the dataset is open), nil for other drivers.
    var sqliteDatabase: OpaquePointer? {
        guard isOpen, ["GPKG", "SQLite"].contains(driverName) else { return nil }
        return GDALGetInternalHandle(handle, "SQLITE_HANDLE").map(OpaquePointer.init)
    }
}
