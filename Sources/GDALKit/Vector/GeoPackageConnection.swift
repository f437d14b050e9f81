import CGDAL
@_spi(Bindings) import DatabaseKit

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
        guard error.sqliteResult == nil, let connection = sqlite else { return error }
        var error = error
        error.sqliteResult = connection.lastResult
        return error
    }

    /// The SQLite connection GDAL holds for a GeoPackage or SQLite dataset, lent for statements
    /// with bound parameters that run in the dataset's transaction; nil for other drivers. It
    /// holds the dataset alive and refuses to run once the dataset is closed.
    public var sqlite: SQLiteConnection? {
        guard isOpen, ["GPKG", "SQLite"].contains(driverName),
              let handle = GDALGetInternalHandle(handle, "SQLITE_HANDLE").map(OpaquePointer.init) else { return nil }
        return SQLiteConnection(borrowing: handle, owner: self, isOpen: { [weak self] in self?.isOpen ?? false })
    }
}
