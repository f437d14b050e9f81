import Foundation
import GDALKit

/// Fingerprints of input files, to recognise a file already ingested and to record inputs.
public enum FileDigest {
    /// SHA-256 of a file and, for a Shapefile, its side files (.shx, .dbf, .prj, .cpg) in turn.
    public static func sha256(_ path: String) throws -> String {
        var files = [path]
        if (path as NSString).pathExtension.lowercased() == "shp" {
            let base = (path as NSString).deletingPathExtension
            files += ["shx", "dbf", "prj", "cpg"].map { base + "." + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
        }
        var hash = SHA256()
        for file in files {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw LandWatchError.io("cannot read \"\(file)\"")
            }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update([UInt8](chunk)) }
        }
        return hash.finish()
    }

    /// SHA-256 of features' attributes and geometries, for layers read from a database, which
    /// have no file to fingerprint.
    public static func sha256(of features: [Feature]) -> String {
        var hash = SHA256()
        for f in features {
            hash.update(Array(f.values.map(\.description).joined(separator: "\u{1F}").utf8))
            hash.update(f.geometry?.wkb ?? [])
        }
        return hash.finish()
    }
}
