import Foundation
import LandWatchCore
import LandWatchLedger

/// A signed-in browser or script: the account's name (its role and zone are read again on every
/// request) and the token every state-changing request must carry.
struct Session: Sendable {
    let token: String
    let csrf: String
    let name: String
    /// The account's credential version when the session began: a new password, role or zone,
    /// or the account removed and made again, ends the session.
    let credential: String
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

    func create(for name: String, credential: String, now: Date = Date()) -> Session {
        sweep(now)
        let s = Session(token: SessionStore.randomToken(), csrf: SessionStore.randomToken(), name: name, credential: credential,
                        created: now, lastSeen: now)
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

/// Failed sign-ins, counted so that nobody can lock anybody else out: ten failures for one
/// account name from one client address within a quarter of an hour lock that pair for 15
/// minutes (the account still signs in from elsewhere); a hundred failures for one name from any
/// addresses within an hour (password spraying) lock the name for 15 minutes. Names are counted
/// whether or not the account exists, so the answer does not tell them apart.
actor LoginThrottle {
    struct Rule {
        let limit: Int
        let window: TimeInterval
    }
    static let perPair = Rule(limit: 10, window: 15 * 60)
    static let perName = Rule(limit: 100, window: 3600)
    static let lockout: TimeInterval = 15 * 60
    private var failures: [String: [Date]] = [:]
    private var lockedUntil: [String: Date] = [:]

    /// Whether a sign-in for this name from this address may be tried now.
    func allows(name: String, address: String, now: Date = Date()) -> Bool {
        [LoginThrottle.key(name: name, address: address), LoginThrottle.key(name: name)].allSatisfy { (lockedUntil[$0] ?? .distantPast) <= now }
    }

    func failed(name: String, address: String, now: Date = Date()) {
        for (key, rule) in [(LoginThrottle.key(name: name, address: address), LoginThrottle.perPair), (LoginThrottle.key(name: name), LoginThrottle.perName)] {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < rule.window } + [now]
            if recent.count >= rule.limit {
                lockedUntil[key] = now.addingTimeInterval(LoginThrottle.lockout)
                failures[key] = nil
            } else {
                failures[key] = recent
            }
        }
    }

    /// Lifts every lock and forgets every failure of a name that began before `time` (an
    /// unlock recorded in the ledger by `users unlock`).
    func unlock(name: String, before time: Date) {
        for key in Array(lockedUntil.keys) where LoginThrottle.isOf(key, name: name)
            && lockedUntil[key]!.addingTimeInterval(-LoginThrottle.lockout) <= time {
            lockedUntil[key] = nil
            failures[key] = nil
        }
        for key in Array(failures.keys) where LoginThrottle.isOf(key, name: name) {
            failures[key] = failures[key]!.filter { $0 > time }
        }
    }

    private static func isOf(_ key: String, name: String) -> Bool {
        key == LoginThrottle.key(name: name) || (key.hasPrefix("pair:") && key.hasSuffix("\u{0}" + name))
    }

    /// A sign-in went through: that pair's failures are forgotten (the name's stay counted).
    func succeeded(name: String, address: String) { failures[LoginThrottle.key(name: name, address: address)] = nil }

    private static func key(name: String, address: String) -> String { "pair:" + address + "\u{0}" + name }
    private static func key(name: String) -> String { "name:" + name }
}

/// Accounts as last read from the ledger, kept for a second so that a burst of requests does not
/// read the same row again and again.
actor AccountCache {
    static let seconds: TimeInterval = 1
    private var known: [String: (LedgerCredential, Date)] = [:]

    func find(_ name: String, now: Date = Date()) -> LedgerCredential? {
        guard let (credential, read) = known[name], now.timeIntervalSince(read) < AccountCache.seconds else { return nil }
        return credential
    }

    func remember(_ credential: LedgerCredential, now: Date = Date()) { known[credential.account.name] = (credential, now) }
}
