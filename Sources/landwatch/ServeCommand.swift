import ArgumentParser
import Dispatch
import GDALKit
import LandWatchCLI
import LandWatchCore
import LandWatchServer

/// `landwatch serve`: the ledger on the web, for the bureau, the towns and the planning bureau.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the ledger on the web (accounts: landwatch users add).",
        discussion: "Binds to 127.0.0.1 unless --bind says otherwise. One line per request goes to standard error.")

    @OptionGroup var store: LedgerOptions

    @Option(help: "Zone layer (towns and streets) for the maps: PATH[#LAYER][@CRS].")
    var zones: String

    @Option(name: .customLong("zone-field"), help: "Zone name field (default: the first of name, mc, 名称, 镇街, XZQMC).")
    var zoneField: String?

    @Option(help: "The address to listen on (0.0.0.0 for every interface).")
    var bind = "127.0.0.1"

    @Option(help: "The port (0 picks a free one).")
    var port = 8080

    @Option(help: "The pages' title.")
    var title: String?

    @Option(help: "The pages' language: zh or en.")
    var lang = Language.zh

    @Option(help: "How many ledger connections (or open files) serve requests at once.")
    var connections = 8

    @Option(help: "A basemap tile URL, e.g. http://intranet/tiles/{z}/{x}/{y}.png (none by default: no request leaves the machine).")
    var tiles: String?

    @Option(name: .customLong("trusted-proxy"), help: "A proxy's address whose X-Forwarded-For names the client (repeatable; none by default).")
    var trustedProxies: [String] = []

    @Option(name: .customLong("public-url"), help: "The address people open, e.g. https://ledger.bureau.example (fixes the origin every POST must come from; https makes cookies Secure and adds HSTS).")
    var publicURL: String?

    @Option(help: "Whether a town's report needs a photo: required or optional.")
    var photos = PhotoRule.required

    enum PhotoRule: String, ExpressibleByArgument { case required, optional }

    func validate() throws {
        if let publicURL, ServerSettings.origin(of: publicURL) == nil {
            throw ValidationError("--public-url is the address people open, http:// or https:// and a host (e.g. https://ledger.bureau.example)")
        }
    }

    func run() throws {
        var settings = ServerSettings(ledger: try store.location(), zones: LayerSource(parsing: zones))
        settings.zoneField = zoneField
        settings.bind = bind
        settings.port = port
        settings.language = lang
        settings.tiles = tiles
        settings.connections = connections
        settings.trustedProxies = trustedProxies
        settings.publicURL = publicURL
        settings.photosRequired = photos == .required
        if let title { settings.title = title }
        // The ledger is opened once before listening, so that a wrong --ledger is said at once.
        _ = try settings.ledger.open()
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let ledger = settings.ledger.description
        Task {
            do {
                try await LandWatchServer.run(settings, log: { Console.line($0) },
                                              started: { Console.note("serving \(ledger) at \($0)") })
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }
}

/// The server task's error, handed back once it signals.
private final class Outcome: @unchecked Sendable { var error: Error? }
