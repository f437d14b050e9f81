import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LandWatchCore
import LandWatchLedger
import LandWatchServer
import Testing
import TestSupport

/// What keeps people out and the server whole: headers on every answer, the origin of every
/// POST, sessions that end when credentials change, text within its limits, evidence required.
@Suite struct SecurityTests {
    static let securityHeaders = ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"]

    static func hasSecurityHeaders(_ r: TestResponse) -> Bool {
        securityHeaders.allSatisfy { r.headers[HTTPField.Name($0)!] != nil }
    }

    @Test func everyAnswerIsAProperAnswer() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        try await web.app().test(.router) { client in
            // The router's own 404 carries the headers (it had none).
            let missing = try await client.execute(uri: "/no-such-page", method: .get)
            #expect(missing.status == .notFound && SecurityTests.hasSecurityHeaders(missing))
            // HEAD where GET is: the same status and headers, no body (it was 404).
            let head = try await client.execute(uri: "/login", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0 && SecurityTests.hasSecurityHeaders(head))
            #expect(head.headers[.contentType]?.hasPrefix("text/html") == true)
            // OPTIONS: 204 with the methods there are.
            let options = try await client.execute(uri: "/entries", method: .options)
            #expect(options.status == .noContent && options.headers[.allow] == "GET, HEAD, POST, OPTIONS" && SecurityTests.hasSecurityHeaders(options))
        }
    }

    @Test func aPostMustComeFromTheServersOwnPages() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        let before = try web.ledger.dump()
        try await web.app().test(.router) { client in
            // Login CSRF: another site's form posting a sign-in, with or without a token of its own.
            let evil: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .origin: "http://evil.example"]
            let fromElsewhere = try await client.execute(uri: "/login", method: .post, headers: evil,
                                                         body: ByteBuffer(string: "name=xhm&password=xhm-password"))
            #expect(fromElsewhere.status == .forbidden && fromElsewhere.headers[.setCookie] == nil)
            // From the right origin but without the token the sign-in page set: refused too.
            let noToken = try await client.execute(uri: "/login", method: .post,
                                                   headers: [.contentType: "application/x-www-form-urlencoded", .origin: "http://localhost"],
                                                   body: ByteBuffer(string: "name=xhm&password=xhm-password&login_token=0"))
            #expect(noToken.status == .forbidden && noToken.headers[.setCookie]?.contains("lw_session=") != true)
            // The API's sign-in takes JSON only (a form cannot send it across sites).
            let asForm = try await client.execute(uri: "/api/login", method: .post, headers: [.contentType: "text/plain", .origin: "http://localhost"],
                                                  body: ByteBuffer(string: "{\"name\":\"xhm\",\"password\":\"xhm-password\"}"))
            #expect(asForm.status == .unsupportedMediaType)
            // A signed-in bureau's browser made to post from another site changes nothing.
            var bureau = Browser(client)
            try await bureau.login("bureau")
            let cookie = try #require(bureau.cookie)
            let forged = try await client.execute(uri: "/entries/\(web.xhmEntry)/close", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie,
                                                            .origin: "null", .referer: "http://evil.example/page"],
                                                  body: ByteBuffer(string: "reason=%E7%BB%BF%E5%8C%96&csrf_token=\(bureau.csrf ?? "")"))
            #expect(forged.status == .forbidden)
            // A form post that names no origin at all is refused; a script's JSON with its token is not.
            let anonymous = try await client.execute(uri: "/entries/\(web.xhmEntry)/close", method: .post,
                                                     headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                                     body: ByteBuffer(string: "reason=%E7%BB%BF%E5%8C%96&csrf_token=\(bureau.csrf ?? "")"))
            #expect(anonymous.status == .forbidden)
        }
        #expect(try web.ledger.dump() == before)
    }

    @Test func behindHTTPSCookiesAreSecureAndAnswersCarryHSTS() async throws {
        guard var web = try WebFixture(.geoPackage) else { return }
        web.settings.publicURL = "https://Ledger.Bureau.example/"
        try await web.app().test(.router) { client in
            var b = Browser(client)
            let ok = try await b.login("xhm")
            #expect(ok.headers[.setCookie]?.contains("Secure") == true)
            #expect(ok.headers[HTTPField.Name("Strict-Transport-Security")!] == "max-age=31536000")
            // The origin is the public one now, not the request's host.
            let local = try await b.post("/api/logout", json: "{}")
            #expect(local.status == .forbidden)
            var h: HTTPFields = [.contentType: "application/json", .origin: "https://ledger.bureau.example"]
            h[.cookie] = b.cookie
            h[HTTPField.Name("X-CSRF-Token")!] = b.csrf
            #expect(try await client.execute(uri: "/api/logout", method: .post, headers: h, body: ByteBuffer(string: "{}")).status == .ok)
        }
    }

    /// A new password, the account removed, or removed and added again with another role: every
    /// session it had ends (within the second the server keeps an account).
    @Test func sessionsEndWhenCredentialsChange() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        try await web.app().test(.router) { client in
            var town = Browser(client), planner = Browser(client)
            try await town.login("xhm")
            try await planner.login("planner")
            #expect(try await town.get("/api/session").status == .ok)
            #expect(try await planner.get("/api/session").status == .ok)
            let store = try web.ledger.open()
            try LedgerAccounts.setPassword(store, name: "xhm", password: "a-new-password")
            try LedgerAccounts.remove(store, name: "planner")
            try LedgerAccounts.add(store, LedgerAccount(name: "planner", role: .admin, zone: nil), password: "planner-password", zones: nil,
                                   on: WebFixture.today)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await town.get("/api/session").status == .unauthorized)
            #expect(try await planner.get("/api/session").status == .unauthorized)
            // Signing in again gives the account as it is now.
            var again = Browser(client)
            #expect(try await again.login("planner").object["role"] as? String == "admin")
        }
    }

    @Test func textBeyondItsLimitsIsRefusedAndNothingIsStored() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        let before = try web.ledger.dump()
        try await web.app().test(.router) { client in
            // A password with a NUL and more after it (bcrypt would stop at the NUL) does not sign in.
            var b = Browser(client)
            let nul = try await b.login("xhm", password: "xhm-password\u{0}junk")
            #expect(nul.status == .badRequest && nul.headers[.setCookie] == nil)
            #expect(try await b.login("xhm", password: String(repeating: "x", count: 257)).status == .badRequest)
            var town = Browser(client), planner = Browser(client)
            try await town.login("xhm")
            try await planner.login("planner")
            let id = web.xhmEntry
            // 2,001 characters, a NUL, an escape: 400, nothing kept.
            for note in [String(repeating: "长", count: 2_001), "已苫盖\u{0}", "\u{1B}[31m"] {
                let r = try await town.post("/api/entries/\(id)/report", fields: [("measure", "苫盖"), ("note", note)], files: [("photo", "a.png", pngBytes)])
                #expect(r.status == .badRequest, "\(note.prefix(8))")
            }
            #expect(try await planner.post("/api/entries/\(id)/classify", json: "{\"class\": \"施工\\u0000\"}").status == .badRequest)
            #expect(try await planner.post("/api/entries/\(id)/classify", json: "{\"class\": \"\(String(repeating: "类", count: 101))\"}").status == .badRequest)
            #expect(try await town.get(path("/api/entries", [("class", "x\u{0}")])).status == .badRequest)
        }
        #expect(try web.ledger.dump() == before)
    }

    @Test func aReportNeedsAPhotoAndAKeepsWhatWasTyped() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        let before = try web.ledger.dump()
        try await web.app().test(.router) { client in
            var town = Browser(client)
            try await town.login("xhm")
            let id = web.xhmEntry
            let none = try await town.post("/api/entries/\(id)/report", fields: [("measure", "苫盖")], files: [])
            #expect(none.status == .badRequest && none.text.contains("at least one photo"))
            let empty = try await town.post("/api/entries/\(id)/report", fields: [("measure", "苫盖")], files: [("photo", "blank.jpg", [])])
            #expect(empty.status == .badRequest && empty.text.contains("blank.jpg"))
            // On the page, a refused report comes back with the note and the measure the clerk chose.
            let page = try await town.post("/entries/\(id)/report", fields: [("measure", "绿化"), ("note", "东侧已种草 <b>")], files: [],
                                           formToken: true)
            #expect(page.status == .badRequest)
            #expect(page.text.contains("东侧已种草 &lt;b&gt;</textarea>") && page.text.contains("<option value=\"绿化\" selected>"))
        }
        #expect(try web.ledger.dump() == before)
        // With the bureau's setting `--photos optional`, a report without one goes through.
        var optional = web
        optional.settings.photosRequired = false
        try await optional.app().test(.router) { client in
            var town = Browser(client)
            try await town.login("xhm")
            #expect(try await town.post("/api/entries/\(web.xhmEntry)/report", fields: [("measure", "苫盖")], files: []).status == .ok)
        }
    }

    /// A store failure reaches the client as a generic 500 naming a request id; the log line
    /// carries the same id and the database's own words, the answer no SQL, table or path.
    @Test func aStoreFailureIsAGeneric500WithItsDetailInTheLog() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        try await web.app().test(.router) { client in
            var town = Browser(client)
            try await town.login("xhm")
            // An administrator's slip in QGIS: the photos' table is gone.
            try web.ledger.execute("DROP TABLE attachments")
            let page = try await town.get("/api/entries/\(web.xhmEntry)")
            #expect(page.status == .internalServerError)
            let id = try #require(page.text.firstMatch(of: /internal error \(request ([0-9a-f]{12})\)/)?.1)
            #expect(!page.text.contains("attachments") && !page.text.lowercased().contains("sql") && !page.text.contains(web.ledger.location))
            #expect(page.headers[HTTPField.Name("X-LandWatch-Failure")!] == nil && SecurityTests.hasSecurityHeaders(page))
            let line = try #require(web.log.all.last { $0.contains("/api/entries/") })
            #expect(line.contains(" 500 xhm ") && line.contains("request \(id)") && line.contains("attachments"), "\(line)")
        }
    }

    /// Errors in the page's language; the API gives both (`error`, `error_zh`).
    @Test func errorsSpeakThePagesLanguage() async throws {
        guard let web = try WebFixture(.geoPackage) else { return }
        try await web.app().test(.router) { client in
            var b = Browser(client)
            let wrong = try await b.login("xhm", password: "not-it")
            #expect(wrong.object["error"] as? String == "wrong name or password" && wrong.object["error_zh"] as? String == "账号或密码错误")
            // The Chinese sign-in page says it in Chinese, with no English sentence.
            let page = try await client.execute(uri: "/login", method: .get)
            let token = try #require(page.text.firstMatch(of: /name="login_token" value="([0-9a-f]{64})"/)?.1)
            let refused = try await client.execute(uri: "/login", method: .post,
                                                   headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "lw_login=\(token)", .origin: "http://localhost"],
                                                   body: ByteBuffer(string: "name=xhm&password=not-it&login_token=\(token)"))
            #expect(refused.status == .unauthorized && refused.text.contains("账号或密码错误") && !refused.text.contains("wrong name or password"))
            // An action refused on a Chinese entry page: the state machine's refusal in Chinese.
            var bureau = Browser(client)
            try await bureau.login("bureau")
            let approve = try await bureau.submit("/entries/\(web.xhmEntry)/approve", [("csrf_token", bureau.csrf ?? ""), ("note", "")])
            #expect(approve.status == .conflict && approve.text.contains("当前为在账，不能审核通过"), "\(approve.text.prefix(300))")
            #expect(try await bureau.get("/entries/\(web.xhmEntry)").text.contains("<option value=\"other\">其他</option>"))
        }
    }
}
