import Foundation
import GDALKit

/// Writes a file through `TemporaryFile` (a temporary name beside it, renamed into place), so a
/// killed run never leaves a half-written file behind; errors in LandWatch's words.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        do {
            try TemporaryFile.write(data, to: path) { FaultInjection.pauseBeforeRename(path) }
        } catch let error as GDALError {
            throw LandWatchError.io(.init(error.description))
        } catch {
            let folder = (path as NSString).deletingLastPathComponent
            throw LandWatchError.io("cannot write \"\(path)\": \(reason(error, folder: folder.isEmpty ? "." : folder))")
        }
    }

    /// Makes an output folder (and its parents); a path that is a file, or a folder the system
    /// will not create, is one line naming it.
    public static func makeFolder(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw notAFolder(path) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LandWatchError.io("cannot make the folder \"\(path)\": \(reason(error, folder: (path as NSString).deletingLastPathComponent))")
        }
    }

    /// The error for an output folder that is a file.
    public static func notAFolder(_ path: String) -> LandWatchError {
        .io("\"\(path)\" is a file, not a folder: give a folder to write into")
    }

    /// Why a file could not be written, said by its folder or the system's error number.
    static func reason(_ error: Error, folder: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) { return "the folder \"\(folder)\" does not exist" }
        if !isDirectory.boolValue { return "\"\(folder)\" is a file, not a folder" }
        if let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return error.localizedDescription
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}

/// Fault injection for the tests that kill LandWatch half-way: the environment variable
/// `LANDWATCH_FAULT_PAUSE_BEFORE_RENAME=SECONDS[:NAME]` pauses before every rename, or only
/// before renaming the file named NAME; does nothing otherwise.
enum FaultInjection {
    static func pauseBeforeRename(_ path: String) {
        guard let setting = ProcessInfo.processInfo.environment["LANDWATCH_FAULT_PAUSE_BEFORE_RENAME"] else { return }
        let parts = setting.split(separator: ":", maxSplits: 1).map(String.init)
        guard let seconds = Double(parts[0]), parts.count == 1 || parts[1] == (path as NSString).lastPathComponent else { return }
        Thread.sleep(forTimeInterval: seconds)
    }
}
