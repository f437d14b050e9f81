import ArgumentParser
import LandWatchCLI

/// The command line with `serve` added: the CLI and the server never import each other; this
/// executable puts them together.
struct Landwatch: ParsableCommand {
    static let configuration: CommandConfiguration = {
        var c = LandWatchCommand.configuration
        c.subcommands.append(ServeCommand.self)
        return c
    }()
}

LandWatchCommand.main(root: Landwatch.self)
