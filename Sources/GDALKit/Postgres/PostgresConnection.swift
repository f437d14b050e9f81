import CLibPQ
import Foundation

/// One connection to a PostgreSQL server through libpq. Owns its `PGconn` and closes it on
/// deinit; nothing of it leaves this class.
///
/// Every statement goes through `query(_:_:)` with `$1`-style parameters sent apart from the SQL
/// text (libpq's `PQexecParams`), or through `copy(into:columns:rows:)` for bulk loads.
/// Passwords come from where libpq looks for them (the connection string, `PGPASSWORD`,
/// `~/.pgpass`); `label` never shows one.
///
/// Not thread-safe: use a connection from one thread at a time.
public final class PostgresConnection {
    private let handle: OpaquePointer
    /// The server and database, for messages: `database "d" on host:port (user u)`.
    public let label: String

    /// Connects with a libpq connection string, either `key=value …` or a `postgresql://` URI.
    public init(_ conninfo: String) throws {
        label = PostgresConnection.describe(conninfo)
        guard let h = PQconnectdb(conninfo) else {
            throw PostgresError(context: "cannot connect to \(label)", sqlState: "", message: "out of memory", connectionLost: true)
        }
        guard PQstatus(h) == CONNECTION_OK else {
            let message = PostgresConnection.firstLine(PQerrorMessage(h))
            PQfinish(h)
            throw PostgresError(context: "cannot connect to \(label)", sqlState: "", message: message, connectionLost: true)
        }
        handle = h
        PQsetNoticeProcessor(h, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// Options of a connection string as libpq parses them (either form), without `password`;
    /// nil when libpq cannot parse it.
    public static func options(_ conninfo: String) -> [String: String]? {
        var error: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(conninfo, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(parsed) }
        var out: [String: String] = [:]
        var p = parsed
        while let keyword = p.pointee.keyword {
            let key = String(cString: keyword)
            if key != "password", let value = p.pointee.val { out[key] = String(cString: value) }
            p += 1
        }
        return out
    }

    /// `database "d" on host:port (user u)`, with libpq's defaults for what the string leaves out.
    public static func describe(_ conninfo: String) -> String {
        let o = options(conninfo) ?? [:]
        let environment = ProcessInfo.processInfo.environment
        let database = o["dbname"] ?? environment["PGDATABASE"] ?? o["user"] ?? environment["PGUSER"] ?? NSUserName()
        let host = o["host"] ?? o["hostaddr"] ?? environment["PGHOST"] ?? "localhost"
        let port = o["port"] ?? environment["PGPORT"] ?? "5432"
        let user = o["user"] ?? environment["PGUSER"] ?? NSUserName()
        return "database \"\(database)\" on \(host):\(port) (user \(user))"
    }

    /// Runs one statement with its parameters (text format; nil is SQL NULL, types inferred by the
    /// server) and returns its rows as features whose values follow the columns' types.
    @discardableResult
    public func query(_ sql: String, _ parameters: [FieldValue] = []) throws -> [Feature] {
        let texts: [String?] = parameters.map { v in
            switch v {
            case .null: return nil
            case .real(let d) where !d.isFinite: return nil
            default: return v.description
            }
        }
        let result = PostgresConnection.withCStrings(texts) { values in
            PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        return try rows(of: result, context: "a query failed on \(label)")
    }

    /// The bytes of a `bytea` column as text (`\x…` hex), for geometries read with `ST_AsBinary`.
    public static func bytes(hex value: FieldValue) -> [UInt8]? {
        guard case .string(var s) = value, s.hasPrefix("\\x"), s.utf8.count % 2 == 0 else { return nil }
        return s.withUTF8 { text -> [UInt8]? in
            let n = (text.count - 2) / 2
            var bad = false
            let out = [UInt8](unsafeUninitializedCapacity: n) { buffer, count in
                for i in 0..<n {
                    let h = hexValues[Int(text[2 + 2 * i])], l = hexValues[Int(text[3 + 2 * i])]
                    if h > 15 || l > 15 { bad = true; break }
                    buffer[i] = h << 4 | l
                }
                count = bad ? 0 : n
            }
            return bad ? nil : out
        }
    }

    /// Each byte's value as a hex digit, 255 for what is none.
    private static let hexValues: [UInt8] = (0..<256).map { c in
        switch c {
        case 48...57: return UInt8(c - 48)
        case 97...102: return UInt8(c - 87)
        case 65...70: return UInt8(c - 55)
        default: return 255
        }
    }

    /// Loads rows with `COPY … FROM STDIN` (text format): the fastest way in. `row(i, &line)`
    /// appends row `i`'s values, each added with `appendCopyField` and separated by tabs.
    public func copy(into table: String, columns: [String], count: Int, row: (Int, inout [UInt8]) -> Void) throws {
        let context = "cannot load \(table) on \(label)"
        let start = PQexec(handle, "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN")
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try rows(of: start, context: context)
            throw PostgresError(context: context, sqlState: "", message: "the server did not accept COPY")
        }
        PQclear(start)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush() throws {
            let sent = buffer.withUnsafeBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { PQputCopyData(handle, $0, Int32(b.count)) }
            }
            guard sent == 1 else { throw lostConnection(context) }
            buffer.removeAll(keepingCapacity: true)
        }
        for i in 0..<count {
            row(i, &buffer)
            buffer.append(10)
            if buffer.count > 1 << 20 { try flush() }
        }
        if !buffer.isEmpty { try flush() }
        guard PQputCopyEnd(handle, nil) == 1 else { throw lostConnection(context) }
        var failure: Error?
        while let result = PQgetResult(handle) {
            do { _ = try rows(of: result, context: context) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    /// Appends one value to a COPY line in PostgreSQL's text format (`\N` for NULL; backslash,
    /// tab, newline and carriage return escaped), preceded by a tab unless it is the first.
    public static func appendCopyField(_ value: FieldValue, first: Bool = false, to line: inout [UInt8]) {
        if !first { line.append(9) }
        switch value {
        case .null: line.append(contentsOf: [92, 78])
        case .real(let d) where !d.isFinite: line.append(contentsOf: [92, 78])
        case .integer, .real: line.append(contentsOf: value.description.utf8)
        case .string(let s):
            for c in s.utf8 {
                switch c {
                case 92: line.append(contentsOf: [92, 92])
                case 9: line.append(contentsOf: [92, 116])
                case 10: line.append(contentsOf: [92, 110])
                case 13: line.append(contentsOf: [92, 114])
                default: line.append(c)
                }
            }
        }
    }

    private func lostConnection(_ context: String) -> PostgresError {
        PostgresError(context: context, sqlState: "", message: PostgresConnection.firstLine(PQerrorMessage(handle)), connectionLost: true)
    }

    /// A result's rows, or its error; clears the result.
    private func rows(of result: OpaquePointer?, context: String) throws -> [Feature] {
        guard let result else { throw lostConnection(context) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN: return []
        case PGRES_TUPLES_OK: break
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = PostgresConnection.firstLine(PQresultErrorField(result, Int32(UInt8(ascii: "M"))) ?? PQerrorMessage(handle))
            throw PostgresError(context: context, sqlState: state, message: message,
                                connectionLost: state.isEmpty && PQstatus(handle) != CONNECTION_OK)
        }
        let columns = Int(PQnfields(result)), count = Int(PQntuples(result))
        let names = (0..<columns).map { String(cString: PQfname(result, Int32($0))) }
        let types = (0..<columns).map { PQftype(result, Int32($0)) }
        let schema = Schema(zip(names, types).map { FieldDefinition($0, PostgresConnection.fieldType($1)) })
        var out: [Feature] = []
        out.reserveCapacity(count)
        for r in 0..<count {
            let values = (0..<columns).map { c -> FieldValue in
                if PQgetisnull(result, Int32(r), Int32(c)) != 0 { return .null }
                let text = String(cString: PQgetvalue(result, Int32(r), Int32(c)))
                switch schema.fields[c].type {
                case .integer, .integer64:
                    // Booleans come as t/f and are read as 1/0.
                    return (Int64(text) ?? (text == "t" ? 1 : text == "f" ? 0 : nil)).map(FieldValue.integer) ?? .string(text)
                case .real: return Double(text).map(FieldValue.real) ?? .string(text)
                default: return .string(text)
                }
            }
            out.append(Feature(fid: Int64(r), schema: schema, values: values, geometry: nil))
        }
        return out
    }

    /// The field type of a PostgreSQL type OID (the built-in ones LandWatch reads).
    private static func fieldType(_ oid: Oid) -> FieldType {
        switch oid {
        case 16, 21, 23: return .integer
        case 20: return .integer64
        case 700, 701, 1700: return .real
        case 1082: return .date
        case 17: return .binary
        default: return .string
        }
    }

    private static func firstLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        return String(cString: text).split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    private static func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { $0.map { strdup($0)! } }
        defer { for c in copies { free(c) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}

extension PostgresConnection {
    /// A text array literal (`{"a","b"}`) for an `$n::text[]` parameter: every element quoted,
    /// its backslashes and quotes escaped.
    public static func arrayLiteral(_ items: [String]) -> String {
        "{" + items.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
