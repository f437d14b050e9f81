import Dispatch
import LandWatchCore
import LandWatchLedger

/// The ledger's stores (connections or open files) shared by the requests: each is used by one
/// request at a time, on a thread of its own, never on the server's event loops. A store that
/// fails with a connection error is dropped and a new one is opened for the next request, so the
/// server outlives a database restart. On a GeoPackage, writes go one at a time (SQLite has one
/// writer); on PostGIS, row locks let them run together.
actor LedgerPool {
    private let location: LedgerLocation
    private let limit: Int
    private var idle: [StoreBox] = []
    private var open = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var writing = false
    private var writers: [CheckedContinuation<Void, Never>] = []

    init(_ location: LedgerLocation, connections: Int) {
        self.location = location
        limit = max(1, connections)
    }

    /// Runs a read on a store of the pool.
    func read<T: Sendable>(_ body: @escaping @Sendable (any LedgerStore) throws -> T) async throws -> T {
        try await use(body)
    }

    /// Runs a write on a store of the pool (one at a time on a GeoPackage).
    func write<T: Sendable>(_ body: @escaping @Sendable (any LedgerStore) throws -> T) async throws -> T {
        guard case .geoPackage = location else { return try await use(body) }
        while writing { await withCheckedContinuation { writers.append($0) } }
        writing = true
        defer {
            writing = false
            if !writers.isEmpty { writers.removeFirst().resume() }
        }
        return try await use(body)
    }

    private func use<T: Sendable>(_ body: @escaping @Sendable (any LedgerStore) throws -> T) async throws -> T {
        let box = try await checkout()
        do {
            let result = try await LedgerPool.offload { try body(box.store) }
            checkin(box)
            return result
        } catch {
            // A lost connection is not given back: the next request opens a new one.
            if case LandWatchError.io = error { discard() } else { checkin(box) }
            throw error
        }
    }

    private func checkout() async throws -> StoreBox {
        while idle.isEmpty && open >= limit { await withCheckedContinuation { waiting.append($0) } }
        if let box = idle.popLast() { return box }
        open += 1
        do {
            let location = self.location
            return try await LedgerPool.offload { StoreBox(try location.open()) }
        } catch {
            discard()
            throw error
        }
    }

    private func checkin(_ box: StoreBox) {
        idle.append(box)
        if !waiting.isEmpty { waiting.removeFirst().resume() }
    }

    private func discard() {
        open -= 1
        if !waiting.isEmpty { waiting.removeFirst().resume() }
    }

    /// Runs blocking work (libpq, GDAL) on a global queue and waits for it.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// A store handed between requests; the pool guarantees one user at a time.
final class StoreBox: @unchecked Sendable {
    let store: any LedgerStore
    init(_ store: any LedgerStore) { self.store = store }
}
