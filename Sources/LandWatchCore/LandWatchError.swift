import GDALKit

/// An error LandWatch reports to the user as one line: what is wrong and what to do.
public enum LandWatchError: Error, CustomStringConvertible, Equatable {
    /// The input data is wrong (a file, layer, feature or field).
    case data(ErrorMessage)
    /// The command line is wrong (an option or a combination of options).
    case usage(ErrorMessage)
    /// Reading or writing a file failed.
    case io(ErrorMessage)

    public var message: ErrorMessage {
        switch self {
        case .data(let m), .usage(let m), .io(let m): return m
        }
    }

    /// The message with each setting it names in plain words.
    public var description: String { message.description }

    /// The same error with the settings `name` knows named its way (the others kept for a
    /// later front end to name): `run` names its config keys, the command line its options.
    public func naming(_ name: (Setting) -> String?) -> LandWatchError {
        switch self {
        case .data(let m): return .data(m.naming(name))
        case .usage(let m): return .usage(m.naming(name))
        case .io(let m): return .io(m.naming(name))
        }
    }

    /// Wraps a GDALKit error: a layer that needs more said about it (encoding, coordinate
    /// columns, CRS) as a data error with what to give; a file problem as an I/O error.
    public static func from(_ error: Error) -> LandWatchError {
        if let e = error as? LandWatchError { return e }
        if let e = error as? LayerProblem { return .data(InputPolicy.advice(for: e)) }
        if let e = error as? GDALError { return e.isFileProblem ? .io(.init(e.description)) : .data(.init(e.description)) }
        return .data(.init(String(describing: error)))
    }
}

/// A choice the user makes that a message may tell them to change. Each front end names it its
/// own way: the command line as an option (`--zone-field`), `run` as a config key
/// (`zones.field`); `plainName` is the wording where no front end does (the web application).
public enum Setting: String, CaseIterable, Sendable {
    case assumeCRS, encoding, xField, yField, zoneField, zone, date, cell, minReadings, confidence, from, to,
         sourceNameField, stationField, within, deadlineDays, closeAfter, matchIoU, outFolder, outFile, format, force, wait

    public var plainName: String {
        switch self {
        case .assumeCRS: return "the CRS to assume"
        case .encoding: return "the text encoding"
        case .xField: return "the x column"
        case .yField: return "the y column"
        case .zoneField: return "the zone name field"
        case .zone: return "the account's zone"
        case .date: return "the date"
        case .cell: return "the cell size"
        case .minReadings: return "the minimum readings per cell"
        case .confidence: return "the confidence"
        case .from: return "the start of the period"
        case .to: return "the end of the period"
        case .sourceNameField: return "the source name field"
        case .stationField: return "the station id field"
        case .within: return "the distance within which pairs are reported"
        case .deadlineDays: return "the days to fix a patch"
        case .closeAfter: return "the misses after which an entry is closed"
        case .matchIoU: return "the overlap at which a detection matches an entry"
        case .outFolder: return "the output folder"
        case .outFile: return "the output file"
        case .format: return "the output format"
        case .force: return "the force option"
        case .wait: return "a wait in seconds"
        }
    }
}

/// A message whose text keeps apart the settings it names, so that each front end names them
/// its own way: `"give one with \(Setting.zoneField)"`.
public struct ErrorMessage: Equatable, Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    enum Part: Equatable, Sendable {
        case text(String)
        case setting(Setting)
    }

    private(set) var parts: [Part]

    public init(_ text: String) { parts = [.text(text)] }
    public init(stringLiteral value: String) { self.init(value) }
    public init(stringInterpolation: Interpolation) { parts = stringInterpolation.parts }

    public struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { parts.append(.text(literal)) }
        public mutating func appendInterpolation(_ setting: Setting) { parts.append(.setting(setting)) }
        public mutating func appendInterpolation(_ message: ErrorMessage) { parts += message.parts }
        public mutating func appendInterpolation<T>(_ value: T) { parts.append(.text("\(value)")) }
    }

    /// The settings named as `name` names them; the others in plain words.
    public func rendered(_ name: (Setting) -> String?) -> String {
        parts.map { part in
            switch part {
            case .text(let t): return t
            case .setting(let s): return name(s) ?? s.plainName
            }
        }.joined()
    }

    public var description: String { rendered { _ in nil } }

    /// The message with the settings `name` knows written in as text.
    func naming(_ name: (Setting) -> String?) -> ErrorMessage {
        var named = ErrorMessage("")
        named.parts = parts.map { part in
            if case .setting(let s) = part, let text = name(s) { return .text(text) }
            return part
        }
        return named
    }

    public static func + (lhs: ErrorMessage, rhs: ErrorMessage) -> ErrorMessage {
        var sum = lhs
        sum.parts += rhs.parts
        return sum
    }
}
