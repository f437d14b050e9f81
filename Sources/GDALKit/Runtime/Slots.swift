import Foundation

/// Results filled in by concurrent workers, one slot each, and a counter handing out the slots
/// not yet claimed (for work shared out as workers come free).
///
/// A reference shared by the workers; thread-safe (one lock).
public final class Slots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T?]
    private var claimed = 0

    public init(_ count: Int) { items = Array(repeating: nil, count: count) }

    /// The next slot no worker has claimed yet, if any.
    public func claim() -> Int? {
        lock.withLock {
            guard claimed < items.count else { return nil }
            claimed += 1
            return claimed - 1
        }
    }

    public subscript(i: Int) -> T? {
        get { lock.withLock { items[i] } }
        set { lock.withLock { items[i] = newValue } }
    }

    /// Every slot, in order (nil where nothing was put).
    public var values: [T?] { lock.withLock { items } }
}
