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

    /// Runs one statement with its parameters sent apart from the SQL text (`PQexecParams`:
    /// text format, bytes in binary format; nil and non-finite numbers are SQL NULL, types
    /// inferred by the server) and returns its rows, each value by its column's type.
    @discardableResult
    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [SQLRow] {
        var buffers: [[UInt8]?] = [], formats: [Int32] = [], lengths: [Int32] = []
        for v in parameters {
            switch v {
            case .null: buffers.append(nil)
            case .real(let d) where !d.isFinite: buffers.append(nil)
            case .integer(let i): buffers.append(Array(String(i).utf8) + [0])
            case .real(let d): buffers.append(Array(d.description.utf8) + [0])
            case .text(let s): buffers.append(Array(s.utf8) + [0])
            case .blob(let b): buffers.append(b)
            }
            if case .blob(let b) = v { formats.append(1); lengths.append(Int32(b.count)) } else { formats.append(0); lengths.append(0) }
        }
        let result = PostgresConnection.withBuffers(buffers) { values in
            PQexecParams(handle, sql, Int32(values.count), nil, values, lengths, formats, 0)
        }
        return try rows(of: result, context: "a query failed on \(label)")
    }

    /// The bytes of a `bytea` value as PostgreSQL writes it in text (`\x` and hex digits).
    static func bytes(hex text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count >= 2, text.count % 2 == 0, text[0] == 92, text[1] == 120 else { return nil }
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
    public static func appendCopyField(_ value: SQLValue, first: Bool = false, to line: inout [UInt8]) {
        if !first { line.append(9) }
        switch value {
        case .null: line.append(contentsOf: [92, 78])
        case .real(let d) where !d.isFinite: line.append(contentsOf: [92, 78])
        case .integer(let i): line.append(contentsOf: String(i).utf8)
        case .real(let d): line.append(contentsOf: d.description.utf8)
        case .blob(let b):
            // bytea's hex input, its backslash doubled for COPY's text format.
            line.append(contentsOf: [92, 92, 120])
            let digits = Array("0123456789abcdef".utf8)
            for c in b { line.append(digits[Int(c >> 4)]); line.append(digits[Int(c & 15)]) }
        case .text(let s):
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
    private func rows(of result: OpaquePointer?, context: String) throws -> [SQLRow] {
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
        let names = SQLColumns((0..<columns).map { String(cString: PQfname(result, Int32($0))) })
        let kinds = (0..<columns).map { PostgresConnection.kind(PQftype(result, Int32($0))) }
        var out: [SQLRow] = []
        out.reserveCapacity(count)
        for r in 0..<Int32(count) {
            let values = (0..<columns).map { c -> SQLValue in
                if PQgetisnull(result, r, Int32(c)) != 0 { return .null }
                let raw = UnsafeBufferPointer(start: UnsafeRawPointer(PQgetvalue(result, r, Int32(c))).assumingMemoryBound(to: UInt8.self),
                                              count: Int(PQgetlength(result, r, Int32(c))))
                let text = String(decoding: raw, as: UTF8.self)
                switch kinds[c] {
                case .integer: return Int64(text).map(SQLValue.integer) ?? .text(text)
                // Booleans come as t/f and are read as 1/0.
                case .boolean: return .integer(text == "t" ? 1 : 0)
                case .real: return Double(text).map(SQLValue.real) ?? .text(text)
                case .bytes: return PostgresConnection.bytes(hex: raw).map(SQLValue.blob) ?? .text(text)
                case .text: return .text(text)
                }
            }
            out.append(SQLRow(columns: names, values: values))
        }
        return out
    }

    /// How a column of a built-in PostgreSQL type (by OID) is read.
    private enum ColumnKind { case integer, boolean, real, bytes, text }

    private static func kind(_ oid: Oid) -> ColumnKind {
        switch oid {
        case 16: return .boolean
        case 20, 21, 23: return .integer
        case 700, 701, 1700: return .real
        case 17: return .bytes
        default: return .text
        }
    }

    private static func firstLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        return String(cString: text).split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// The buffers' addresses, valid inside `body`.
    private static func withBuffers<R>(_ buffers: [[UInt8]?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = buffers.map { b -> UnsafeMutablePointer<CChar>? in
            guard let b else { return nil }
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(b.count, 1))
            b.withUnsafeBytes { UnsafeMutableRawPointer(p).copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(p), byteCount: b.count) }
            return p
        }
        defer { for c in copies { c?.deallocate() } }
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
