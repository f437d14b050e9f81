import Foundation
import HTTPTypes
import Hummingbird
import LandWatchCore
import LandWatchLedger

/// The pages: the same handlers as the API, rendered as HTML; forms carry the CSRF token as a field.
extension WebApp {
    func addPageRoutes(to router: Router<WebContext>) {
        router.get("login") { request, _ in
            if (try? await self.signedIn(request)) != nil { return Reply.redirect("/") }
            return self.loginPage(message: nil)
        }
        router.post("login") { request, context in
            do {
                let form = try await request.form()
                // The form's token must be the one its page set (login CSRF: another site's form has none).
                guard let given = form["login_token"], let expected = request.cookies[WebApp.loginCookie]?.value,
                      !expected.isEmpty, WebApp.constantTimeEqual(given, expected) else { throw WebError.csrf }
                let (session, account) = try await self.login(name: form["name"] ?? "", password: form["password"] ?? "",
                                                              address: self.clientAddress(request, context))
                var r = Reply.redirect("/", account: account)
                r.setCookie(self.sessionCookie(session.token))
                r.setCookie(self.cookie(WebApp.loginCookie, nil))
                return r
            } catch {
                let e = WebError.from(error)
                return self.loginPage(message: e.message.text(self.settings.language), status: e.status)
            }
        }
        router.post("logout") { request, _ in
            await self.page(request) { session, account in
                let form = try await request.form()
                try WebApp.checkCSRF(session, given: form["csrf_token"])
                await self.sessions.end(session.token)
                var r = Reply.redirect("/login", account: account)
                r.setCookie(self.sessionCookie(nil))
                return r
            }
        }
        router.get("/") { request, _ in
            await self.page(request) { session, account in
                let month = self.thisMonth
                let ranking = try await self.report(from: month.firstDay, to: self.today())
                return Reply.html(self.views.overview(account: account, csrf: session.csrf, ranking: ranking, month: month.description),
                                  account: account)
            }
        }
        router.get("entries") { request, _ in
            await self.page(request) { session, account in
                let query = try ListQuery { request.query($0) }
                let rows = WebApp.sorted(try await self.entries(query, for: account).rows, by: request.query("sort") ?? "opened_on")
                let pageSize = 50
                let page = try WebLimits.number(request.query("page"), name: "page", in: WebLimits.pages, absent: 1)
                let shown = Array(rows.dropFirst((page - 1) * pageSize).prefix(pageSize))
                let pairs: [(String, String?)] = ["zone", "state", "class", "overdue", "sort"].map { ($0, request.query($0)) } + [("page", String(page))]
                let list = PageViews.ListPage(rows: shown, page: page, pageSize: pageSize, total: rows.count, query: pairs, zones: self.zoneNames.sorted())
                return Reply.html(self.views.list(account: account, csrf: session.csrf, list), account: account)
            }
        }
        router.get("entries/:id") { request, context in
            await self.page(request) { session, account in
                let detail = try await self.entry(try context.parameters.require("id"), for: account)
                return Reply.html(self.views.entry(account: account, csrf: session.csrf, detail, message: nil, today: self.today()), account: account)
            }
        }
        router.post("entries/:id/:action") { request, context in
            await self.page(request) { session, account in
                let id = try context.parameters.require("id")
                let name = try context.parameters.require("action")
                var draft: [String: String] = [:]
                do {
                    let action: LedgerRequest
                    var date: Day?
                    if name == "report" {
                        let form = try await request.multipartForm()
                        try WebApp.checkCSRF(session, given: form.text("csrf_token"))
                        draft = ["measure": form.text("measure"), "date": form.text("date"), "note": form.text("note")].compactMapValues { $0 }
                        (action, date) = try WebApp.reportAction(form, today: self.today())
                    } else {
                        let form = try await request.form()
                        try WebApp.checkCSRF(session, given: form["csrf_token"])
                        action = try WebApp.action(name, form)
                    }
                    try await self.act(id, action, dated: date, by: account)
                } catch {
                    // A refusal of what was sent is said on the entry's page, the report's fields
                    // as the clerk typed them; not found, a wrong token and failures go their way.
                    let e = WebError.from(error)
                    guard [.badRequest, .conflict, .forbidden, .unprocessableContent, .contentTooLarge].contains(e.status), !(error is WebError && e.status == .forbidden),
                          let detail = try? await self.entry(id, for: account) else { throw error }
                    return Reply.html(self.views.entry(account: account, csrf: session.csrf, detail, message: e.message.text(self.settings.language), today: self.today(),
                                                       draft: draft), status: e.status, account: account)
                }
                return Reply.redirect("/entries/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id), account: account)
            }
        }
    }

    /// The sign-in page with a fresh form token, also set as a cookie.
    private func loginPage(message: String?, status: HTTPResponse.Status = .ok) -> Response {
        let token = SessionStore.randomToken()
        var r = Reply.html(views.login(message: message, token: token), status: status)
        r.setCookie(cookie(WebApp.loginCookie, token))
        return r
    }

    /// Signed in (otherwise to the sign-in page), errors as a page with their status.
    private func page(_ request: Request, _ body: (Session, LedgerAccount) async throws -> Response) async -> Response {
        var who: (Session, LedgerAccount)?
        do {
            guard let signed = try await signedIn(request) else { return Reply.redirect("/login") }
            who = signed
            return try await body(signed.0, signed.1)
        } catch {
            let e = WebError.from(error)
            return Reply.logged(Reply.html(views.error(e.message.text(settings.language), account: who?.1, csrf: who?.0.csrf), status: e.status, account: who?.1), e)
        }
    }

    /// Rows sorted by a status key (then by id), for the list page.
    static func sorted(_ rows: [OutputFeature], by key: String) -> [OutputFeature] {
        func sortKey(_ r: OutputFeature) -> (Double?, String) {
            switch r.value(key) {
            case .number(let v, _): return (v, "")
            case .int(let v): return (Double(v), "")
            case .string(let s): return (nil, s)
            default: return (nil, "")
            }
        }
        return rows.sorted { a, b in
            let (x, y) = (sortKey(a), sortKey(b))
            if let p = x.0, let q = y.0, p != q { return key == "area_m2" || key == "days_open" ? p > q : p < q }
            if x.1 != y.1 { return x.1 < y.1 }
            return (a.text("id") ?? "") < (b.text("id") ?? "")
        }
    }
}
