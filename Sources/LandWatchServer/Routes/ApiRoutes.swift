import Foundation
import GDALKit
import HTTPTypes
import Hummingbird
import LandWatchCore
import LandWatchLedger

/// The JSON API (documented in the README): the same rights as the pages, through `WebApp`.
extension WebApp {
    func addAPIRoutes(to router: Router<WebContext>) {
        let api = router.group("api")
        api.post("login") { request, context in await self.apiLogin(request, context) }
        api.post("logout") { request, _ in
            await self.api(request, changes: true) { session, account in
                await self.sessions.end(session.token)
                var r = Reply.json(.object([("signed_out", .bool(true))]), account: account)
                r.setCookie(self.sessionCookie(nil))
                return r
            }
        }
        api.get("session") { request, _ in
            await self.api(request) { session, account in Reply.json(WebApp.accountJSON(account, csrf: session.csrf), account: account) }
        }
        api.get("entries") { request, _ in
            await self.api(request) { _, account in
                Reply.json(try await self.entries(try ListQuery { request.query($0) }, for: account).table.json, account: account)
            }
        }
        api.get("entries.geojson") { request, _ in
            await self.api(request) { _, account in
                let rows = try await self.entries(try ListQuery { request.query($0) }, for: account).rows
                return Reply.bytes(Array(try FeatureWriter.geoJSON(rows, crs: CRS.wgs84).utf8), type: "application/geo+json", account: account,
                                   filename: "entries.geojson", attachment: request.query("download") != nil)
            }
        }
        api.get("entries.csv") { request, _ in
            await self.api(request) { _, account in
                // The tables' own CSV (UTF-8 with a BOM, headers in the pages' language), as `ledger status` writes it.
                let table = try await self.entries(try ListQuery { request.query($0) }, for: account).table
                return Reply.bytes(Array(TableWriter.render([table], format: .csv, language: self.settings.language).utf8),
                                   type: "text/csv; charset=utf-8", account: account, filename: "entries.csv", attachment: true)
            }
        }
        api.get("entries/:id") { request, context in
            await self.api(request) { _, account in
                Reply.json(WebApp.entryJSON(try await self.entry(try context.parameters.require("id"), for: account)), account: account)
            }
        }
        api.get("report") { request, _ in
            await self.api(request) { _, account in
                let (from, to) = try self.period(request)
                let rows = try await self.report(from: from, to: to)
                return Reply.json(LedgerQueries.reportTable(rows).json, account: account)
            }
        }
        api.get("zones.geojson") { request, _ in
            await self.api(request) { _, account in
                Reply.bytes(self.zonesGeoJSON, type: "application/geo+json", account: account)
            }
        }
        api.get("photos/:number") { request, context in
            await self.api(request) { _, account in
                guard let number = Int64(try context.parameters.require("number")) else { throw WebError.notFound() }
                let (photo, bytes) = try await self.photo(number, for: account)
                return Reply.bytes(bytes, type: photo.mime, account: account, filename: photo.name)
            }
        }
        api.post("entries/:id/report") { request, context in
            await self.api(request, changes: true) { _, account in
                let (report, date) = try WebApp.reportAction(try await request.multipartForm(), today: self.today())
                return try await self.apiAct(try context.parameters.require("id"), report, dated: date, account)
            }
        }
        for name in ["approve", "reject", "classify", "close", "reopen"] {
            api.post("entries/:id/\(name)") { request, context in
                await self.api(request, changes: true) { _, account in
                    let body = try await request.jsonObject()
                    return try await self.apiAct(try context.parameters.require("id"), try WebApp.action(name, body), account)
                }
            }
        }
    }

    // MARK: The path of every API request

    /// Signed in (401 otherwise), CSRF checked for changes (403), errors as JSON with their status.
    private func api(_ request: Request, changes: Bool = false,
                     _ body: (Session, LedgerAccount) async throws -> Response) async -> Response {
        var who: LedgerAccount?
        do {
            guard let (session, account) = try await signedIn(request) else { throw WebError.signedOut }
            who = account
            if changes { try WebApp.checkCSRF(session, given: request.headers[.csrfToken]) }
            return try await body(session, account)
        } catch {
            return Reply.error(error, account: who)
        }
    }

