import Foundation

/// A PostgreSQL cluster of one test's own (`Tests/Services/postgres.sh`), for a test that must
/// restart or stop its server without disturbing the others. Owned by that test; stop it when done.
public final class TestCluster {
    public let directory: String
    /// The libpq connection string of its `landwatch_test` database.
    public let conninfo: String

    public init() throws {
        directory = Fixtures.temporaryDirectory("landwatch-pg-own")
        try TestCluster.script("start", directory)
        conninfo = try String(contentsOfFile: directory + "/conninfo", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server and starts it again on the same port: every open connection is cut.
    public func restart() throws { try TestCluster.script("restart", directory) }

    public func stop() { try? TestCluster.script("stop", directory) }

    /// Runs the script with its output in a file, through posix_spawn and waitpid: the server it
    /// starts outlives it, and Foundation's Process was seen to miss such a script's exit.
    private static func script(_ action: String, _ directory: String) throws {
        let log = directory + ".\(action).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let arguments = ["/bin/bash", Fixtures.root.appendingPathComponent("Tests/Services/postgres.sh").path, action, directory]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestClusterError(message: "cannot run postgres.sh: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestClusterError(message: "postgres.sh \(action) failed: \(text)")
        }
    }
}

public struct TestClusterError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
