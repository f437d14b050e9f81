import CGDAL
import DatabaseKit

/// An error raised by GDAL, OGR, GEOS or PROJ, carrying the library's own message.
public struct GDALError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What LandWatch was doing, e.g. `cannot open "towns.shp"`.
    public let context: String
    /// The library's message, e.g. `No such file or directory`.
    public let message: String
    /// GDAL's error number (`CPLErrorNum`) when GDAL raised the error, 0 otherwise.
    public let number: Int32
    /// OGR's result (`OGRErr`) when an OGR call returned one other than `OGRERR_NONE`.
    public let ogrResult: Int32?
    /// SQLite's result when the error came from a GeoPackage's SQLite database.
    public internal(set) var sqliteResult: SQLiteResult?
    /// Whether the trouble is with a file itself rather than with what it holds: an input that is
    /// not there, or an output the system would not create, write or move into place.
    public let isFileProblem: Bool

    public init(context: String, message: String, number: Int32 = 0, ogrResult: Int32? = nil, isFileProblem: Bool = false) {
        self.context = context
        self.message = message
        self.number = number
        self.ogrResult = ogrResult
        self.isFileProblem = isFileProblem || number == CPLE_FileIO
    }

    public var description: String {
        message.isEmpty ? context : "\(context): \(message)"
    }
}

/// Small helpers every C call goes through: reset GDAL's per-thread last error, run the call,
/// and turn a failure into a `GDALError` carrying GDAL's captured message.
enum GDALCall {
    /// Calls `body`; a nil result or a CE_Failure/CE_Fatal raised during the call throws. A
    /// handle the call returned although it failed is given to `release` (the owned ones:
    /// `GDALClose`, `OCTDestroyCoordinateTransformation`) before the error is thrown.
    static func value<T>(_ context: @autoclosure () -> String, releasing release: ((T) -> Void)? = nil,
                         _ body: () -> T?) throws -> T {
        CPLErrorReset()
        let result = body()
        if let result, !failed() { return result }
        let failure = error(context())
        if let result { release?(result) }
        throw failure
    }

    /// Calls `body` for an OGRErr result.
    static func ogr(_ context: @autoclosure () -> String, _ body: () -> OGRErr) throws {
        CPLErrorReset()
        let code = body()
        if code != OGRERR_NONE || failed() {
            throw error(context(), fallback: "OGR error \(code)", ogrResult: code == OGRERR_NONE ? nil : code)
        }
    }

    /// Calls `body` for a CPLErr result.
    static func cpl(_ context: @autoclosure () -> String, _ body: () -> CPLErr) throws {
        CPLErrorReset()
        let code = body()
        if code.rawValue >= CE_Failure.rawValue || failed() { throw error(context()) }
    }

    /// Whether GDAL recorded a failure on this thread since the last reset.
    static func failed() -> Bool {
        CPLGetLastErrorType().rawValue >= CE_Failure.rawValue
    }

    /// The error for the thread's last GDAL failure.
    static func error(_ context: String, fallback: String = "", ogrResult: OGRErr? = nil) -> GDALError {
        let message = String(cString: CPLGetLastErrorMsg())
        let number = CPLGetLastErrorNo()
        CPLErrorReset()
        return GDALError(context: context, message: message.isEmpty ? fallback : message, number: number, ogrResult: ogrResult)
    }
}

/// A NULL-terminated C string list for GDAL's option arguments (`char **`), freed on deinit.
final class CStringList {
    private(set) var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    init(_ items: [String] = []) {
        for item in items { pointer = CSLAddString(pointer, item) }
    }

    init(_ options: [String: String]) {
        for key in options.keys.sorted() { pointer = CSLSetNameValue(pointer, key, options[key]) }
    }

    deinit { CSLDestroy(pointer) }

    /// The list as `const char * const *`, for the GDAL calls that take it so.
    var constPointer: UnsafePointer<UnsafePointer<CChar>?>? {
        pointer.map { UnsafeRawPointer($0).assumingMemoryBound(to: UnsafePointer<CChar>?.self) }
    }
}

extension String {
    /// A Swift string from a C string that may be NULL.
    init?(optionalCString pointer: UnsafePointer<CChar>?) {
        guard let pointer else { return nil }
        self.init(cString: pointer)
    }
}