    private func apiLogin(_ request: Request, _ context: WebContext) async -> Response {
        do {
            // JSON only: a form on another site cannot send it without the server's consent.
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
                throw WebError(status: .unsupportedMediaType, message: Bilingual(en: "send the sign-in as application/json", zh: "登录请求须为 application/json"))
            }
            let body = try await request.jsonObject()
            guard let name = body["name"] as? String, let password = body["password"] as? String else {
                throw WebError.badRequest(Bilingual(en: "send {\"name\": …, \"password\": …}", zh: "请发送 {\"name\": …, \"password\": …}"))
            }
            let (session, account) = try await login(name: name, password: password, address: clientAddress(request, context))
            var response = Reply.json(WebApp.accountJSON(account, csrf: session.csrf), account: account)
            response.setCookie(self.sessionCookie(session.token))
            return response
        } catch {
            return Reply.error(error, account: nil)
        }
    }

    private func apiAct(_ id: String, _ action: LedgerRequest, dated date: Day? = nil, _ account: LedgerAccount) async throws -> Response {
        try await act(id, action, dated: date, by: account)
        return Reply.json(WebApp.entryJSON(try await entry(id, for: account)), account: account)
    }

    func period(_ request: Request) throws -> (Day, Day) {
        let from = try request.query("from").map { try WebApp.day($0, "from") } ?? thisMonth.firstDay
        let to = try request.query("to").map { try WebApp.day($0, "to") } ?? today()
        guard from <= to else { throw WebError.badRequest(Bilingual(en: "from is after to", zh: "起始日期晚于截止日期")) }
        return (from, to)
    }

    static func day(_ text: String, _ name: String) throws -> Day {
        guard let d = Day(text) else { throw WebError.badRequest(Bilingual(en: "\(name) is a date YYYY-MM-DD", zh: "\(name) 须为日期 YYYY-MM-DD")) }
        return d
    }

    // MARK: Actions from what was sent

    /// A reported fix from a multipart form: measure, note, up to five photos checked by their
    /// bytes, and the date it was done (today when not given).
    static func reportAction(_ form: MultipartForm, today: Day) throws -> (LedgerRequest, Day) {
        let files = form.files("photo")
        guard files.count <= LedgerPhoto.maximumCount else { throw WebError.badRequest(Bilingual(en: "at most \(LedgerPhoto.maximumCount) photos", zh: "最多 \(LedgerPhoto.maximumCount) 张照片")) }
        let photos = try files.map { part -> LedgerPhoto in
            guard !part.bytes.isEmpty else { throw WebError.badRequest(Bilingual(en: "the photo \"\(part.filename ?? "")\" is empty: nothing was sent",
                                                                                   zh: "照片“\(part.filename ?? "")”是空文件：未提交")) }
            guard let photo = LedgerPhoto(bytes: part.bytes) else {
                throw WebError.badRequest(Bilingual(en: "a photo is a JPEG or PNG of at most 10 MB", zh: "照片须为不超过 10 MB 的 JPEG 或 PNG"))
            }
            return photo
        }
        let date = try form.text("date").flatMap { $0.isEmpty ? nil : $0 }.map { try day($0, "date") } ?? today
        return (.report(measure: form.text("measure") ?? "", note: form.text("note"), photos: photos), date)
    }

    /// The other actions from their fields (a JSON object or a page's form).
    static func action(_ name: String, _ fields: [String: Any]) throws -> LedgerRequest {
        let note = (fields["note"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        switch name {
        case "approve": return .approve(note: note)
        case "reject": return .reject(note: note ?? "")
        case "classify": return .classify(className: fields["class"] as? String ?? "", note: note)
        case "close": return .close(reason: fields["reason"] as? String ?? "", note: note)
        case "reopen": return .reopen(note: note)
        default: throw WebError.notFound()
        }
    }

    // MARK: JSON

    static func accountJSON(_ account: LedgerAccount, csrf: String) -> JSONValue {
        .object([("name", .string(account.name)), ("role", .string(account.role.rawValue)),
                 ("zone", account.zone.map(JSONValue.string) ?? .null), ("csrf_token", .string(csrf))])
    }

    static func entryJSON(_ d: EntryDetail) -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let events: [JSONValue] = d.events.map { e in
            .object([("date", .string(e.date.description)), ("event", .string(e.kind.rawValue)), ("batch", e.batch.map(JSONValue.int) ?? .null),
                     ("reason", text(e.reason)), ("note", text(e.note)), ("state_after", .string(e.stateAfter.rawValue)),
                     ("due_after", text(e.dueAfter?.description)), ("actor", text(e.actor)), ("previous", text(e.previous))])
        }
        let photos: [JSONValue] = d.photos.map { p in
            .object([("url", .string("/api/photos/\(p.number)")), ("name", .string(p.name)), ("mime", .string(p.mime)),
                     ("size", .int(p.size)), ("date", text(p.date?.description)), ("actor", text(p.actor))])
        }
        return .object(d.row.properties + [("events", .array(events)), ("photos", .array(photos))])
    }
}
