import Foundation
import GDALKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LandWatchCore
import LandWatchLedger
import LandWatchServer
import Testing
import TestSupport

/// A ledger with August's sample detections and one account of each kind, served in-process.
struct WebFixture {
    let ledger: TestLedger
    var settings: ServerSettings
    let log = LogLines()
    /// The server's "today": after August's ingest (2026-08-25).
    static let today = Day("2026-09-20")!
    /// Accounts: name, role, zone; each password is the name followed by "-password".
    static let accounts: [(String, LedgerRole, String?)] = [
        ("bureau", .admin, nil), ("xhm", .town, "西红门镇"), ("yh", .town, "瀛海镇"), ("planner", .planning, nil), ("reader", .viewer, nil),
    ]
    /// An entry of 西红门镇 and one of 瀛海镇, the first of each on the ledger.
    let xhmEntry: String
    let yhEntry: String

    init?(_ backend: LedgerBackend) throws {
        guard let l = TestLedger(backend, in: Fixtures.temporaryDirectory("web")) else { return nil }
        ledger = l
        let towns = LayerSource(path: Fixtures.data("daxing_towns.gpkg"))
        let zones = try Zones.load(towns, field: nil, options: ReadOptions.landWatch())
        var options = IngestOptions(date: Day("2026-08-25")!)
        options.classField = "lx"
        let store = try l.open(create: true)
        try LedgerIngest.run(store, detections: VectorInput(LayerSource(path: Fixtures.data("bare_land_202608.shp")), options: .landWatch()), zones: zones, options: options)
        for (name, role, zone) in WebFixture.accounts {
            try LedgerAccounts.add(store, LedgerAccount(name: name, role: role, zone: zone), password: name + "-password",
                                   zones: zones.zones.map(\.name), on: Day("2026-08-26")!)
        }
        let entries = try store.entries()
        xhmEntry = try #require(entries.first { $0.zone == "西红门镇" }?.id)
        yhEntry = try #require(entries.first { $0.zone == "瀛海镇" }?.id)
        var s = ServerSettings(ledger: try LedgerLocation(parsing: l.location), zones: towns)
        s.port = 0
        settings = s
    }

    func app() throws -> some ApplicationProtocol {
        let log = self.log
        return try LandWatchServer.application(settings, log: { log.append($0) }, today: { WebFixture.today })
    }
}

/// The server's log lines, collected.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

/// A client that keeps the session cookie and CSRF token, as a browser or script would.
struct Browser {
    let client: any TestClientProtocol
    var cookie: String?
    var csrf: String?

    init(_ client: any TestClientProtocol) { self.client = client }

    /// Signs in through the API; returns the response.
    @discardableResult
    mutating func login(_ name: String, password: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: ["name": name, "password": password ?? name + "-password"])
        var h = extra
        h[.contentType] = "application/json"
        let r = try await client.execute(uri: "/api/login", method: .post, headers: h, body: ByteBuffer(bytes: body))
        if r.status == .ok {
            cookie = r.headers[.setCookie]?.split(separator: ";").first.map(String.init)
            csrf = (try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])?["csrf_token"] as? String
        }
        return r
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers([:]))
    }

    /// A POST with a JSON body, carrying the CSRF token unless `csrf` is false.
    func post(_ uri: String, json body: String = "{}", csrf withToken: Bool = true) async throws -> TestResponse {
        var h: HTTPFields = [.contentType: "application/json"]
        if withToken, let csrf { h[HTTPField.Name("X-CSRF-Token")!] = csrf }
        return try await client.execute(uri: uri, method: .post, headers: headers(h), body: ByteBuffer(string: body))
    }

    /// A multipart POST: text fields, then files (name, filename, bytes).
    func post(_ uri: String, fields: [(String, String)], files: [(String, String, [UInt8])], csrf withToken: Bool = true,
              formToken: Bool = false) async throws -> TestResponse {
        let boundary = "----LandWatchTest\(UUID().uuidString)"
        var body = [UInt8]()
        func add(_ s: String) { body += Array(s.utf8) }
        for (k, v) in fields + (formToken ? [("csrf_token", csrf ?? "")] : []) {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n")
        }
        for (k, filename, bytes) in files {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body += bytes
            add("\r\n")
        }
        add("--\(boundary)--\r\n")
        var h: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        if withToken && !formToken, let csrf { h[HTTPField.Name("X-CSRF-Token")!] = csrf }
        return try await client.execute(uri: uri, method: .post, headers: headers(h), body: ByteBuffer(bytes: body))
    }

    /// A page's form POST (application/x-www-form-urlencoded), its token as a field.
    func submit(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post, headers: headers([.contentType: "application/x-www-form-urlencoded"]),
                                        body: ByteBuffer(string: body))
    }

    /// What a browser adds: the session cookie, and the page's origin (the test router's host is `localhost`).
    private func headers(_ h: HTTPFields) -> HTTPFields {
        var h = h
        if let cookie { h[.cookie] = cookie }
        if h[.origin] == nil { h[.origin] = "http://localhost" }
        return h
    }
}

/// Percent-encoding of everything but ASCII letters and digits, for query strings and forms.
func formEncode(_ s: String) -> String {
    s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")) ?? s
}

/// A path with its query percent-encoded.
func path(_ p: String, _ query: [(String, String)] = []) -> String {
    query.isEmpty ? p : p + "?" + query.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(buffer: body)) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
}

/// The 8-byte PNG signature and a few bytes: a photo by its content.
let pngBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 73, 72, 68, 82]
