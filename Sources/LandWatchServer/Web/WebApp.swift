import Foundation
import GDALKit
import HTTPTypes
import Hummingbird
import LandWatchCore
import LandWatchLedger

/// What the pages and the JSON API share: the ledger pool, the sessions, the zones, and the one
/// path every request takes (session → account → rights → core → value). The pages and the API
/// only render what these return.
struct WebApp: Sendable {
    let settings: ServerSettings
    let pool: LedgerPool
    let sessions: SessionStore
    let throttle = LoginThrottle()
    let accounts = AccountCache()
    /// The zones in lon/lat as GeoJSON (name only), made once, and their names.
    let zonesGeoJSON: [UInt8]
    let zoneNames: [String]
    /// Leaflet's files from Debian's package, read once (none when it is not installed).
    let leaflet: [String: [UInt8]]
    let views: PageViews
    /// Today, for deadlines and action dates (a test may fix it).
    let today: @Sendable () -> Day

    static let sessionCookie = "lw_session"
    /// The sign-in form's token, kept in a cookie of its own until the sign-in.
    static let loginCookie = "lw_login"
    /// `--public-url`'s scheme, host and port (nil without it).
    let origin: String?

    init(settings: ServerSettings, today: @escaping @Sendable () -> Day = { Day.today }) throws {
        self.settings = settings
        pool = LedgerPool(settings.ledger, connections: settings.connections)
        sessions = SessionStore(idle: settings.sessionIdle, lifetime: settings.sessionLifetime)
        let zones = try Zones.load(settings.zones, field: settings.zoneField, options: ReadOptions.landWatch())
        let toLonLat = try CoordinateTransform(from: zones.crs, to: CRS.wgs84)
        let outlines = try zones.zones.map { OutputFeature([("name", .string($0.name))], geometry: try toLonLat.transform($0.geometry)) }
        zonesGeoJSON = Array(try FeatureWriter.geoJSON(outlines, crs: CRS.wgs84).utf8)
        zoneNames = zones.zones.map(\.name)
        leaflet = WebAssets.leaflet(in: settings.leafletDirectory)
        views = PageViews(title: settings.title, t: PageText(language: settings.language), tiles: settings.tiles)
        self.today = today
        origin = settings.publicURL.flatMap(ServerSettings.origin(of:))
    }

    /// The month of today, for the ranking and the report's default period.
    var thisMonth: Month { Month(String(today().description.prefix(7)))! }

    // MARK: Who is asking

    /// The account of the request's session as the ledger holds it (read again at most
    /// `AccountCache.seconds` after the last read); nil when signed out or expired, and the
    /// session ended when the account is gone or its credentials changed since it began (a new
    /// password, role or zone; removed and added again).
    func signedIn(_ request: Request) async throws -> (Session, LedgerAccount)? {
        guard let token = request.cookies[WebApp.sessionCookie]?.value, let session = await sessions.find(token) else { return nil }
        let name = session.name
        var credential = await accounts.find(name)
        if credential == nil {
            credential = try await pool.read { store in try LedgerAccounts.credential(store, name) }
            if let credential { await accounts.remember(credential) }
        }
        guard let credential, credential.version == session.credential else {
            await sessions.end(token)
            return nil
        }
        return (session, credential.account)
    }

