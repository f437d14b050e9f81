import Foundation
import LandWatchCore
import LandWatchLedger

/// A signed-in browser or script: the account's name (its role and zone are read again on every
/// request) and the token every state-changing request must carry.
struct Session: Sendable {
    let token: String
    let csrf: String
    let name: String
    let created: Date
    var lastSeen: Date
}

/// Sessions kept in the server's memory: a restart signs everyone out. Tokens are 32 random bytes.
actor SessionStore {
    private var sessions: [String: Session] = [:]
    private let idle: TimeInterval
    private let lifetime: TimeInterval

    init(idle: TimeInterval, lifetime: TimeInterval) {
        self.idle = idle
        self.lifetime = lifetime
    }

    func create(for name: String, now: Date = Date()) -> Session {
        sweep(now)
        let s = Session(token: SessionStore.randomToken(), csrf: SessionStore.randomToken(), name: name, created: now, lastSeen: now)
        sessions[s.token] = s
        return s
    }

    /// The live session of a token, its idle clock restarted; nil when unknown or expired.
    func find(_ token: String, now: Date = Date()) -> Session? {
        guard var s = sessions[token] else { return nil }
        guard now.timeIntervalSince(s.lastSeen) < idle, now.timeIntervalSince(s.created) < lifetime else {
            sessions[token] = nil
            return nil
        }
        s.lastSeen = now
        sessions[token] = s
        return s
    }

    func end(_ token: String) { sessions[token] = nil }

    private func sweep(_ now: Date) {
        sessions = sessions.filter { now.timeIntervalSince($0.value.lastSeen) < idle && now.timeIntervalSince($0.value.created) < lifetime }
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// Failed logins counted per account name (whether it exists or not) and per address: the tenth
/// failure within a quarter of an hour locks that name, or that address, for 15 minutes.
actor LoginThrottle {
    static let limit = 10
    static let lockout: TimeInterval = 15 * 60
    private var failures: [String: [Date]] = [:]
    private var lockedUntil: [String: Date] = [:]

    /// Whether a login for this name from this address may be tried now.
    func allows(name: String, address: String, now: Date = Date()) -> Bool {
        [LoginThrottle.key(name: name), LoginThrottle.key(address: address)].allSatisfy { (lockedUntil[$0] ?? .distantPast) <= now }
    }

    func failed(name: String, address: String, now: Date = Date()) {
        for key in [LoginThrottle.key(name: name), LoginThrottle.key(address: address)] {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < LoginThrottle.lockout } + [now]
            if recent.count >= LoginThrottle.limit {
                lockedUntil[key] = now.addingTimeInterval(LoginThrottle.lockout)
                failures[key] = nil
            } else {
                failures[key] = recent
            }
        }
    }

    func succeeded(name: String) { failures[LoginThrottle.key(name: name)] = nil }

    private static func key(name: String) -> String { "name:" + name }
    private static func key(address: String) -> String { "address:" + address }
}

/// Accounts as last read from the ledger, kept for a second so that a burst of requests does not
/// read the same row again and again.
actor AccountCache {
    static let seconds: TimeInterval = 1
    private var known: [String: (LedgerAccount, Date)] = [:]

    func find(_ name: String, now: Date = Date()) -> LedgerAccount? {
        guard let (account, read) = known[name], now.timeIntervalSince(read) < AccountCache.seconds else { return nil }
        return account
    }

    func remember(_ account: LedgerAccount, now: Date = Date()) { known[account.name] = (account, now) }
}
