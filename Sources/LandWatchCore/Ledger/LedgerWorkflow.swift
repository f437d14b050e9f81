import Foundation
import GDALKit

/// Why an account's action on an entry was refused; the server turns each case into one status.
public enum LedgerActionError: Error, Equatable, CustomStringConvertible {
    /// No such entry, or one the account may not see (a town asking for another town's).
    case notFound(String)
    /// The role may not take this action.
    case forbidden(String)
    /// The entry's state does not allow it (approving an entry nobody reported, say).
    case conflict(String)
    /// What was sent is wrong (an unknown measure, a date in the future, a photo that is none).
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound(let m), .forbidden(let m), .conflict(let m), .invalid(let m): return m
        }
    }
}

/// A photo sent with a reported fix, checked by its bytes.
public struct LedgerPhoto: Sendable {
    public let bytes: [UInt8]
    public let mime: String
    public static let maximumBytes = 10 * 1024 * 1024
    public static let maximumCount = 5

    /// A JPEG or PNG by its first bytes, at most 10 MB; nil for anything else.
    public init?(bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count <= LedgerPhoto.maximumBytes else { return nil }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            mime = "image/jpeg"
        } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            mime = "image/png"
        } else {
            return nil
        }
        self.bytes = bytes
    }

    var fileExtension: String { mime == "image/png" ? "png" : "jpg" }
}

/// A stored photo's description (its bytes are read apart).
public struct LedgerAttachment: Sendable, Equatable {
    public let number: Int64
    public let patch: String
    public let date: Day?
    public let name: String
    public let mime: String
    public let size: Int
    public let actor: String?
}

/// The actions the web application adds to the ledger: a town reports a fix (申请销账), the
/// bureau approves or rejects it, closes or reopens an entry, the planning bureau classifies it.
/// Each checks the account's rights and the entry's state, then writes the entry and one event
/// (with the account as actor) in one transaction, holding only that entry's row.
public enum LedgerWorkflow {
    /// The measures a fix is reported with (the reasons an entry comes off the ledger).
    public static var measures: [String] { LedgerVerification.closeReasons }

    /// A town reports a fix on an open or suspected entry of its zone.
    public static func report(_ store: any LedgerStore, id: String, by account: LedgerAccount, measure: String, date: Day,
                              note: String?, photos: [LedgerPhoto], today: Day) throws -> LedgerEntry {
        guard measures.contains(measure) else {
            throw LedgerActionError.invalid("unknown measure \"\(measure)\": use one of \(measures.joined(separator: ", "))")
        }
        guard photos.count <= LedgerPhoto.maximumCount else {
            throw LedgerActionError.invalid("at most \(LedgerPhoto.maximumCount) photos")
        }
        return try act(store, id: id, by: account, .report, date: date, today: today, allowed: [.open, .suspected]) { e in
            e.state = .reported
            for (k, photo) in photos.enumerated() {
                var digest = SHA256()
                digest.update(photo.bytes)
                try store.run("""
                    INSERT INTO attachments (patch, date, name, mime, size, sha256, actor, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """, [.string(id), .string(date.description), .string("\(id)-\(date.description)-\(k + 1).\(photo.fileExtension)"),
                          .string(photo.mime), .integer(Int64(photo.bytes.count)), .string(digest.finish()),
                          .string(account.name), .string(Data(photo.bytes).base64EncodedString())])
            }
            return event(e, .reported, date: date, by: account, reason: measure, note: note)
        }
    }

    /// The bureau accepts a reported fix: closed, with the reported measure as the reason.
    public static func approve(_ store: any LedgerStore, id: String, by account: LedgerAccount, date: Day, note: String?,
                               today: Day) throws -> LedgerEntry {
        try act(store, id: id, by: account, .approve, date: date, today: today, allowed: [.reported]) { e in
            let measure = try store.events(of: id).last { $0.kind == .reported }?.reason ?? "other"
            e.state = .closed
            e.closedOn = date
            e.closeReason = measure
            return event(e, .approved, date: date, by: account, reason: measure, note: note)
        }
    }