    /// Checks the CSRF token of a state-changing request (header for the API, form field for pages).
    static func checkCSRF(_ session: Session, given: String?) throws {
        guard let given, !given.isEmpty, constantTimeEqual(given, session.csrf) else { throw WebError.csrf }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Signs in: what was typed within its limits, the throttle, then the password (the same
    /// answer for an unknown name and a wrong password).
    func login(name: String, password: String, address: String) async throws -> (Session, LedgerAccount) {
        try WebApp.check(name, as: .accountName)
        try WebApp.check(password, as: .password)
        if await !throttle.allows(name: name, address: address),
           let unlocked = try await pool.read({ store in try LedgerAccounts.credential(store, name) })?.unlockedAt {
            // Lifted by `users unlock` since the lock began?
            await throttle.unlock(name: name, before: unlocked)
        }
        guard await throttle.allows(name: name, address: address) else {
            throw WebError(status: .tooManyRequests, message: Bilingual(en: "too many failed sign-ins: try again in 15 minutes",
                                                                        zh: "登录失败次数过多：请 15 分钟后再试"))
        }
        let credential = try await pool.read { store in try LedgerAccounts.authenticate(store, name: name, password: password) }
        guard let credential else {
            await throttle.failed(name: name, address: address)
            throw WebError(status: .unauthorized, message: Bilingual(en: "wrong name or password", zh: "账号或密码错误"))
        }
        await throttle.succeeded(name: name, address: address)
        return (await sessions.create(for: credential.account.name, credential: credential.version), credential.account)
    }

    /// A cookie of the server's: HttpOnly, SameSite=Strict, for the whole site, `Secure` behind
    /// https; an empty value removes it.
    func cookie(_ name: String, _ value: String?) -> Cookie {
        Cookie(name: name, value: value ?? "", maxAge: value == nil ? 0 : nil, path: "/", secure: origin?.hasPrefix("https://") == true,
               httpOnly: true, sameSite: .strict)
    }

    /// The session cookie; nil to sign out.
    func sessionCookie(_ token: String?) -> Cookie { cookie(WebApp.sessionCookie, token) }

    /// Refuses text beyond the ledger's limits (too long, a control character) with a 400.
    static func check(_ text: String?, as field: LedgerText.Field) throws {
        if let text, let problem = LedgerText.problem(text, as: field) { throw WebError.badRequest(problem) }
    }

    /// The client's address: the peer's, or, when the peer is a trusted proxy, the last address
    /// in `X-Forwarded-For` (the one that proxy added).
    func clientAddress(_ request: Request, _ context: WebContext) -> String {
        guard settings.trustedProxies.contains(context.remoteAddress),
              let forwarded = request.headers[.forwardedFor]?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
              !forwarded.isEmpty else { return context.remoteAddress }
        return forwarded
    }

    /// The origin a POST must come from: `--public-url`'s, or this request's own host over http.
    func expectedOrigin(_ request: Request) -> String? {
        origin ?? request.head.authority.map { "http://" + $0.lowercased() }
    }

    // MARK: Reading, narrowed to what the account sees

    /// The filters of a list request; a town asking for another zone gets 404.
    struct ListQuery: Sendable {
        var zone: String?
        var state: LedgerState?
        var className: String?
        var overdue = false
        var id: String?

        init(_ q: (String) -> String?) throws {
            for key in ["zone", "id", "state", "class", "overdue", "sort"] { try WebApp.check(q(key), as: .value) }
            zone = q("zone")
            id = q("id")
            if let s = q("state") {
                guard let state = LedgerState(rawValue: s) else { throw WebError.badRequest(Bilingual(en: "state is one of \(LedgerState.allCases.map(\.rawValue).joined(separator: ", "))",
                                                                                                       zh: "状态须为 \(LedgerState.allCases.map(\.rawValue).joined(separator: "、"))")) }
                self.state = state
            }
            className = q("class")
            overdue = ["1", "true", "yes"].contains(q("overdue") ?? "")
        }
    }

    /// Entries as they stand today: the `ledger status` table and its rows as features.
    func entries(_ query: ListQuery, for account: LedgerAccount) async throws -> (table: Table, rows: [OutputFeature]) {
        if let zone = query.zone, !account.sees(zone: zone) { throw WebError.notFound() }
        var filter = LedgerQueries.StatusFilter(asOf: today())
        filter.zone = query.zone ?? account.visibleZone
        filter.state = query.state
        filter.className = query.className
        filter.overdueOnly = query.overdue
        filter.ids = query.id.map { [$0] }
        let asked = filter
        return try await pool.read { store in try LedgerQueries.status(store, asked) }
    }

    /// One entry with its history and photos; 404 when it is not there or not the account's to
    /// see (decided on the entry's own zone, before anything of it is read).
    func entry(_ id: String, for account: LedgerAccount) async throws -> EntryDetail {
        var filter = LedgerQueries.StatusFilter(asOf: today())
        filter.ids = [id]
        let asked = filter
        let detail = try await pool.read { store -> EntryDetail? in
            guard let entry = try store.entries(ids: [id], zone: nil, forUpdate: false).first, account.sees(zone: entry.zone),
                  let row = try LedgerQueries.status(store, asked).1.first else { return nil }
            return EntryDetail(row: row, events: try store.events(of: id), photos: try store.photos(of: id))
        }
        guard let detail else { throw WebError.notFound() }
        return detail
    }

    /// The rows of `ledger report` for a period (the district's ranking, for every account).
    func report(from: Day, to: Day) async throws -> [LedgerQueries.ReportRow] {
        try await pool.read { store in try LedgerQueries.report(store, from: from, to: to) }
    }

    func photo(_ number: Int64, for account: LedgerAccount) async throws -> (LedgerAttachment, [UInt8]) {
        guard let found = try await pool.read({ store in try LedgerWorkflow.photo(store, number: number, for: account) }) else {
            throw WebError.notFound()
        }
        return found
    }

    // MARK: Acting

    /// A request on an entry, as the account, dated `date` (today unless a report says another
    /// day); the ledger checks rights and state in the same transaction.
    func act(_ id: String, _ request: LedgerRequest, dated date: Day? = nil, by account: LedgerAccount) async throws {
        let today = self.today()
        _ = try await pool.write { store in try LedgerWorkflow.perform(store, id: id, request, by: account, date: date ?? today, today: today,
                                                               photosRequired: self.settings.photosRequired) }
    }
}

/// One entry for its page and `GET /api/entries/{id}`.
struct EntryDetail: Sendable {
    let row: OutputFeature
    let events: [LedgerEvent]
    let photos: [LedgerAttachment]
}
