import ArgumentParser
import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger

/// The `landwatch` root command.
public struct LandWatchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "landwatch",
        abstract: "Land and air supervision for a district's environment and planning bureaus.",
        discussion: """
        A layer argument is any file GDAL reads, written PATH[#LAYER][@CRS]: #LAYER picks a layer \
        of a multi-layer file, @CRS overrides the layer's CRS (e.g. readings.csv@GCJ-02).
        """,
        version: LandWatchVersion.full,
        subcommands: [RunCommand.self, InfoCommand.self, CoverageCommand.self, OverlapCommand.self, LedgerCommand.self, HotspotsCommand.self, AirCommand.self, UsersCommand.self, SampleDataCommand.self]
    )

    public init() {}

    /// Exit codes: 0 success, 64 usage error, 65 data error, 74 file error.
    public enum ExitCode: Int32 {
        case success = 0, usage = 64, data = 65, io = 74
    }

    /// Parses and runs a command line, printing `landwatch: error: …` on failure; returns the exit
    /// code. `root` is this command, or the executable's, which adds `serve` to its subcommands.
    public static func run(_ arguments: [String], root: any ParsableCommand.Type = LandWatchCommand.self) -> Int32 {
        do {
            var command = try root.parseAsRoot(arguments)
            try command.run()
            let gdal = GDALRuntime.drainWarnings()
            if let first = gdal.first {
                Console.warning("GDAL reported \(gdal.count) \(gdal.count == 1 ? "warning" : "warnings"), the first: \(first)")
            }
            return ExitCode.success.rawValue
        } catch let error as LandWatchError {
            return report(error)
        } catch let error as LayerProblem {
            return report(LandWatchError.from(error))
        } catch let error as LedgerIngestRefusal {
            Console.error(error.message.rendered(OptionNames.option))
            return ExitCode.data.rawValue
        } catch let error as GDALError {
            Console.error(error.description)
            return (error.isFileProblem ? ExitCode.io : ExitCode.data).rawValue
        } catch let error as LedgerStoreFailure {
            Console.error(error.description)
            return (error.isFileProblem ? ExitCode.io : ExitCode.data).rawValue
        } catch let error as CocoaError {
            // A file operation Foundation refused: its file and the reason, not the error's dump.
            Console.error((error.filePath.map { "\"\($0)\": " } ?? "") + error.localizedDescription)
            return ExitCode.io.rawValue
        } catch {
            let code = root.exitCode(for: error)
            if code == .success || error is CleanExit {
                root.exit(withError: error)
            }
            // One line, as every error: the message and where the help for it is.
            let message = (root.message(for: error).components(separatedBy: "\n").first ?? "") + negativeNumberHint(arguments)
            Console.error(message + " (see 'landwatch \(commandPath(arguments, root: root).map { $0 + " " }.joined())--help')")
            return ExitCode.usage.rawValue
        }
    }

    /// Prints the error with the settings it names as options; its exit code.
    static func report(_ error: LandWatchError) -> Int32 {
        Console.error(error.message.rendered(OptionNames.option))
        switch error {
        case .usage: return ExitCode.usage.rawValue
        case .data: return ExitCode.data.rawValue
        case .io: return ExitCode.io.rawValue
        }
    }

    /// The subcommands named at the start of a command line: `["ledger", "close"]`.
    static func commandPath(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var type = root
        var path: [String] = []
        for argument in arguments {
            guard let sub = type.configuration.subcommands.first(where: { $0.configuration.commandName == argument }) else { break }
            path.append(argument)
            type = sub
        }
        return path
    }

    /// An option followed by a negative number (`--scale -1`) reads as two options: say how to
    /// write it.
    static func negativeNumberHint(_ arguments: [String]) -> String {
        guard let i = arguments.indices.dropLast().first(where: { i in
            arguments[i].hasPrefix("--") && arguments[i + 1].count > 1 && arguments[i + 1].hasPrefix("-") && Double(arguments[i + 1]) != nil
        }) else { return "" }
        return "; \(arguments[i]) \(arguments[i + 1]) is read as two options: write \(arguments[i])=\(arguments[i + 1])"
    }

    public static func main(root: any ParsableCommand.Type = LandWatchCommand.self) {
        Foundation.exit(run(Array(CommandLine.arguments.dropFirst()), root: root))
    }
}

/// Messages on stderr, one line each.
public enum Console {
    /// One line, always: a library message spanning lines (SQL, say) is folded and cut.
    public static func error(_ message: String) {
        let folded = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        line("landwatch: error: " + (folded.count > 600 ? String(folded.prefix(600)) + " …" : folded))
    }
    public static func warning(_ message: String) { line("landwatch: warning: \(message)") }
    public static func note(_ message: String) { line("landwatch: \(message)") }

    public static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

}
