import Foundation

/// How every output of LandWatch reaches its name: written under a temporary name beside it
/// (hidden, with the process id, keeping the extension so that GDAL picks the same driver),
/// then renamed into place, which is atomic on one file system: a run killed at any point
/// leaves the old file or the new one, never half of one. One naming and one rename for the
/// tables, the GIS files, the rasters and a new ledger.
public enum TemporaryFile {
    /// `.NAME.partial-PID.EXT` beside `path`.
    public static func path(beside path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let name = ".\(url.deletingPathExtension().lastPathComponent).partial-\(getpid())" + (ext.isEmpty ? "" : "." + ext)
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Renames a temporary file onto its final name; the error names the final file.
    public static func moveIntoPlace(_ temporary: String, to final: String) throws {
        if rename(temporary, final) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw GDALError(context: "cannot write \"\(final)\"", message: reason, isFileProblem: true)
        }
    }

    /// Writes bytes under the temporary name, runs `beforeRename` (a test's pause), and moves
    /// the file into place; nothing is left under either name when writing fails.
    public static func write(_ data: Data, to path: String, beforeRename: () -> Void = {}) throws {
        let temporary = self.path(beside: path)
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        beforeRename()
        try moveIntoPlace(temporary, to: path)
    }
}
