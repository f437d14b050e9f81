import Foundation
import Testing
import TestSupport

/// The Chinese user guide (docs/zh/) cannot drift: every `console` example is run and its output
/// checked. (That every error line its 常见问题 lists is still one the sources write is checked by
/// docs/zh/check_errors.py, which Tests/Services/run-tests.sh runs.)
@Suite(.serialized) struct GuideTests {
    static let guide = Fixtures.root.appendingPathComponent("docs/zh")
    /// The guide's examples write under this folder, emptied before each file.
    static let scratch = "/tmp/lwguide/work"

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: guide.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
    }

    /// The fenced blocks of a Markdown text with the given info string, as their lines.
    static func blocks(_ text: String, info: String) -> [[String]] {
        var out: [[String]] = [], current: [String]?
        for line in text.components(separatedBy: "\n") {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```" + info { current = [] }
            else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" { out.append(current!); current = nil }
            else { current?.append(line) }
        }
        return out
    }

    /// `$ ` commands with the lines expected after each (`…` stands for any lines).
    static func examples(_ text: String) -> [(command: String, expected: [String])] {
        var out: [(command: String, expected: [String])] = []
        for block in blocks(text, info: "console") {
            for line in block {
                if line.hasPrefix("$ ") { out.append((String(line.dropFirst(2)), [])) } else if !out.isEmpty { out[out.count - 1].expected.append(line) }
            }
        }
        return out
    }

    /// Runs a command line with `landwatch` the built binary, stdout and stderr as one stream.
    static func shell(_ command: String, bin: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command + " 2>&1"]
        p.currentDirectoryURL = Fixtures.root
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["LANDWATCH_LEDGER"] = nil
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        // `run` prints absolute paths: the guide shows them as in the checkout it was written in.
        var lines = String(decoding: data, as: UTF8.self).replacingOccurrences(of: Fixtures.root.path, with: "/work/main")
            .components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Whether `expected` (with `…` for any lines) matches `actual` in order, trailing spaces aside;
    /// nil when it does, else the first expected line not found.
    static func mismatch(_ expected: [String], _ actual: [String]) -> String? {
        func same(_ a: String, _ b: String) -> Bool {
            a.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) == b.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var i = 0, skipping = false
        for line in expected {
            if line.trimmingCharacters(in: .whitespaces) == "…" { skipping = true; continue }
            if skipping {
                guard let k = actual[i...].firstIndex(where: { same($0, line) }) else { return line }
                i = k + 1
            } else {
                guard i < actual.count, same(actual[i], line) else { return line }
                i += 1
            }
            skipping = false
        }
        return skipping || i == actual.count ? nil : "(no more lines expected, but: \(actual[i]))"
    }

    @Test func theGuideHasEveryPart() {
        for part in ["README.md", "安装.md", "每月流程.md", "挂销账.md", "污染地块核查.md", "走航高值区.md", "空气质量排名.md", "常见问题.md"] {
            #expect(Self.files.contains(part), "docs/zh/\(part)")
        }
    }

    @Test(.tags(.slow), .fullRun, arguments: files) func everyExampleGivesItsOutput(_ file: String) throws {
        let text = try String(contentsOf: Self.guide.appendingPathComponent(file), encoding: .utf8)
        let bin = Fixtures.temporaryDirectory("guide-bin")
        try? FileManager.default.createSymbolicLink(atPath: bin + "/landwatch", withDestinationPath: Fixtures.binary)
        try? FileManager.default.removeItem(atPath: Self.scratch)
        try FileManager.default.createDirectory(atPath: Self.scratch, withIntermediateDirectories: true)
        for example in Self.examples(text) {
            let actual = try Self.shell(example.command, bin: bin)
            let wrong = Self.mismatch(example.expected, actual)
            #expect(wrong == nil, "\(file): $ \(example.command)\nexpected line: \(wrong ?? "")\nactual:\n\(actual.prefix(30).joined(separator: "\n"))")
        }
    }
}
