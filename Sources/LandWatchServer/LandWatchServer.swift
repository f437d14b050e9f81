import Foundation
import HTTPTypes
import Hummingbird
import LandWatchCore
import Logging
import NIOCore

/// `landwatch serve`: the ledger on the web for the bureau, the towns and the planning bureau.
public enum LandWatchServer {
    /// The application on its router; `log` takes one line per request (the CLI prints them).
    /// `started` is told the address once the server listens (the port, when 0 was asked for).
    public static func application(_ settings: ServerSettings, log: @escaping @Sendable (String) -> Void,
                                   started: @escaping @Sendable (String) -> Void = { _ in },
                                   today: @escaping @Sendable () -> Day = { Day.today }) throws -> some ApplicationProtocol {
        let app = try WebApp(settings: settings, today: today)
        let router = Router(context: WebContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestLogMiddleware(log: log))
        router.add(middleware: SecurityHeadersMiddleware(imageSources: tileHost(settings.tiles), https: app.origin?.hasPrefix("https://") == true))
        router.add(middleware: SameOriginMiddleware(expected: { app.expectedOrigin($0) }))
        app.addAPIRoutes(to: router)
        app.addPageRoutes(to: router)
        app.addStaticRoutes(to: router)
        var logger = Logger(label: "landwatch.serve")
        logger.logLevel = .warning
        return Application(router: router, configuration: .init(address: .hostname(settings.bind, port: settings.port), serverName: "LandWatch"),
                           onServerRunning: { channel in
                               let port = channel.localAddress?.port ?? settings.port
                               let host = settings.bind.contains(":") ? "[\(settings.bind)]" : settings.bind
                               started("http://\(host):\(port)")
                           }, logger: logger)
    }

    /// Serves until the process is stopped (SIGINT or SIGTERM end it gracefully).
    public static func run(_ settings: ServerSettings, log: @escaping @Sendable (String) -> Void,
                           started: @escaping @Sendable (String) -> Void) async throws {
        try await application(settings, log: log, started: started).runService()
    }

    /// The scheme and host of a tile URL, allowed as an image source by the pages' CSP.
    static func tileHost(_ tiles: String?) -> String {
        guard let tiles, let url = URL(string: tiles.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")),
              let scheme = url.scheme, let host = url.host else { return "" }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }
}
