import CGDAL
import CGEOS
import CPROJ
import Foundation

/// GDAL's process-wide state in one place: driver registration, the error handler and the
/// configuration options LandWatch relies on.
///
/// Every entry point of GDALKit calls `GDALRuntime.ensure()` first; it is cheap after the first
/// call and thread-safe (a Swift global initialiser runs exactly once).
public enum GDALRuntime {
    private static let initialized: Bool = {
        // GDAL never prints `ERROR n:` lines on its own: failures are read back per call by
        // `GDALCall` and warnings are collected for the caller to report.
        CPLSetErrorHandler(collectingErrorHandler)
        // Every coordinate transformation uses lon/lat (x/y) order, whatever the CRS says.
        CPLSetConfigOption("OGR_CT_FORCE_TRADITIONAL_GIS_ORDER", "YES")
        // A Shapefile missing its .shx is an error to report, not something to rebuild silently.
        CPLSetConfigOption("SHAPE_RESTORE_SHX", "NO")
        // A GeoPackage written by a newer GDAL or QGIS (1.4) reads fine: no version warning.
        CPLSetConfigOption("GPKG_WARN_UNRECOGNIZED_APPLICATION_ID", "NO")
        // Large GeoJSON objects (one huge polygon) are read whole.
        CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0")
        GDALAllRegister()
        return true
    }()

    /// Registers drivers and installs the error handler on first use.
    public static func ensure() { _ = initialized }

    /// The linked library versions, e.g. `("3.6.2", "3.11.1", "9.1.1")`.
    public static var versions: (gdal: String, geos: String, proj: String) {
        ensure()
        let gdal = String(cString: GDALVersionInfo("RELEASE_NAME"))
        let geos = String(cString: GEOSversion()).split(separator: "-").first.map(String.init) ?? ""
        let proj = String(cString: proj_info().version)
        return (gdal, geos, proj)
    }

    /// Runs `body` with GDAL configuration options set on this thread only (e.g.
    /// `OGR_CURRENT_DATE` for reproducible GeoPackage timestamps), restoring them afterwards.
    public static func withConfig<T>(_ options: [String: String], _ body: () throws -> T) rethrows -> T {
        ensure()
        let previous = options.keys.map { ($0, CPLGetThreadLocalConfigOption($0, nil).map { String(cString: $0) }) }
        for (key, value) in options { CPLSetThreadLocalConfigOption(key, value) }
        defer { for (key, value) in previous { CPLSetThreadLocalConfigOption(key, value) } }
        return try body()
    }

    /// Warnings GDAL emitted since the last call, oldest first (then cleared).
    public static func drainWarnings() -> [String] { WarningLog.shared.drain() }
}

/// Collects GDAL warnings from any thread.
final class WarningLog: @unchecked Sendable {
    static let shared = WarningLog()
    /// GDAL warnings (they carry no code of their own) for what LandWatch reports itself.
    static let saidByLandWatch = ["Non closed ring detected"]
    private let lock = NSLock()
    private var messages: [String] = []

    func append(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        if messages.count < 1000 { messages.append(message) }
    }

    func drain() -> [String] {
        lock.lock(); defer { lock.unlock() }
        let out = messages
        messages.removeAll()
        return out
    }
}

private let collectingErrorHandler: @convention(c) (CPLErr, CPLErrorNum, UnsafePointer<CChar>?) -> Void = {
    errorClass, _, message in
    // Failures are kept by GDAL as the thread's last error and read back by `GDALCall`.
    if errorClass == CE_Warning, let message {
        let text = String(cString: message)
        // What LandWatch says in its own words: rings it closes are counted in the read report.
        if WarningLog.saidByLandWatch.contains(where: text.hasPrefix) { return }
        WarningLog.shared.append(text)
    }
}
