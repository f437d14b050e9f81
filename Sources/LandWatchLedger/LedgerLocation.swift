import DatabaseKit
import Foundation
import GDALKit
import LandWatchCore

/// Where a ledger lives, as given to `--ledger`, `LANDWATCH_LEDGER` or a run config: a
/// GeoPackage path, or a PostgreSQL connection in GDAL's form (`PG:dbname=d host=h schema=bare`)
/// or as a URI (`postgresql://user@host:5432/d?schema=bare`). The schema (default `landwatch`)
/// picks one of several ledgers in a database; everything else is libpq's, which also finds the
/// password (in the string, `PGPASSWORD` or `~/.pgpass`).
public enum LedgerLocation: Sendable, Equatable, CustomStringConvertible {
    case geoPackage(path: String)
    /// `conninfo` is what libpq is given (the schema taken out).
    case postgres(conninfo: String, schema: String)

    public static let defaultSchema = "landwatch"

    /// Reads a location; anything that is not a PostgreSQL connection is a GeoPackage path.
    public init(parsing text: String) throws {
        let lower = text.lowercased()
        if lower.hasPrefix("pg:") {
            var pairs = try LedgerLocation.keywordPairs(String(text.dropFirst(3)))
            let schema = LedgerLocation.take(["schema", "active_schema"], from: &pairs)
            let conninfo = pairs.map { "\($0.0)='\($0.1.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'" }
                .joined(separator: " ")
            self = .postgres(conninfo: conninfo, schema: schema ?? LedgerLocation.defaultSchema)
        } else if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            var uri = text, schema: String?
            if let q = text.firstIndex(of: "?") {
                var kept: [String] = []
                for item in text[text.index(after: q)...].split(separator: "&") {
                    let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
                    if kv[0] == "schema" { schema = kv.count > 1 ? kv[1].removingPercentEncoding ?? kv[1] : "" } else { kept.append(String(item)) }
                }
                uri = String(text[..<q]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
            }
            self = .postgres(conninfo: uri, schema: schema ?? LedgerLocation.defaultSchema)
        } else {
            self = .geoPackage(path: text)
        }
        if case .postgres(let conninfo, _) = self, PostgresConnection.options(conninfo) == nil {
            throw LandWatchError.usage("cannot read the PostgreSQL connection \"\(LedgerLocation.withoutPassword(self))\": "
                + "write PG:\"dbname=… host=… port=… user=… schema=…\" or postgresql://user@host:port/dbname?schema=…")
        }
    }

    /// Opens the ledger; `create` makes it when there is none (the first ingest).
    /// Opens the ledger: `create` makes it when there is none; `readOnly` reads a ledger that
    /// cannot be written (archived, on a read-only share) and refuses every write.
    public func open(create: Bool = false, readOnly: Bool = false) throws -> any LedgerStore {
        switch self {
        case .geoPackage(let path): return try GeoPackageLedgerStore(path: path, create: create, readOnly: readOnly)
        case .postgres(let conninfo, let schema):
            return try PostGISLedgerStore(conninfo: conninfo, schema: schema, create: create, readOnly: readOnly)
        }
    }

    /// The location without a password, for messages and manifests.
    public var description: String { LedgerLocation.withoutPassword(self) }

    private static func withoutPassword(_ location: LedgerLocation) -> String {
        switch location {
        case .geoPackage(let path): return path
        case .postgres(let conninfo, let schema):
            let o = PostgresConnection.options(conninfo) ?? [:]
            let user = o["user"].map { $0 + "@" } ?? ""
            let host = (o["host"] ?? o["hostaddr"] ?? "") + (o["port"].map { ":" + $0 } ?? "")
            return "postgresql://\(user)\(host)/\(o["dbname"] ?? "")?schema=\(schema)"
        }
    }

    /// libpq's `key=value` pairs, values bare or in single quotes with backslash escapes.
    static func keywordPairs(_ text: String) throws -> [(String, String)] {
        var pairs: [(String, String)] = []
        var chars = Array(text.trimmingCharacters(in: CharacterSet(charactersIn: "\"").union(.whitespaces)))
        chars.append(" ")
        var i = 0
        func skipSpaces() { while i < chars.count && chars[i].isWhitespace { i += 1 } }
        while true {
            skipSpaces()
            guard i < chars.count else { return pairs }
            var key = ""
            while i < chars.count && chars[i] != "=" && !chars[i].isWhitespace { key.append(chars[i]); i += 1 }
            skipSpaces()
            guard i < chars.count, chars[i] == "=" else {
                throw LandWatchError.usage("PostgreSQL connection: \"\(key)\" has no value (write key=value)")
            }
            i += 1
            skipSpaces()
            var value = ""
            if i < chars.count && chars[i] == "'" {
                i += 1
                while i < chars.count && chars[i] != "'" {
                    if chars[i] == "\\" && i + 1 < chars.count { i += 1 }
                    value.append(chars[i]); i += 1
                }
                guard i < chars.count else { throw LandWatchError.usage("PostgreSQL connection: the value of \"\(key)\" lacks its closing quote") }
                i += 1
            } else {
                while i < chars.count && !chars[i].isWhitespace { value.append(chars[i]); i += 1 }
            }
            pairs.append((key, value))
        }
    }

    private static func take(_ keys: [String], from pairs: inout [(String, String)]) -> String? {
        let value = pairs.last { keys.contains($0.0.lowercased()) }?.1
        pairs.removeAll { keys.contains($0.0.lowercased()) }
        return value
    }
}
