import Foundation
import GDALKit
import HummingbirdBcrypt
import LandWatchCore

/// What an account may do on the ledger's web application.
public enum LedgerRole: String, Sendable, CaseIterable, Codable {
    /// The environment bureau: sees everything, approves or rejects reported fixes, closes and reopens.
    case admin
    /// A town (属地): sees only its zone's entries and reports fixes on them.
    case town
    /// The planning bureau (规自): sees everything and sets each entry's land type.
    case planning
    /// Reads everything, changes nothing.
    case viewer

    /// The role as the district names the party.
    public var chinese: String {
        switch self {
        case .admin: return "生态环境局"
        case .town: return "属地"
        case .planning: return "规自部门"
        case .viewer: return "只读"
        }
    }
}

/// An account of the ledger, without its password.
public struct LedgerAccount: Sendable, Equatable, Codable {
    public let name: String
    public let role: LedgerRole
    /// The zone a town account belongs to; nil for the other roles.
    public let zone: String?

    public init(name: String, role: LedgerRole, zone: String?) {
        self.name = name
        self.role = role
        self.zone = zone
    }

    /// Whether the account sees entries of a zone: a town only its own, every other role all.
    public func sees(zone entryZone: String?) -> Bool { role != .town || (entryZone != nil && entryZone == zone) }

    /// The zone the account's reads are narrowed to (a town's), or nil for all.
    public var visibleZone: String? { role == .town ? zone : nil }

    /// Whether the role may take an action (the zone is checked apart, with `sees`).
    public func may(_ action: LedgerAction) -> Bool { LedgerStateMachine.may(role, action) }
}

/// An account as the ledger keeps it: with its password's bcrypt hash and the day it was made.
public struct LedgerStoredAccount: Sendable, Equatable {
    public var account: LedgerAccount
    public var passwordHash: String
    public var createdOn: Day?
    /// When `users unlock` last lifted the account's sign-in locks (ISO 8601, UTC).
    public var unlockedAt: String?

    public init(account: LedgerAccount, passwordHash: String, createdOn: Day?, unlockedAt: String? = nil) {
        self.account = account
        self.passwordHash = passwordHash
        self.createdOn = createdOn
        self.unlockedAt = unlockedAt
    }
}

/// An account with its credential version: a digest of its role, zone and password hash, so
/// that a new password, role or zone, or the account removed and added again (a new salt),
/// changes it. A session keeps the version it began with and ends when it differs.
public struct LedgerCredential: Sendable, Equatable {
    public let account: LedgerAccount
    public let version: String
    /// When the account's sign-in locks were last lifted (`users unlock`), if ever.
    public let unlockedAt: Date?

    init(_ stored: LedgerStoredAccount) {
        account = stored.account
        var digest = SHA256()
        digest.update(Array([stored.account.role.rawValue, stored.account.zone ?? "", stored.passwordHash, stored.unlockedAt ?? ""]
            .joined(separator: "\u{0}").utf8))
        version = digest.finish()
        unlockedAt = stored.unlockedAt.flatMap { LedgerCredential.timestamp().date(from: $0) }
    }

    /// How an unlock's time is written: ISO 8601 in UTC with milliseconds.
    static func timestamp() -> ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}

/// The changes people make to an entry: the web's, and the command line's close, classify and
/// field verification (a false positive is verified fixed, with reason 误报).
public enum LedgerAction: String, Sendable, CaseIterable {
    case report, approve, reject, classify, close, reopen
    case verifyFixed = "verify-fixed"
    case verifyNotFixed = "verify-not-fixed"
}

/// Accounts kept in the ledger (`users`), on either store; passwords as bcrypt hashes.
public enum LedgerAccounts {
    /// bcrypt's cost (2^10 rounds, about 60 ms here): slow for a guesser, quick enough for a login.
    static let cost: UInt8 = 10
    public static var minimumPasswordLength: Int { LedgerText.minimumPassword }

    /// Adds an account; a town account names a zone of `zones` (the zones layer's names).
    public static func add(_ store: any LedgerStore, _ account: LedgerAccount, password: String, zones: [String]?, on day: Day) throws {
        try validate(account, zones: zones)
        try checkPassword(password)
        let hash = Bcrypt.hash(password, cost: cost)
        try store.write(.entries) {
            guard try store.account(named: account.name) == nil else {
                throw LandWatchError.data("an account \"\(account.name)\" already exists in \(store.label)")
            }
            try store.add(LedgerStoredAccount(account: account, passwordHash: hash, createdOn: day))
        }
    }

