import CSQLite

/// An SQLite connection borrowed from its owner (GDAL's, for a GeoPackage): every statement is
/// prepared (`sqlite3_prepare_v2`) and its values bound (`sqlite3_bind_*`), never written into
/// the SQL text. Statements run in whatever transaction the owner has begun on the connection,
/// so they commit or roll back with the owner's own writes.
///
/// Holds its owner alive and asks it whether the connection is still open before each call:
/// it cannot outlive what it borrows. Not thread-safe, like the connection it borrows.
public final class SQLiteConnection {
    private let handle: OpaquePointer
    private let owner: AnyObject
    private let isOpen: () -> Bool

    /// Borrows `handle` from `owner`, which keeps it open while `isOpen()` says so.
    @_spi(Bindings) public init(borrowing handle: OpaquePointer, owner: AnyObject, isOpen: @escaping () -> Bool) {
        self.handle = handle
        self.owner = owner
        self.isOpen = isOpen
    }

    /// The rows of a statement with its parameters bound (`?1`, `?2` … or `?`).
    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [SQLRow] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return try statement.rows()
    }

    /// Runs a statement that returns no rows, with its parameters bound.
    public func execute(_ sql: String, _ parameters: [SQLValue] = []) throws {
        try prepare(sql).run(parameters)
    }

    /// A statement prepared once, to run many times with other values.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        guard isOpen() else { throw SQLiteError(code: SQLITE_MISUSE, message: "the database is closed", context: "cannot prepare a statement") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw error(code, "cannot prepare a statement")
        }
        return SQLiteStatement(statement, connection: self)
    }

    /// SQLite's result for the connection's last failure (nil after a success), read before
    /// anything else runs on the connection.
    public var lastResult: SQLiteResult? { SQLiteResult(code: sqlite3_extended_errcode(handle)) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The error for the connection's last failure (its extended code and message).
    func error(_ code: Int32, _ context: String) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        return SQLiteError(code: extended == SQLITE_OK ? code : extended, message: String(cString: sqlite3_errmsg(handle)), context: context)
    }
}

/// A prepared statement: bind, step, read columns, reset. Finalized on deinit; holds its
/// connection (and so the connection's owner) alive until then. Not thread-safe.
public final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection
    private lazy var columns = SQLColumns((0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) })

    fileprivate init(_ statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    /// SQLite copies what it is given (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds the values to the parameters in order, after clearing the earlier ones.
    public func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        // `$1`, `$2` … are named parameters to SQLite, numbered in the order they first appear:
        // each value goes to its name; `?` parameters take the values in order.
        let named = sqlite3_bind_parameter_count(statement) > 0 && sqlite3_bind_parameter_name(statement, 1).map { $0.pointee == 36 } == true
        for (k, value) in values.enumerated() {
            let i = named ? sqlite3_bind_parameter_index(statement, "$\(k + 1)") : Int32(k + 1)
            guard i > 0 else { throw SQLiteError(code: SQLITE_RANGE, message: "no parameter $\(k + 1)", context: "cannot bind parameter \(k + 1)") }
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(statement, i)
            case .integer(let v): code = sqlite3_bind_int64(statement, i, v)
            case .real(let v): code = v.isFinite ? sqlite3_bind_double(statement, i, v) : sqlite3_bind_null(statement, i)
            case .text(let s):
                var s = s
                code = s.withUTF8 { b in
                    // An empty text still needs an address (SQLite binds NULL for none).
                    b.withMemoryRebound(to: CChar.self) { c in
                        withUnsafePointer(to: CChar(0)) { empty in
                            sqlite3_bind_text64(statement, i, c.baseAddress ?? empty, sqlite3_uint64(c.count), SQLiteStatement.transient, UInt8(SQLITE_UTF8))
                        }
                    }
                }
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { sqlite3_bind_blob64(statement, i, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), sqlite3_uint64($0.count), SQLiteStatement.transient) }
            }
            guard code == SQLITE_OK else { throw connection.error(code, "cannot bind parameter \(i)") }
        }
    }

    /// Steps once: true when a row is ready to read, false when the statement is done.
    public func step() throws -> Bool {
        let code = sqlite3_step(statement)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(code, "a statement failed")
            sqlite3_reset(statement)
            throw error
        }
    }

    /// Binds the values and steps to the end (for statements that return no rows).
    public func run(_ values: [SQLValue]) throws {
        try bind(values)
        while try step() {}
        sqlite3_reset(statement)
    }

    /// Every remaining row, as values.
    public func rows() throws -> [SQLRow] {
        var out: [SQLRow] = []
        while try step() { out.append(row()) }
        sqlite3_reset(statement)
        return out
    }

    /// The current row as a value.
    public func row() -> SQLRow {
        SQLRow(columns: columns, values: (0..<Int32(columns.names.count)).map(value))
    }

    /// Column `i` of the current row as a value.
    public func value(_ i: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, i))
        case SQLITE_BLOB: return .blob(withBlob(i) { $0.map { [UInt8]($0) } ?? [] })
        default: return text(i).map(SQLValue.text) ?? .null
        }
    }

    // Column access by position, for the fast readers that step through large tables.

    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(statement, i) == SQLITE_NULL }
    public func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(statement, i) }
    public func int32(_ i: Int32) -> Int32 { sqlite3_column_int(statement, i) }
    public func double(_ i: Int32) -> Double { sqlite3_column_double(statement, i) }

    /// Column `i` as UTF-8 text; nil for NULL.
    public func text(_ i: Int32) -> String? {
        guard let p = sqlite3_column_text(statement, i) else { return nil }
        let n = Int(sqlite3_column_bytes(statement, i))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Column `i`'s bytes, valid only inside `body` (nil for NULL).
    public func withBlob<T>(_ i: Int32, _ body: (UnsafeRawBufferPointer?) throws -> T) rethrows -> T {
        guard sqlite3_column_type(statement, i) != SQLITE_NULL, let p = sqlite3_column_blob(statement, i) else {
            return try body(sqlite3_column_type(statement, i) == SQLITE_NULL ? nil : UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, i))))
    }
}
