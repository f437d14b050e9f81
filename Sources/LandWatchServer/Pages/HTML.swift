import Foundation
import LandWatchCore

/// HTML text with everything from outside escaped: every value a user or the ledger gave goes
/// through `escape`, once, here.
enum HTML {
    static func escape(_ s: String) -> String { Markup.escape(s) }

    /// A query string from pairs, each part percent-encoded.
    static func query(_ pairs: [(String, String?)]) -> String {
        func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s }
        let items = pairs.compactMap { k, v in v.map { "\(encode(k))=\(encode($0))" } }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    /// `<option>`s with one selected.
    static func options(_ values: [(value: String, label: String)], selected: String?) -> String {
        values.map { "<option value=\"\(escape($0.value))\"\($0.value == selected ? " selected" : "")>\(escape($0.label))</option>" }.joined()
    }

    /// RFC 3986's unreserved characters: all that a query's part keeps as it is.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