    /// Sets an account's password.
    public static func setPassword(_ store: any LedgerStore, name: String, password: String) throws {
        try checkPassword(password)
        let hash = Bcrypt.hash(password, cost: cost)
        try store.write(.entries) {
            guard var stored = try store.account(named: name) else { throw LandWatchError.data("no account \"\(name)\" in \(store.label)") }
            stored.passwordHash = hash
            try store.update(stored)
        }
    }

    /// Lifts an account's sign-in locks on every server of the ledger (they see it within a second
    /// of their next sign-in attempt) and ends its sessions.
    public static func unlock(_ store: any LedgerStore, name: String, at time: Date = Date()) throws {
        try store.write(.entries) {
            guard var stored = try store.account(named: name) else { throw LandWatchError.data("no account \"\(name)\" in \(store.label)") }
            stored.unlockedAt = LedgerCredential.timestamp().string(from: time)
            try store.update(stored)
        }
    }

    /// Removes an account; its events keep its name.
    public static func remove(_ store: any LedgerStore, name: String) throws {
        try store.write(.entries) {
            guard try store.account(named: name) != nil else { throw LandWatchError.data("no account \"\(name)\" in \(store.label)") }
            try store.removeAccount(named: name)
        }
    }

    /// Every account, by name.
    public static func list(_ store: any LedgerStore) throws -> [LedgerAccount] {
        try store.accounts().map(\.account)
    }

    /// The account when the name and password match; nil otherwise, after the same work either
    /// way, so that the time taken does not tell whether the account exists.
    public static func authenticate(_ store: any LedgerStore, name: String, password: String) throws -> LedgerCredential? {
        let stored = try store.account(named: name)
        // A password bcrypt would read only in part (past a NUL, or past 72 bytes) matches
        // nothing, after the same work.
        let whole = LedgerText.problem(password, as: .password) == nil && password.utf8.count <= 72
        let matches = Bcrypt.verify(whole ? password : "", hash: stored?.passwordHash ?? unknownAccountHash)
        return matches && whole ? stored.map(LedgerCredential.init) : nil
    }

    /// A hash of no one's password, checked when the name is unknown.
    private static let unknownAccountHash = Bcrypt.hash(UUID().uuidString, cost: cost)

    /// The account of a name with its credential version, if there is one.
    public static func credential(_ store: any LedgerStore, _ name: String) throws -> LedgerCredential? {
        try store.account(named: name).map(LedgerCredential.init)
    }

    /// The account of a name, if there is one.
    public static func find(_ store: any LedgerStore, _ name: String) throws -> LedgerAccount? {
        try store.account(named: name)?.account
    }

    private static func validate(_ account: LedgerAccount, zones: [String]?) throws {
        let name = account.name
        guard !name.isEmpty, LedgerText.problem(name, as: .accountName) == nil,
              !name.unicodeScalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0) }) else {
            throw LandWatchError.usage("account name \"\(name)\": 1 to \(LedgerText.Field.accountName.limit) characters, no spaces")
        }
        switch (account.role, account.zone) {
        case (.town, nil):
            throw LandWatchError.usage("a town account needs \(Setting.zone) (one of the zones layer's names)")
        case (.town, let zone?):
            if let zones, !zones.contains(zone) {
                throw LandWatchError.usage("no zone \"\(zone)\" in the zones layer: use one of \(zones.sorted().joined(separator: ", "))")
            }
        case (_, _?):
            throw LandWatchError.usage("only a town account has a zone; \(account.role.rawValue) sees every zone")
        default: break
        }
    }

    private static func checkPassword(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw LandWatchError.usage("a password has at least \(minimumPasswordLength) characters")
        }
        guard password.utf8.count <= 72 else {
            throw LandWatchError.usage("a password has at most 72 bytes (bcrypt reads no further)")
        }
        if let problem = LedgerText.problem(password, as: .password) { throw LandWatchError.usage("\(problem)") }
    }
}
