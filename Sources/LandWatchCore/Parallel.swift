import Foundation
import GDALKit

/// Splits work across the machine's cores. Results come back in the order of the chunks, so
/// outputs do not depend on scheduling.
public enum Parallel {
    /// The number of workers: one per active core.
    public static var workers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Calls `body` on consecutive chunks of `0..<count`, concurrently; returns the results in
    /// chunk order. The first error thrown is rethrown.
    public static func map<R: Sendable>(count: Int, chunks: Int = workers,
                                        _ body: @Sendable (Range<Int>) throws -> R) throws -> [R] {
        guard count > 0 else { return [] }
        let n = min(max(1, chunks), count)
        let results = Slots<Result<R, Error>>(n)
        DispatchQueue.concurrentPerform(iterations: n) { i in
            let range = (count * i / n)..<(count * (i + 1) / n)
            results[i] = Result { try body(range) }
        }
        return try results.values.map { try $0!.get() }
    }
}

extension Parallel {
    /// Every element of `parts`, in order, transformed on every core straight into the result's
    /// storage (a million table rows without copying them into place afterwards).
    public static func joinedMap<S: Sendable, T>(_ parts: [[S]], _ transform: @Sendable (S) -> T) -> [T] {
        let starts = parts.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        return [T](unsafeUninitializedCapacity: starts.last!) { buffer, count in
            let base = Handover(buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: parts.count) { c in
                for (k, element) in parts[c].enumerated() {
                    (base.value! + starts[c] + k).initialize(to: transform(element))
                }
            }
            count = starts.last!
        }
    }
}

/// Runs one piece of work at a time in the background while the caller prepares the next
/// (reading the next batch of features while the last one is processed); results come back in
/// submission order.
public final class Overlapped<R: Sendable>: @unchecked Sendable {
    private var group: DispatchGroup?
    private var result: Result<R, Error>?

    public init() {}

    /// Starts `work` in the background; returns the previous work's result, waiting for it.
    public func submit(_ work: @escaping @Sendable () throws -> R) throws -> R? {
        let previous = try wait()
        let g = DispatchGroup()
        group = g
        DispatchQueue.global().async(group: g) { self.result = Result { try work() } }
        return previous
    }

    /// Waits for the work in flight, if any, and returns its result.
    public func wait() throws -> R? {
        guard let g = group else { return nil }
        g.wait()
        group = nil
        defer { result = nil }
        return try result?.get()
    }
}

extension Parallel {
    /// Runs `background` on another thread while `foreground` runs on this one; returns both.
    /// For two independent reads (two GDAL datasets may be read on two threads at once).
    public static func both<A, B: Sendable>(_ foreground: () throws -> A, _ background: @escaping @Sendable () throws -> B) throws -> (A, B) {
        let result = Slots<Result<B, Error>>(1)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { result[0] = Result { try background() } }
        let a = Result { try foreground() }
        group.wait()
        return (try a.get(), try result[0]!.get())
    }
}

extension Parallel {
    /// Hands `value` to a thread of its own, at the lowest priority, to be released there while
    /// this thread goes on (tearing down 200,000 parcels and their GEOS geometries takes 0.2 s,
    /// longer than writing the table they gave): the teardown takes only the cycles the work
    /// after it leaves. Call it with `consume` on the last reference, so that the other thread
    /// releases it; if this thread still held one, it would only do the teardown itself, as
    /// without the call. Nothing waits for it: at exit the process ends with the teardown
    /// unfinished, as it would end with the memory unfreed. One thread per call: one shared
    /// thread taking the teardowns in turn measured slower on the dense bench set (1.78 s
    /// against 1.61 s).
    public static func releaseInBackground<T: Sendable>(_ value: consuming T) {
        let parting = value
        Thread {
            // On Linux the nice value belongs to the thread: this one alone yields.
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            withExtendedLifetime(parting) {}
        }.start()
    }
}
