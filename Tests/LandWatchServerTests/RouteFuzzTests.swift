import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LandWatchCore
import LandWatchLedger
import LandWatchServer
import Testing
import TestSupport

/// Every route, every parameter, hostile values, as every role and signed out. Nothing a request
/// sends may stop the server or reach a 5xx; every hostile change is refused, and the ledger is
/// the same afterwards. The number of requests is printed (the README gives it with the time).
@Suite struct RouteFuzzTests {
    /// Values that must never trap, reach SQL as text or make a 5xx.
    static let hostile: [String] = [
        "", "-1", "0", "1", "9223372036854775807", "-9223372036854775808", "184467440737095518", "99999999999999999999999",
        "1e309", "NaN", "-0", "0x10", " 1", "１", "\u{0}", "a\u{0}b", "\u{1B}[2J", "\u{7F}", "\u{FFFF}", "\u{10FFFF}",
        "'; DROP TABLE patches; --", "\" OR 1=1 --", "$1", "?1", "%", "%ZZ", "%00", "../../etc/passwd", "<script>alert(1)</script>",
        "2026-02-30", "9999-99-99", "2026-9-1", "open", "closed", "西红门镇", String(repeating: "长", count: 2_001),
        String(repeating: "x", count: 1 << 16),
    ]

    /// Values for a change, each of which the server must refuse: too long, a control character,
    /// not one of the allowed words, not a date.
    static let refusedTexts: [String] = ["\u{0}", "x\u{0}y", "\u{1B}[2J", "\u{7F}", String(repeating: "长", count: 2_001),
                                         String(repeating: "x", count: 1 << 20)]

    static let listKeys = ["zone", "state", "class", "overdue", "sort", "page", "id", "download", "from", "to"]
    static let readPaths = ["/", "/login", "/entries", "/api/session", "/api/entries", "/api/entries.geojson", "/api/entries.csv",
                            "/api/report", "/api/zones.geojson"]

    /// A status the server may answer with: anything but a 5xx, or the generic 500 of a real store failure.
    static func acceptable(_ r: TestResponse) -> Bool {
        r.status.code < 500 || (r.status == .internalServerError && r.text.contains("internal error"))
    }

