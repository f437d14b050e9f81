import Foundation
import HTTPTypes
import Hummingbird
import LandWatchCore
import LandWatchLedger

/// Building responses, the same for every route.
enum Reply {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, account: LedgerAccount? = nil) -> Response {
        bytes(Array(value.serialized().utf8), type: "application/json; charset=utf-8", status: status, account: account)
    }

    /// `cache` is `no-store` for everything from the ledger; static files may be kept.
    static func bytes(_ bytes: [UInt8], type: String, status: HTTPResponse.Status = .ok, account: LedgerAccount? = nil,
                      filename: String? = nil, attachment: Bool = false, cache: String = "no-store") -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: cache]
        if let filename {
            // The stored name is LandWatch's own (id, date, number), never the uploader's.
            headers[.contentDisposition] = "\(attachment ? "attachment" : "inline"); filename=\"\(filename)\""
        }
        if let account { headers[.loggedAccount] = account.name }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func html(_ page: String, status: HTTPResponse.Status = .ok, account: LedgerAccount? = nil) -> Response {
        bytes(Array(page.utf8), type: "text/html; charset=utf-8", status: status, account: account)
    }

    static func redirect(_ location: String, account: LedgerAccount? = nil) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        if let account { headers[.loggedAccount] = account.name }
        return Response(status: .seeOther, headers: headers)
    }


    static func error(_ error: Error, account: LedgerAccount?) -> Response {
        let e = WebError.from(error)
        return logged(Reply.json(.object([("error", .string(e.message.en)), ("error_zh", .string(e.message.zh))]), status: e.status, account: account), e)
    }

    /// The response carrying the error's detail for the log line (taken off before it is sent).
    static func logged(_ response: Response, _ e: WebError) -> Response {
        var response = response
        if let detail = e.detail { response.headers[.loggedFailure] = detail.replacingOccurrences(of: "\n", with: " ") }
        return response
    }
}

/// Reading requests.
extension Request {
    /// The body, refused past `limit` bytes.
    func bytes(upTo limit: Int) async throws -> [UInt8] {
        do {
            var buffer = try await body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            throw WebError.tooLarge
        }
    }

    /// A JSON object body of at most 64 KB.
    func jsonObject() async throws -> [String: Any] {
        let data = Data(try await bytes(upTo: WebLimits.smallBytes))
        guard let object = (try? JSONSerialization.jsonObject(with: data.isEmpty ? Data("{}".utf8) : data)) as? [String: Any] else {
            throw WebError.badRequest(Bilingual(en: "the body is not a JSON object", zh: "请求体不是 JSON 对象"))
        }
        return object
    }

    /// An application/x-www-form-urlencoded body of at most 64 KB.
    func form() async throws -> [String: String] {
        let text = String(decoding: try await bytes(upTo: WebLimits.smallBytes), as: UTF8.self)
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let key = kv.first { out[key] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }

    /// A multipart/form-data body of at most `WebLimits.multipartBytes` (a reported fix).
    func multipartForm() async throws -> MultipartForm {
        guard let type = headers[.contentType], let boundary = MultipartForm.boundary(of: type) else {
            throw WebError.badRequest(Bilingual(en: "send multipart/form-data with measure, date, note and photo",
                                                    zh: "请以 multipart/form-data 发送整改措施、日期、说明和照片"))
        }
        guard let form = MultipartForm(try await bytes(upTo: WebLimits.multipartBytes), boundary: boundary) else {
            throw WebError.badRequest(Bilingual(en: "the multipart body cannot be read", zh: "无法读取上传的表单"))
        }
        return form
    }

    func query(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension OutputFeature {
    /// The value of one of the row's keys (`null` when it has none).
    func value(_ key: String) -> JSONValue { properties.first { $0.0 == key }?.1 ?? .null }

    /// A key's value as text, when it is a string.
    func text(_ key: String) -> String? { if case .string(let s) = value(key) { return s } else { return nil } }
}
