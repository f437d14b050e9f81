import GDALKit

/// An error LandWatch reports to the user as one line: what is wrong and what to do.
public enum LandWatchError: Error, CustomStringConvertible, Equatable {
    /// The input data is wrong (a file, layer, feature or field).
    case data(String)
    /// The command line is wrong (an option or a combination of options).
    case usage(String)
    /// Reading or writing a file failed.
    case io(String)

    public var description: String {
        switch self {
        case .data(let m), .usage(let m), .io(let m): return m
        }
    }

    /// Wraps a GDALKit error as a data error.
    public static func from(_ error: Error) -> LandWatchError {
        if let e = error as? LandWatchError { return e }
        if let e = error as? GDALError { return e.isFileProblem ? .io(e.description) : .data(e.description) }
        return .data(String(describing: error))
    }
}
