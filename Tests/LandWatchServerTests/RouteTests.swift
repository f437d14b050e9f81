import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LandWatchCore
import LandWatchLedger
import LandWatchServer
import Testing
import TestSupport

/// Every route and role, in-process (HummingbirdTesting), against a real ledger on both stores.
@Suite struct RouteTests {
    @Test func signingInAndOut() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        try await web.app().test(.router) { client in
            var b = Browser(client)
            // A wrong password and an unknown name get the same answer.
            let wrong = try await b.login("xhm", password: "not-it")
            let unknown = try await b.login("nobody", password: "not-it")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized && wrong.text == unknown.text)
            #expect(wrong.headers[.setCookie] == nil)
            let ok = try await b.login("xhm")
            #expect(ok.status == .ok)
            let cookie = try #require(ok.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(ok.object["name"] as? String == "xhm" && ok.object["role"] as? String == "town" && ok.object["zone"] as? String == "西红门镇")
            #expect((ok.object["csrf_token"] as? String)?.count == 64)
            #expect(try await b.get("/api/session").status == .ok)
            #expect(try await Browser(client).get("/api/session").status == .unauthorized)
            // Logout needs the token; then the session is over on the server.
            #expect(try await b.post("/api/logout", csrf: false).status == .forbidden)
            #expect(try await b.get("/api/session").status == .ok)
            #expect(try await b.post("/api/logout").status == .ok)
            #expect(try await b.get("/api/session").status == .unauthorized)
            // An account removed while signed in is signed out within a second.
            var reader = Browser(client)
            try await reader.login("reader")
            #expect(try await reader.get("/api/entries").status == .ok)
            try LedgerAccounts.remove(try web.ledger.open(), name: "reader")
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await reader.get("/api/entries").status == .unauthorized)
        }
    }

    @Test func tenFailuresLockThatNameFromThatAddressOnly() async throws {
        guard var web = try WebFixture(.geoPackage) else { return }
        // Every request here comes from one peer; as a trusted proxy it names the client.
        web.settings.trustedProxies = ["local"]
        let ledger = web.ledger
        try await web.app().test(.router) { client in
            var b = Browser(client)
            func from(_ address: String) -> HTTPFields { [forwardedFor: "10.9.9.9, \(address)"] }
            for _ in 0..<10 { #expect(try await b.login("xhm", password: "guess", headers: from("192.0.2.1")).status == .unauthorized) }
            for _ in 0..<10 { #expect(try await b.login("ghost", password: "guess", headers: from("192.0.2.1")).status == .unauthorized) }
            // The right password no longer helps from that address, for 15 minutes; the answer is the
            // same for a name that does not exist.
            let locked = try await b.login("xhm", headers: from("192.0.2.1"))
            #expect(locked.status == .tooManyRequests)
            let ghost = try await b.login("ghost", headers: from("192.0.2.1"))
            #expect(ghost.status == .tooManyRequests && ghost.text == locked.text)
            // Nobody else is locked out: the account from another address, another account from the same one.
            #expect(try await b.login("xhm", headers: from("192.0.2.2")).status == .ok)
            #expect(try await b.login("bureau", headers: from("192.0.2.1")).status == .ok)
            // `users unlock` (on the ledger) lifts the lock at the next try, and ends the account's sessions.
            var signedIn = Browser(client)
            try await signedIn.login("xhm", headers: from("192.0.2.3"))
            try LedgerAccounts.unlock(try ledger.open(), name: "xhm")
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await b.login("xhm", headers: from("192.0.2.1")).status == .ok)
            #expect(try await signedIn.get("/api/session").status == .unauthorized)
        }
    }

    @Test func forwardedForIsIgnoredWithoutATrustedProxy() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        try await web.app().test(.router) { client in
            var b = Browser(client)
            // A client naming itself anew on every try is still one address to the server.
            func naming(_ k: Int) -> HTTPFields { [forwardedFor: "198.51.100.\(k)"] }
            for k in 0..<10 {
                let answer = try await b.login("xhm", password: "guess", headers: naming(k))
                #expect(answer.status == .unauthorized)
            }
            let locked = try await b.login("xhm", headers: naming(99))
            #expect(locked.status == .tooManyRequests)
        }
    }

    @Test(arguments: LedgerBackend.available) func aTownSeesOnlyItsOwnZone(_ backend: LedgerBackend) async throws {
        guard let web = try WebFixture(backend) else { return }
        let before = try web.ledger.dump()
        try await web.app().test(.router) { client in
            var town = Browser(client)
            try await town.login("xhm")
            let mine = try await town.get("/api/entries")
            #expect(mine.status == .ok && !mine.array.isEmpty)
            #expect(mine.array.allSatisfy { $0["zone"] as? String == "西红门镇" })
            #expect(Set(mine.array.first?.keys.map { $0 } ?? []) == ["id", "zone", "class", "state", "area_m2", "area_mu", "opened_on", "due_on", "closed_on", "days_open", "overdue", "relapses"])
            let geojson = try await town.get("/api/entries.geojson")
            let features = geojson.object["features"] as? [[String: Any]] ?? []
            #expect(geojson.status == .ok && features.count == mine.array.count)
            #expect(features.allSatisfy { ($0["properties"] as? [String: Any])?["zone"] as? String == "西红门镇" })
            let csv = try await town.get("/api/entries.csv")
            #expect(csv.text.split(separator: "\r\n").count == mine.array.count + 1 && !csv.text.contains("瀛海镇"))
            // Another town's list, entry, map or actions: not found, nothing changed.
            for uri in [path("/api/entries", [("zone", "瀛海镇")]), path("/api/entries.geojson", [("zone", "瀛海镇")]),
                        path("/api/entries.csv", [("zone", "瀛海镇")]), "/api/entries/\(web.yhEntry)", "/entries/\(web.yhEntry)"] {
                #expect(try await town.get(uri).status == .notFound, "\(uri)")
            }
            let act = try await town.post("/api/entries/\(web.yhEntry)/report", fields: [("measure", "苫盖")], files: [])
            #expect(act.status == .notFound)
            let byId = try await town.get(path("/api/entries.geojson", [("id", web.yhEntry)]))
            #expect((byId.object["features"] as? [Any])?.isEmpty == true)
            #expect(try await town.get("/api/entries/\(web.xhmEntry)").status == .ok)
            // Every other role sees every zone.
            for name in ["bureau", "planner", "reader"] {
                var other = Browser(client)
                try await other.login(name)
                #expect(try await other.get("/api/entries/\(web.yhEntry)").status == .ok)
                #expect(try await other.get("/api/entries").array.count > mine.array.count)
            }
        }
        #expect(try web.ledger.dump() == before)
    }

    @Test(arguments: LedgerBackend.available) func theWholeWorkflowThroughTheAPI(_ backend: LedgerBackend) async throws {
        guard let web = try WebFixture(backend) else { return }
        let id = web.xhmEntry
        try await web.app().test(.router) { client in
            var town = Browser(client), bureau = Browser(client), planner = Browser(client), reader = Browser(client), other = Browser(client)
            try await town.login("xhm")
            try await bureau.login("bureau")
            try await planner.login("planner")
            try await reader.login("reader")
            try await other.login("yh")
            // Without the token: 403 and nothing happens.
            let noToken = try await town.post("/api/entries/\(id)/report", fields: [("measure", "苫盖"), ("date", "2026-09-18")], files: [], csrf: false)
            #expect(noToken.status == .forbidden)
            var wrongToken = town
            wrongToken.csrf = String(repeating: "0", count: 64)
            #expect(try await wrongToken.post("/api/entries/\(id)/report", fields: [("measure", "苫盖")], files: []).status == .forbidden)
            // Roles that may not report.
            for b in [bureau, planner, reader] {
                #expect(try await b.post("/api/entries/\(id)/report", fields: [("measure", "苫盖")], files: []).status == .forbidden)
            }
            // Photos are checked by their bytes and counted.
            let script = Array("<script>alert(1)</script>".utf8)
            #expect(try await town.post("/api/entries/\(id)/report", fields: [("measure", "苫盖")], files: [("photo", "x.jpg", script)]).status == .badRequest)
            let six = Array(repeating: ("photo", "p.png", pngBytes), count: 6)
            #expect(try await town.post("/api/entries/\(id)/report", fields: [("measure", "苫盖")], files: six).status == .badRequest)
            #expect(try await town.post("/api/entries/\(id)/report", fields: [("measure", "扫地")], files: []).status == .badRequest)
            // The report, with a photo and a note that is a script.
            let note = "<script>alert(1)</script> 已苫盖"
            let reported = try await town.post("/api/entries/\(id)/report", fields: [("measure", "苫盖"), ("date", "2026-09-18"), ("note", note)],
                                               files: [("photo", "../../etc/passwd.png", pngBytes)])
            #expect(reported.status == .ok, "\(reported.text)")
            #expect(reported.object["state"] as? String == "reported")
            let photos = reported.object["photos"] as? [[String: Any]] ?? []
            let url = try #require(photos.first?["url"] as? String)
            #expect((photos.first?["name"] as? String)?.hasPrefix(id) == true)
            let photo = try await town.get(url)
            #expect(photo.status == .ok && photo.headers[.contentType] == "image/png" && Array(buffer: photo.body) == pngBytes)
            #expect(try await other.get(url).status == .notFound)
            // The note is text on every page.
            let page = try await bureau.get("/entries/\(id)")
            #expect(page.status == .ok && page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.text.contains("<script>alert"))
            // Only the bureau approves or rejects; a town may not.
            #expect(try await town.post("/api/entries/\(id)/approve").status == .forbidden)
            #expect(try await bureau.post("/api/entries/\(id)/reject", json: #"{"note": ""}"#).status == .badRequest)
            let approved = try await bureau.post("/api/entries/\(id)/approve", json: #"{"note": "核查属实"}"#)
            #expect(approved.status == .ok && approved.object["state"] as? String == "closed")
            let events = approved.object["events"] as? [[String: Any]] ?? []
            #expect(events.map { $0["event"] as? String ?? "" } == ["opened", "reported", "approved"])
            #expect(events.map { $0["actor"] as? String ?? "-" } == ["-", "xhm", "bureau"])
            #expect(try await bureau.post("/api/entries/\(id)/approve").status == .conflict)
            // The planning bureau classifies; nobody else may.
            #expect(try await bureau.post("/api/entries/\(id)/classify", json: #"{"class": "施工"}"#).status == .forbidden)
            let classified = try await planner.post("/api/entries/\(id)/classify", json: #"{"class": "施工裸地", "note": "规划用地"}"#)
            #expect(classified.status == .ok && classified.object["class"] as? String == "施工裸地")
            // Reopened and closed again by the bureau; the viewer changes nothing.
            #expect(try await reader.post("/api/entries/\(id)/reopen").status == .forbidden)
            #expect(try await bureau.post("/api/entries/\(id)/reopen", json: #"{"note": "复查有裸露"}"#).object["state"] as? String == "open")
            #expect(try await bureau.post("/api/entries/\(id)/close", json: #"{"reason": "绿化"}"#).object["state"] as? String == "closed")
            // The report's rows; every account sees the district's ranking.
            let report = try await town.get(path("/api/report", [("from", "2026-09-01"), ("to", "2026-09-30")]))
            let row = report.array.first { $0["zone"] as? String == "西红门镇" }
            #expect(report.status == .ok && row?["closed"] as? Int == 2)
        }
        // The ledger agrees: the rules' check passes and the closure carries the measure.
        let store = try web.ledger.open()
        #expect(try LedgerQueries.check(store).isEmpty)
        #expect(try store.events(of: id).map(\.kind) == [.opened, .reported, .approved, .classified, .reopened, .closed])
        #expect(try store.events(of: id)[2].reason == "苫盖")
    }

    @Test func boundsAndBadBodies() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        try await web.app().test(.router) { client in
            var b = Browser(client)
            try await b.login("bureau")
            let big = "{\"note\": \"" + String(repeating: "x", count: 100 * 1024) + "\"}"
            #expect(try await b.post("/api/entries/\(web.xhmEntry)/close", json: big).status == .contentTooLarge)
            #expect(try await b.post("/api/entries/\(web.xhmEntry)/close", json: "not json").status == .badRequest)
            #expect(try await b.get("/api/entries?state=gone").status == .badRequest)
            #expect(try await b.get("/api/entries/no-such-entry").status == .notFound)
            #expect(try await b.get("/api/photos/999999").status == .notFound)
            #expect(try await b.get(path("/api/report", [("from", "2026-09-30"), ("to", "2026-09-01")])).status == .badRequest)
            // The API's sign-in is JSON, and then an object.
            let form = try await client.execute(uri: "/api/login", method: .post, headers: [.origin: "http://localhost"], body: ByteBuffer(string: "[]"))
            #expect(form.status == .unsupportedMediaType)
            let login = try await client.execute(uri: "/api/login", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "[]"))
            #expect(login.status == .badRequest)
        }
    }

    @Test func pagesFormsAndHeaders() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        try await web.app().test(.router) { client in
            // Signed out: to the sign-in page.
            let root = try await client.execute(uri: "/", method: .get)
            #expect(root.status == .seeOther && root.headers[.location] == "/login")
            #expect(try await client.execute(uri: "/login", method: .get).text.contains("name=\"password\""))
            // A page's sign-in form, with the token its page set.
            let loginPage = try await client.execute(uri: "/login", method: .get)
            let token = try #require(loginPage.text.firstMatch(of: /name="login_token" value="([0-9a-f]{64})"/)?.1)
            let form = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded",
                                                                                          .cookie: "lw_login=\(token)", .origin: "http://localhost"],
                                                body: ByteBuffer(string: "name=xhm&password=xhm-password&login_token=\(token)"))
            #expect(form.status == .seeOther && form.headers[.setCookie]?.contains("HttpOnly") == true)
            var town = Browser(client)
            try await town.login("xhm")
            let overview = try await town.get("/")
            #expect(overview.status == .ok && overview.text.contains("西红门镇") && overview.text.contains("/static/leaflet/leaflet.js"))
            let headers = overview.headers
            #expect(headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
            #expect(headers[HTTPField.Name("X-Frame-Options")!] == "DENY" && headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            let list = try await town.get(path("/entries", [("sort", "area_m2")]))
            #expect(list.status == .ok && list.text.contains(web.xhmEntry) && !list.text.contains(web.yhEntry))
            // The entry page offers the town its action only.
            let page = try await town.get("/entries/\(web.xhmEntry)")
            #expect(page.text.contains("report-form") && !page.text.contains("approve-form") && !page.text.contains("classify-form"))
            // A page's form without its token changes nothing; with it, the report goes through.
            let refused = try await town.post("/entries/\(web.xhmEntry)/report", fields: [("measure", "苫盖")], files: [], csrf: false)
            #expect(refused.status == .forbidden)
            let sent = try await town.post("/entries/\(web.xhmEntry)/report", fields: [("measure", "绿化"), ("date", "2026-09-19")],
                                           files: [("photo", "a.png", pngBytes)], formToken: true)
            #expect(sent.status == .seeOther, "\(sent.text)")
            var bureau = Browser(client)
            try await bureau.login("bureau")
            let bureauPage = try await bureau.get("/entries/\(web.xhmEntry)")
            #expect(bureauPage.text.contains("approve-form") && bureauPage.text.contains("/api/photos/"))
            let approve = try await bureau.submit("/entries/\(web.xhmEntry)/approve", [("csrf_token", bureau.csrf ?? ""), ("note", "")])
            #expect(approve.status == .seeOther)
            let noToken = try await bureau.submit("/entries/\(web.xhmEntry)/reopen", [("note", "x")])
            #expect(noToken.status == .forbidden)
            // Leaflet comes from Debian's package when it is installed; nothing else is served from its folder.
            #expect(try await client.execute(uri: "/static/leaflet/../../../etc/passwd", method: .get).status == .notFound)
            if FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js") {
                #expect(try await client.execute(uri: "/static/leaflet/leaflet.js", method: .get).status == .ok)
            }
        }
        #expect(try web.ledger.open().entries(ids: [web.xhmEntry], zone: nil, forUpdate: false).first?.closeReason == "绿化")
    }

    @Test func pageNumbersAreCheckedBeforeAnyArithmetic() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        try await web.app().test(.router) { client in
            var viewer = Browser(client)
            try await viewer.login("reader")
            // (page - 1) * 50 overflowed Int for this page and stopped the whole server.
            for page in ["184467440737095518", "9223372036854775807", "-9223372036854775808", "0", "-1", "1e3", "x", "1000001"] {
                let answer = try await viewer.get(path("/entries", [("page", page)]))
                #expect(answer.status == .badRequest, "page=\(page)")
                #expect(answer.text.contains("page 须为 1 至 1000000 的整数"), "page=\(page)")
            }
            // The server still answers, and the last page in range is an empty list, not an error.
            #expect(try await viewer.get(path("/entries", [("page", "1000000")])).status == .ok)
            #expect(try await viewer.get(path("/entries", [("page", "1")])).text.contains(web.xhmEntry))
        }
    }

    @Test func pagesInEnglishWithATitleAndABasemap() async throws {
        guard var web = try WebFixture(.geoPackage) else { return }
        web.settings.language = .en
        web.settings.title = "Bare land <ledger>"
        web.settings.tiles = "http://tiles.intranet:8081/{z}/{x}/{y}.png"
        let entry = web.yhEntry
        try await web.app().test(.router) { client in
            var b = Browser(client)
            try await b.login("planner")
            let page = try await b.get("/entries/\(entry)")
            #expect(page.text.contains("<html lang=\"en\">") && page.text.contains("History") && page.text.contains("classify-form"))
            #expect(page.text.contains("Bare land &lt;ledger&gt;") && page.text.contains("data-tiles=\"http://tiles.intranet:8081/{z}/{x}/{y}.png\""))
            // The basemap's host, and no other, may serve images.
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("img-src 'self' data: http://tiles.intranet:8081;") == true)
        }
    }

    @Test func theLogIsOneLinePerRequestWithoutSecrets() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        let token = try await web.app().test(.router) { client in
            var b = Browser(client)
            _ = try await b.login("xhm", password: "a-wrong-secret")
            try await b.login("xhm")
            _ = try await b.get("/api/entries?state=open")
            _ = try await b.get("/entries/\(web.xhmEntry)")
            #expect(try await b.get("/no-such-page").status == .notFound)
            return b.cookie
        }
        let lines = web.log.all
        #expect(lines.count == 5, "\(lines)")
        #expect(lines[4].hasPrefix("GET /no-such-page 404 - "), "\(lines)")
        #expect(lines[0].hasPrefix("POST /api/login 401 - ") && lines[1].hasPrefix("POST /api/login 200 xhm "))
        #expect(lines[2].hasPrefix("GET /api/entries 200 xhm ") && lines[3].hasPrefix("GET /entries/\(web.xhmEntry) 200 xhm "))
        let secret = try #require(token?.split(separator: "=").last.map(String.init))
        #expect(lines.allSatisfy { !$0.contains("secret") && !$0.contains("password") && !$0.contains(secret) && !$0.contains("state=open") })
    }
}

/// The header a proxy names the client in.
let forwardedFor = HTTPField.Name("X-Forwarded-For")!
