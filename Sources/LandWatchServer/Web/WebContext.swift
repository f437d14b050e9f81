import Foundation
import HTTPTypes
import Hummingbird
import LandWatchCore
import LandWatchLedger
import NIOCore

/// What a request carries through the routes: who sent it, from where.
struct WebContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer's address, for the login throttle and the log.
    let remoteAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// The largest body any route reads (a report with five 10 MB photos); each route bounds its own.
    var maxUploadSize: Int { WebLimits.multipartBytes }
}

enum WebLimits {
    /// JSON and form bodies.
    static let smallBytes = 64 * 1024
    /// A reported fix with its photos.
    static let multipartBytes = LedgerPhoto.maximumCount * LedgerPhoto.maximumBytes + 1024 * 1024
    /// The highest page number of a list; with 50 rows a page that is far beyond any ledger, and
    /// small enough that no arithmetic on it can overflow.
    static let pages = 1...1_000_000

    /// A whole number from a request, checked against `range` before anything computes with it:
    /// absent gives `absent`, anything else that is not a decimal integer in range is a 400.
    static func number(_ text: String?, name: String, in range: ClosedRange<Int>, absent: Int) throws -> Int {
        guard let text else { return absent }
        guard text.count <= 20, let value = Int(text), range.contains(value) else {
            throw WebError.badRequest(Bilingual(en: "\(name) is a whole number from \(range.lowerBound) to \(range.upperBound)",
                                                zh: "\(name) 须为 \(range.lowerBound) 至 \(range.upperBound) 的整数"))
        }
        return value
    }
}

/// Why a request is refused, with its status; one place turns errors into responses.
struct WebError: Error {
    let status: HTTPResponse.Status
    /// What the client is told, in both languages: the pages show their own, the API both.
    let message: Bilingual
    /// What the log is told and the client is not (a store failure's own words), with the
    /// request id the answer names.
    var detail: String? = nil

    static func notFound(_ m: Bilingual = Bilingual(en: "not found", zh: "未找到")) -> WebError { WebError(status: .notFound, message: m) }
    static func forbidden(_ m: Bilingual) -> WebError { WebError(status: .forbidden, message: m) }
    static func badRequest(_ m: Bilingual) -> WebError { WebError(status: .badRequest, message: m) }
    static let signedOut = WebError(status: .unauthorized, message: Bilingual(en: "sign in first", zh: "请先登录"))
    static let csrf = WebError(status: .forbidden, message: Bilingual(en: "missing or wrong CSRF token: nothing was changed",
                                                                      zh: "表单令牌缺失或有误：未作任何更改，请刷新页面后重试"))

    /// The status and message for any error a route throws.
    static func from(_ error: Error) -> WebError {
        switch error {
        case let e as WebError: return e
        case let e as LedgerActionError:
            switch e {
            case .notFound: return .notFound(e.message)
            case .forbidden: return .forbidden(e.message)
            case .conflict: return WebError(status: .conflict, message: e.message)
            case .invalid: return .badRequest(e.message)
            }
        case let e as LandWatchError:
            switch e {
            case .usage: return .badRequest("\(e.description)")
            case .data: return WebError(status: .unprocessableContent, message: "\(e.description)")
            case .io: return WebError(status: .serviceUnavailable, message: "\(e.description)")
            }
        case let e as HTTPError:
            // The router's own refusals (no such route, a body over the limit) keep their status.
            return WebError(status: e.status, message: e.status == .contentTooLarge ? WebError.tooLarge.message
                : e.status == .notFound ? Bilingual(en: "not found", zh: "未找到") : "\(e.status.reasonPhrase)")
        case let e as LedgerStoreFailure:
            return internalError(e.description)
        default:
            return internalError(String(describing: error))
        }
    }

    /// A generic 500 naming a request id; the id and the detail go to the log only.
    static func internalError(_ detail: String) -> WebError {
        let id = String(SessionStore.randomToken().prefix(12))
        return WebError(status: .internalServerError, message: Bilingual(en: "internal error (request \(id))", zh: "服务器内部错误（请求 \(id)）"),
                        detail: "request \(id): \(detail)")
    }

    static let tooLarge = WebError(status: .contentTooLarge, message: Bilingual(en: "the request is too large", zh: "请求过大"))
}

extension HTTPField.Name {
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let strictTransportSecurity = HTTPField.Name("Strict-Transport-Security")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