    @Test(.tags(.slow), .fullRun) func hostileRequestsNeverStopTheServer() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        let before = try web.ledger.dump()
        let start = ContinuousClock.now
        let (sent, failures) = try await web.app().test(.router) { client -> (Int, [String]) in
            var sent = 0
            var failures: [String] = []
            func check(_ r: TestResponse, _ what: @autoclosure () -> String) {
                sent += 1
                if !RouteFuzzTests.acceptable(r) && failures.count < 20 { failures.append("\(r.status.code) \(what())") }
            }
            var browsers: [Browser] = [Browser(client)]
            for (name, _, _) in WebFixture.accounts {
                var b = Browser(client)
                try await b.login(name)
                browsers.append(b)
            }
            let ids = [web.xhmEntry, web.yhEntry] + RouteFuzzTests.hostile.prefix(34)
            for (k, b) in browsers.enumerated() {
                // Reads: every list parameter with every value, every path id and photo number;
                // signed out, as a town and as a viewer (the others read what the viewer reads).
                if [0, 2, 5].contains(k) {
                    for route in RouteFuzzTests.readPaths {
                        for key in RouteFuzzTests.listKeys {
                            for value in RouteFuzzTests.hostile {
                                check(try await b.get(path(route, [(key, value)])), "GET \(route)?\(key)=\(value.prefix(20))")
                            }
                        }
                    }
                    for id in ids {
                        let encoded = formEncode(id)
                        check(try await b.get("/entries/\(encoded)"), "GET /entries/\(id.prefix(20))")
                        check(try await b.get("/api/entries/\(encoded)"), "GET /api/entries/\(id.prefix(20))")
                        check(try await b.get("/api/photos/\(encoded)"), "GET /api/photos/\(id.prefix(20))")
                    }
                    for raw in ["/entries/%FF%FE", "/api/photos/%00", "/api/entries/%C3%28", "/static/leaflet/%2e%2e/%2e%2e/etc/passwd", "/entries/%"] {
                        check(try await b.get(raw), "GET \(raw)")
                    }
                }
                // Changes: every action, every field, with what must be refused; JSON, forms, multipart.
                for id in [web.xhmEntry, web.yhEntry] {
                    for action in ["approve", "reject", "classify", "close", "reopen"] {
                        for key in ["note", "class", "reason"] {
                            for value in RouteFuzzTests.refusedTexts {
                                // The field fuzzed holds the value; the others hold a NUL, so that nothing may pass.
                                var fields = ["note": "\u{0}", "reason": "\u{0}", "class": "\u{0}"]
                                fields[key] = value
                                let json = try RouteFuzzTests.json(fields)
                                check(try await b.post("/api/entries/\(id)/\(action)", json: json), "POST json \(action) \(key)")
                                check(try await b.submit("/entries/\(id)/\(action)", [("csrf_token", b.csrf ?? "")] + fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }),
                                      "POST form \(action) \(key)")
                            }
                        }
                        for body in ["{", "[]", "null", "\"x\"", "{\"note\": 1}", String(repeating: "[", count: 1_000), "\u{0}", "{\"a\":\"\\ud800\"}"] {
                            check(try await b.post("/api/entries/\(id)/\(action)", json: body), "POST \(action) body \(body.prefix(12))")
                        }
                    }
                    for (key, value) in [("measure", "扫地"), ("measure", "苫盖\u{0}"), ("date", "9999-99-99"), ("date", "2099-01-01"),
                                         ("note", "\u{0}"), ("note", String(repeating: "长", count: 2_001))] {
                        var fields = [("measure", "苫盖"), ("note", "")]
                        fields.removeAll { $0.0 == key }
                        fields.append((key, value))
                        check(try await b.post("/api/entries/\(id)/report", fields: fields, files: [("photo", "a.png", pngBytes)]), "POST report \(key)")
                        check(try await b.post("/entries/\(id)/report", fields: fields, files: [("photo", "a.png", pngBytes)], formToken: true), "POST page report \(key)")
                    }
                    // Broken multipart: no boundary, a wrong one, cut short, a part without headers.
                    for (type, body) in [("multipart/form-data", "--x\r\n"), ("multipart/form-data; boundary=b", "--a\r\n\r\n--a--"),
                                         ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\r\n\u{89}PNG"),
                                         ("multipart/form-data; boundary=b", "--b\r\n\r\n\r\n--b--\r\n"), ("multipart/form-data; boundary=" + String(repeating: "b", count: 500), "--")] {
                        var h: HTTPFields = [.contentType: type, .origin: "http://localhost"]
                        h[.cookie] = b.cookie
                        h[HTTPField.Name("X-CSRF-Token")!] = b.csrf
                        check(try await client.execute(uri: "/api/entries/\(id)/report", method: .post, headers: h, body: ByteBuffer(string: body)),
                              "POST multipart \(body.prefix(12))")
                    }
                }
                // Sign-in with hostile names and passwords, JSON and form.
                for value in RouteFuzzTests.refusedTexts + ["", "{}"] {
                    let json = try RouteFuzzTests.json(["name": value, "password": value])
                    check(try await client.execute(uri: "/api/login", method: .post, headers: [.contentType: "application/json", .origin: "http://localhost"],
                                                   body: ByteBuffer(string: json)), "POST /api/login \(value.prefix(8))")
                    check(try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .origin: "http://localhost"],
                                                   body: ByteBuffer(string: "name=\(formEncode(value))&password=\(formEncode(value))")), "POST /login \(value.prefix(8))")
                }
            }
            // Wrong methods on every route.
            for path in RouteFuzzTests.readPaths + ["/api/login", "/entries/\(web.xhmEntry)/close", "/api/photos/1"] {
                for method in [HTTPRequest.Method.put, .delete, .patch, HTTPRequest.Method("PROPFIND")!, .connect, .trace] {
                    check(try await client.execute(uri: path, method: method), "\(method) \(path)")
                }
            }
            // Still answering.
            #expect(try await client.execute(uri: "/login", method: .get).status == .ok)
            return (sent, failures)
        }
        let elapsed = ContinuousClock.now - start
        print("route fuzzer: \(sent) requests in \(elapsed.components.seconds) s, \(failures.count) unacceptable answers")
        #expect(failures.isEmpty, "\(failures)")
        #expect(sent > 5_000)
        // Every hostile change was refused: the ledger is as it was.
        #expect(try web.ledger.dump() == before)
    }

    static func json(_ object: [String: String]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
