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
            log(RequestLogMiddleware.line(request, status: response.status.code, account: response.headers[.loggedAccount], since: start))
            response.headers[.loggedAccount] = nil
            return response
        } catch {
            log(RequestLogMiddleware.line(request, status: WebError.from(error).status.code, account: nil, since: start))
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
}

/// Security headers on every response: no framing, no sniffing, scripts and styles only from
/// this server, images from it (and the basemap's tile host when one is given).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let imageSources: String

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data: \(imageSources); style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }
}
