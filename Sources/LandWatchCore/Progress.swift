import Foundation

/// Receives progress of long work (features read so far, out of a total when known). The CLI
/// draws a bar on stderr when it is a terminal; tests and pipes pass nothing.
public protocol ProgressSink: Sendable {
    func update(_ done: Int, of total: Int?)
    func finish()
}

/// Adds up work done on several threads and passes the running total to a sink. Safe to call
/// from any thread; the sink sees totals in the order the additions happen.
public final class ProgressCounter: @unchecked Sendable {
    private let sink: ProgressSink
    private let total: Int?
    private let lock = NSLock()
    private var done = 0

    public init(_ sink: ProgressSink, total: Int?) {
        self.sink = sink
        self.total = total
    }

    public func add(_ count: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += count
        sink.update(done, of: total)
    }
}
