import Foundation
import GDALKit

/// Paths and helpers shared by the test suites.
public enum Fixtures {
    /// The package root (two levels above this file's folder).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file of the committed sample data.
    public static func data(_ name: String) -> String { root.appendingPathComponent("Data").appendingPathComponent(name).path }

    /// A new empty folder under the system's temporary folder.
    public static func temporaryDirectory(_ label: String = "landwatch") -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The built `landwatch` binary (`swift build` puts it beside the test bundle).
    public static var binary: String {
        let candidates = [
            root.appendingPathComponent(".build/debug/landwatch").path,
            Bundle.main.bundleURL.appendingPathComponent("landwatch").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Runs the built binary (with `environment` added to this process's); returns its exit
    /// code, stdout and stderr, both read at once so that neither pipe can fill and stall it.
    /// `input`, when given, is the process's standard input. `launcher`, when given, runs the
    /// binary (`setpriv … ` to run it as another user).
    public static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
                           input: String? = nil, launcher: [String] = []) throws -> (code: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.first ?? binary)
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [binary] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? root.path)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let errData = ReadBox()
        let done = DispatchSemaphore(value: 0)
        Thread { errData.data = err.fileHandleForReading.readDataToEndOfFile(); done.signal() }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData.data, as: UTF8.self))
    }

    /// A launcher that runs the binary as the user `nobody` when the tests run as root (whom
    /// file permissions do not stop), else nothing: what a read-only file means for a user.
    public static var asUnprivilegedUser: [String] {
        getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    }

    /// What the stderr reader thread read, handed back once it signals.
    private final class ReadBox: @unchecked Sendable { var data = Data() }

    /// Writes a polygon layer with the given WKT geometries and one `name` field.
    public static func writePolygons(_ path: String, crs: CRS, _ features: [(String, String)],
                                     options: [String: String] = [:]) throws {
        let writer = try VectorWriter(path: path)
        let layer = try writer.addLayer((path as NSString).lastPathComponent.components(separatedBy: ".")[0],
                                        crs: crs, geometryKind: .multiPolygon, fields: [.init("name", .string)],
                                        options: options)
        for (name, wkt) in features {
            try layer.insert([.string(name)], geometry: try Geometry(wkt: wkt))
        }
        try writer.commit()
    }
}
