/// A value sent to or read from a database: SQLite's five storage classes, which PostgreSQL's
/// values are read into as well (dates as ISO text, `bytea` as bytes, booleans as 1 and 0).
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// Text or NULL.
    public init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }

    /// An integer or NULL.
    public init(_ number: Int?) { self = number.map { .integer(Int64($0)) } ?? .null }
}

/// One row of a query's result: values by column, the column names shared by every row of the
/// result. A plain value; nothing of the database stays behind it.
public struct SQLRow: Sendable {
    /// The result's column names, in order.
    public let columns: SQLColumns
    public let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of a column by name; nil when the result has no such column.
    public subscript(column: String) -> SQLValue? { columns.index[column].map { values[$0] } }

    /// A column as text (numbers written out); nil for NULL, a missing column or bytes.
    public func text(_ column: String) -> String? {
        switch self[column] {
        case .text(let s)?: return s
        case .integer(let v)?: return String(v)
        case .real(let v)?: return String(v)
        default: return nil
        }
    }

    /// A column as an integer (text parsed, reals truncated); nil for NULL or what is no number.
    public func int(_ column: String) -> Int64? {
        switch self[column] {
        case .integer(let v)?: return v
        case .real(let v)? where v.isFinite && abs(v) < 9e18: return Int64(v)
        case .text(let s)?: return Int64(s)
        default: return nil
        }
    }

    /// A column as a number; nil for NULL or what is no number.
    public func double(_ column: String) -> Double? {
        switch self[column] {
        case .integer(let v)?: return Double(v)
        case .real(let v)?: return v
        case .text(let s)?: return Double(s)
        default: return nil
        }
    }

    /// A column's bytes; nil unless it holds bytes.
    public func bytes(_ column: String) -> [UInt8]? {
        if case .blob(let b)? = self[column] { return b }
        return nil
    }
}

/// The column names of one result, looked up by name.
public final class SQLColumns: Sendable {
    public let names: [String]
    let index: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
        self.index = index
    }
}
