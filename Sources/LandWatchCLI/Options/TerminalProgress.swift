import Foundation
import LandWatchCore

/// A progress bar on stderr, drawn only when stderr is a terminal.
final class TerminalProgress: ProgressSink, @unchecked Sendable {
    private let label: String
    private var lastDrawn = Date.distantPast

    private init(_ label: String) { self.label = label }

    /// A bar for `label`, or nil when stderr is not a terminal.
    static func make(_ label: String) -> TerminalProgress? {
        isatty(STDERR_FILENO) != 0 ? TerminalProgress(label) : nil
    }

    func update(_ done: Int, of total: Int?) {
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) > 0.1 else { return }
        lastDrawn = now
        var line = "\r\(label) \(done)"
        if let total, total > 0 {
            let width = 30
            let filled = min(width, width * done / total)
            line = "\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total)"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
