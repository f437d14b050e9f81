import Foundation
import HTTPTypes
import Hummingbird
import LandWatchCore
import Logging

/// One line per request: method, path (without its query), status, account and milliseconds.
/// Never a query string, a body, a password or a cookie.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let log: @Sendable (String) -> Void

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            log(RequestLogMiddleware.line(request, status: response.status.code, account: response.headers[.loggedAccount], since: start)
                + (response.headers[.loggedFailure].map { " " + $0 } ?? ""))
            response.headers[.loggedAccount] = nil
            response.headers[.loggedFailure] = nil
            return response
        } catch {
            let e = WebError.from(error)
            log(RequestLogMiddleware.line(request, status: e.status.code, account: nil, since: start) + (e.detail.map { " " + $0 } ?? ""))
            throw error
        }
    }

    static func line(_ request: Request, status: Int, account: String?, since start: ContinuousClock.Instant) -> String {
        let elapsed = (ContinuousClock.now - start).components
        let ms = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        return "\(request.method.rawValue) \(request.uri.path) \(status) \(account ?? "-") \(String(format: "%.1f", ms))ms"
    }
}

extension HTTPField.Name {
    /// Passed from the routes to the log middleware, then removed from the response.
    static let loggedAccount = HTTPField.Name("X-LandWatch-Account")!
    /// A failure's detail and request id, passed the same way for the log line only.
    static let loggedFailure = HTTPField.Name("X-LandWatch-Failure")!
}

/// Every answer a proper answer, whatever the router made of the request: errors (a route that
/// is not there, a body over the limit) become responses here, OPTIONS is answered with 204 and
/// the methods there are (HEAD is the router's own, answered as GET without the body). Then the security headers go on every
/// response: no framing, no sniffing, scripts and styles only from this server, images from it
/// (and the basemap's tile host when one is given), and HSTS behind https.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let imageSources: String
    /// Whether people reach the server over https (`--public-url https://…`).
    let https: Bool

    static let allowedMethods = "GET, HEAD, POST, OPTIONS"

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response: Response
        switch request.method {
        case .options:
            response = Response(status: .noContent, headers: [.allow: SecurityHeadersMiddleware.allowedMethods])
        default:
            response = await SecurityHeadersMiddleware.answer(request, context: context, next: next)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data: \(imageSources); style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        if https { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }

    /// The route's response, or its error as one.
    private static func answer(_ request: Request, context: WebContext,
                               next: (Request, WebContext) async throws -> Response) async -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Reply.error(error, account: nil)
        }
    }
}

/// Every POST comes from the server's own pages, or from a script: its `Origin` (or, where a
/// browser sends `null` or none, its `Referer`) must be the server's own origin. A request that
/// names no origin at all must be JSON or carry the CSRF header, which no form on another site
/// can send. This is what keeps another site from signing a clerk in as someone else.
struct SameOriginMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let expected: @Sendable (Request) -> String?

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        let named = request.headers[.origin].flatMap { $0 == "null" ? nil : ServerSettings.origin(of: $0) }
            ?? request.headers[.referer].flatMap(ServerSettings.origin(of:))
        if let named {
            guard named == expected(request) else {
                throw WebError(status: .forbidden, message: Bilingual(en: "the request comes from another site (\(named)): nothing was changed",
                                                                         zh: "请求来自其他网站（\(named)）：未作任何更改"))
            }
        } else if request.headers[.contentType]?.lowercased().hasPrefix("application/json") != true && request.headers[.csrfToken] == nil {
            throw WebError(status: .forbidden, message: Bilingual(en: "the request says no origin: nothing was changed", zh: "请求未注明来源：未作任何更改"))
        }
        return try await next(request, context)
    }
}
