import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger

/// What `landwatch serve` is told: the ledger, the zones layer, where to listen and how pages look.
public struct ServerSettings: Sendable {
    public var ledger: LedgerLocation
    /// The zones layer (towns and streets), drawn on the maps and checked for town accounts.
    public var zones: LayerSource
    public var zoneField: String?
    /// The address to listen on: loopback unless told otherwise.
    public var bind = "127.0.0.1"
    public var port = 8080
    public var title = "LandWatch 裸地挂销账"
    public var language = Language.zh
    /// A tile URL template (`https://intranet/tiles/{z}/{x}/{y}.png`) for a basemap; none by default,
    /// so that no request leaves the machine.
    public var tiles: String?
    /// Where Leaflet is read from: Debian's `libjs-leaflet`.
    public var leafletDirectory = "/usr/share/javascript/leaflet"
    /// Seconds a session lives without a request, and at most.
    public var sessionIdle = 2 * 3600.0
    public var sessionLifetime = 12 * 3600.0
    /// How many ledger connections serve requests at once.
    public var connections = 8
    /// Proxies (their addresses) whose `X-Forwarded-For` names the client; none by default, and
    /// then the header is ignored.
    public var trustedProxies: [String] = []
    /// The address people open (`https://ledger.bureau.example`): the origin every POST must come
    /// from; when it is https, cookies are `Secure` and answers carry HSTS. Without it the origin
    /// is the request's own `Host` over http.
    public var publicURL: String?
    /// Whether a town's reported fix must carry a photo (the bureau's setting; yes by default).
    public var photosRequired = true

    /// The scheme, host and port of an http(s) URL (`https://ledger.example:8443`, lower-case);
    /// nil for anything else, so that `--public-url` can be checked before the server starts.
    public static func origin(of url: String) -> String? {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme), let host = u.host,
              !host.isEmpty else { return nil }
        return "\(scheme)://\(host.lowercased())\(u.port.map { ":\($0)" } ?? "")"
    }

    public init(ledger: LedgerLocation, zones: LayerSource) {
        self.ledger = ledger
        self.zones = zones
    }
}