    /// The bureau refuses a reported fix, saying why: the entry goes back to open.
    public static func reject(_ store: any LedgerStore, id: String, by account: LedgerAccount, date: Day, note: String,
                              today: Day) throws -> LedgerEntry {
        guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw LedgerActionError.invalid("a rejection says why (note)")
        }
        return try act(store, id: id, by: account, .reject, date: date, today: today, allowed: [.reported]) { e in
            e.state = .open
            return event(e, .rejected, date: date, by: account, reason: nil, note: note)
        }
    }

    /// The planning bureau sets an entry's land type (class), in any state: the command line's
    /// `ledger classify` for one entry (`LedgerClassification.apply`).
    public static func classify(_ store: any LedgerStore, id: String, by account: LedgerAccount, className: String, note: String?,
                                date: Day, today: Day) throws -> LedgerEntry {
        guard account.may(.classify) else { throw forbidden(account, .classify) }
        let line = LedgerClassification.Line(line: nil, id: id, className: className.trimmingCharacters(in: .whitespacesAndNewlines),
                                             note: note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 })
        do {
            return try LedgerClassification.apply(store, [line], date: date, actor: account.name, today: today,
                                                  sees: { account.sees(zone: $0.zone) })[0]
        } catch let refusal as LedgerClassification.Refusal {
            switch refusal.problems.first?.reason {
            case .unknownEntry?: throw LedgerActionError.notFound("no ledger entry \"\(id)\"")
            case .badClass?: throw LedgerActionError.invalid("a class is 1 to \(LedgerClassification.maximumClassLength) characters")
            case .date(let problem)?: throw LedgerActionError.invalid(problem)
            case .repeated?, nil: throw LedgerActionError.invalid(refusal.description)
            }
        }
    }

    /// The bureau takes an entry off the ledger by hand, with a reason.
    public static func close(_ store: any LedgerStore, id: String, by account: LedgerAccount, reason: String, date: Day,
                             note: String?, today: Day) throws -> LedgerEntry {
        guard measures.contains(reason) else {
            throw LedgerActionError.invalid("unknown reason \"\(reason)\": use one of \(measures.joined(separator: ", "))")
        }
        return try act(store, id: id, by: account, .close, date: date, today: today, allowed: [.open, .suspected, .reported]) { e in
            e.state = .closed
            e.closedOn = date
            e.closeReason = reason
            return event(e, .closed, date: date, by: account, reason: reason, note: note)
        }
    }

    /// The bureau puts a closed entry back on the ledger, with a new deadline.
    public static func reopen(_ store: any LedgerStore, id: String, by account: LedgerAccount, date: Day, note: String?,
                              deadlineDays: Int = IngestOptions.Spec.deadlineDays.defaultValue, today: Day) throws -> LedgerEntry {
        try act(store, id: id, by: account, .reopen, date: date, today: today, allowed: [.closed]) { e in
            e.state = .open
            e.closedOn = nil
            e.closeReason = nil
            e.misses = 0
            e.dueOn = date.adding(days: deadlineDays)
            return event(e, .reopened, date: date, by: account, reason: nil, note: note)
        }
    }

    /// The stored photos of an entry, oldest first.
    public static func attachments(_ store: any LedgerStore, of id: String) throws -> [LedgerAttachment] {
        try store.rows("SELECT fid, patch, date, name, mime, size, actor FROM attachments WHERE patch = $1 ORDER BY fid", [.string(id)])
            .map(attachment)
    }

    /// One photo's description and bytes, if it belongs to an entry the account sees.
    public static func photo(_ store: any LedgerStore, number: Int64, for account: LedgerAccount) throws -> (LedgerAttachment, [UInt8])? {
        guard let f = try store.rows("""
                SELECT a.fid AS fid, a.patch AS patch, a.date AS date, a.name AS name, a.mime AS mime, a.size AS size, a.actor AS actor,
                  a.data AS data, p.zone AS zone
                FROM attachments a JOIN patches p ON p.id = a.patch WHERE a.fid = $1
                """, [.integer(number)]).first,
              account.sees(zone: f["zone"].flatMap { $0.isNull ? nil : $0.description }),
              let bytes = f["data"].flatMap({ Data(base64Encoded: $0.description) }) else { return nil }
        return (attachment(f), [UInt8](bytes))
    }

    /// An `attachments` row as a value (its `fid` is its number).
    private static func attachment(_ f: Feature) -> LedgerAttachment {
        func text(_ k: String) -> String? { f[k].flatMap { $0.isNull ? nil : $0.description } }
        return LedgerAttachment(number: f["fid"]?.number.map { Int64($0) } ?? f.fid, patch: text("patch") ?? "",
                                date: text("date").flatMap(Day.init), name: text("name") ?? "",
                                mime: text("mime") ?? "application/octet-stream", size: Int(f["size"]?.number ?? 0), actor: text("actor"))
    }

    // MARK: The one path every action takes

    /// Rights, then the entry held for update, then its state, then the change and its event.
    private static func act(_ store: any LedgerStore, id: String, by account: LedgerAccount, _ action: LedgerAction, date: Day,
                            today: Day, allowed: Set<LedgerState>,
                            _ change: (inout LedgerEntry) throws -> LedgerEvent) throws -> LedgerEntry {
        try store.write(.entries) {
            guard var entry = try store.entries(ids: [id], zone: nil, forUpdate: true).first, account.sees(zone: entry.zone) else {
                throw LedgerActionError.notFound("no ledger entry \"\(id)\"")
            }
            guard account.may(action) else { throw forbidden(account, action) }
            guard allowed.contains(entry.state) else {
                throw LedgerActionError.conflict("\(id) is \(entry.state.rawValue): it cannot be \(action.pastTense) now")
            }
            if let problem = LedgerDates.problem(date, entry: entry, last: try store.lastEvents(of: [id])[id], today: today) {
                throw LedgerActionError.invalid(problem)
            }
            let ev = try change(&entry)
            var write = LedgerChange()
            write.updated = [entry]
            write.events = [ev]
            try store.apply(write)
            return entry
        }
    }

    private static func forbidden(_ account: LedgerAccount, _ action: LedgerAction) -> LedgerActionError {
        .forbidden("a \(account.role.rawValue) account may not \(action.rawValue) an entry")
    }

    private static func event(_ e: LedgerEntry, _ kind: LedgerEventKind, date: Day, by account: LedgerAccount, reason: String?,
                              note: String?) -> LedgerEvent {
        LedgerEvent(patch: e.id, zone: e.zone, date: date, kind: kind, batch: nil, reason: reason,
                    note: note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 },
                    stateAfter: e.state, dueAfter: e.dueOn, actor: account.name)
    }
}

extension LedgerAction {
    var pastTense: String {
        switch self {
        case .report: return "reported"
        case .approve: return "approved"
        case .reject: return "rejected"
        case .classify: return "classified"
        case .close: return "closed"
        case .reopen: return "reopened"
        }
    }
}
