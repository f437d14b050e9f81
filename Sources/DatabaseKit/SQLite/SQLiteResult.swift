import CSQLite

/// SQLite's primary result code for a failure, read from the connection right after the failing
/// call, so that LandWatch decides on SQLite's own code rather than on the words of its message.
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
    public init?(code: Int32) {
        switch code & 0xff {
        case SQLITE_OK, SQLITE_ROW, SQLITE_DONE: return nil
        case SQLITE_BUSY, SQLITE_LOCKED: self = .busy
        case SQLITE_FULL: self = .full
        case SQLITE_READONLY, SQLITE_CANTOPEN: self = .readOnly
        default: self = .other(code & 0xff)
        }
    }
}

/// A failure of an SQLite call, with SQLite's extended result code and message.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// SQLite's extended result code.
    public let code: Int32
    /// The code as LandWatch decides on it.
    public var result: SQLiteResult { SQLiteResult(code: code) ?? .other(code) }
    /// SQLite's message (never holds a bound value).
    public let message: String
    /// What was being done: `cannot prepare a statement`, `a statement failed`.
    public let context: String

    public var description: String { "\(context): \(message)" }
}
