/// An error from PostgreSQL or from libpq, keeping the server's SQLSTATE code.
///
/// Decisions are taken on `kind` (derived from `sqlState` or from libpq's connection status),
/// never on `message`, which is the server's or libpq's own text and never holds a password.
public struct PostgresError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, by code.
    public enum Kind: Sendable, Equatable {
        /// No connection could be made, or it was lost (libpq's CONNECTION_BAD, SQLSTATE class 08,
        /// 57P01-57P03: the server is down or restarting).
        case connection
        /// The role may not do this (SQLSTATE 42501) or may not log in (class 28).
        case permission
        /// A row or advisory lock could not be had in time (55P03), or a deadlock was broken (40P01).
        case lockTimeout
        /// A table, schema, type or function is missing (42P01, 3F000, 42704, 42883).
        case undefinedObject
        /// Anything else.
        case other
    }

    /// The five-character SQLSTATE, empty when libpq failed before the server answered.
    public let sqlState: String
    public let kind: Kind
    /// The server's (or libpq's) message, first line.
    public let message: String
    /// What LandWatch was doing, e.g. `cannot connect to database "d" on 127.0.0.1:5432`.
    public let context: String

    public init(context: String, sqlState: String, message: String, connectionLost: Bool = false) {
        self.context = context
        self.sqlState = sqlState
        self.message = message
        self.kind = connectionLost ? .connection : PostgresError.kind(of: sqlState)
    }

    static func kind(of state: String) -> Kind {
        switch state {
        case "42501": return .permission
        case "55P03", "40P01": return .lockTimeout
        case "42P01", "3F000", "42704", "42883": return .undefinedObject
        case "57P01", "57P02", "57P03": return .connection
        default:
            if state.hasPrefix("08") { return .connection }
            if state.hasPrefix("28") { return .permission }
            return .other
        }
    }

    public var description: String { message.isEmpty ? context : "\(context): \(message)" }
}
