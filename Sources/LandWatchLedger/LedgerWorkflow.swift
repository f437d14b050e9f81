import Foundation
import GDALKit
import LandWatchCore

/// Why an account's action on an entry was refused; the server turns each case into one status.
public enum LedgerActionError: Error, Equatable, CustomStringConvertible {
    /// No such entry, or one the account may not see (a town asking for another town's).
    case notFound(Bilingual)
    /// The role may not take this action.
    case forbidden(Bilingual)
    /// The entry's state does not allow it (approving an entry nobody reported, say).
    case conflict(Bilingual)
    /// What was sent is wrong (an unknown measure, a date in the future, a photo that is none).
    case invalid(Bilingual)

    /// The message in both languages.
    public var message: Bilingual {
        switch self {
        case .notFound(let m), .forbidden(let m), .conflict(let m), .invalid(let m): return m
        }
    }

    public var description: String { message.en }

    static func noEntry(_ id: String) -> LedgerActionError {
        .notFound(Bilingual(en: "no ledger entry \"\(id)\"", zh: "台账中没有“\(id)”"))
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
    /// The store's number for it (0 until stored).
    public let number: Int64
    public let patch: String
    public let date: Day?
    public let name: String
    public let mime: String
    public let size: Int
    public let actor: String?
}

/// A stored photo with its digest and bytes.
public struct LedgerStoredPhoto: Sendable, Equatable {
    public let attachment: LedgerAttachment
    /// SHA-256 of the bytes, hex.
    public let sha256: String
    public let bytes: [UInt8]

    public init(attachment: LedgerAttachment, sha256: String, bytes: [UInt8]) {
        self.attachment = attachment
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// What an account asks of an entry: a town reports a fix (申请销账) with its measure, note and
/// photos; the bureau approves or rejects it (saying why), closes or reopens an entry; the
/// planning bureau classifies it. The web's pages and API decode their requests into this.
public enum LedgerRequest: Sendable {
    case report(measure: String, note: String?, photos: [LedgerPhoto])
    case approve(note: String?)
    case reject(note: String)
    case classify(className: String, note: String?)
    case close(reason: String, note: String?)
    case reopen(note: String?)

    /// The action it is, for rights and the state machine.
    public var action: LedgerAction {
        switch self {
        case .report: return .report
        case .approve: return .approve
        case .reject: return .reject
        case .classify: return .classify
        case .close: return .close
        case .reopen: return .reopen
        }
    }

    /// The texts it carries, each as the kind of text it is (for `LedgerText`'s limits).
    var texts: [(String?, LedgerText.Field)] {
        switch self {
        case .report(let measure, let note, _): return [(measure, .measure), (note, .note)]
        case .approve(let note), .reopen(let note): return [(note, .note)]
        case .reject(let note): return [(note, .note)]
        case .classify(let className, let note): return [(className, .className), (note, .note)]
        case .close(let reason, let note): return [(reason, .reason), (note, .note)]
        }
    }
}

/// The web application's changes to the ledger, all through `perform`: the account's rights on
/// the entry's own zone, the entry held for update, the state machine, then the entry and one
/// event (with the account as actor), and a report's photos, in one transaction holding only
/// that entry's row.
public enum LedgerWorkflow {
    /// The measures a fix is reported with (the reasons an entry comes off the ledger).
    public static var measures: [String] { LedgerVerification.closeReasons }

    /// Days a reopened entry has until its new deadline: an ingest's default deadline.
    public static let reopenDeadlineDays = IngestOptions.Spec.deadlineDays.defaultValue

    /// Carries out a request on entry `id` as `account`, dated `date` (not after `today`);
    /// returns the entry as it stands afterwards. A report carries at least one photo when
    /// `photosRequired` (the bureau's setting), checked once the account's rights are.
    @discardableResult
    public static func perform(_ store: any LedgerStore, id: String, _ request: LedgerRequest, by account: LedgerAccount,
                               date: Day, today: Day, photosRequired: Bool) throws -> LedgerEntry {
        try check(request)
        if case .classify(let className, let note) = request {
            return try classify(store, id: id, by: account, className: className, note: note, date: date, today: today)
        }
        return try store.write(.entries) {
            var entry = try held(store, id: id, for: account, request.action)
            if case .report(_, _, let photos) = request, photos.isEmpty, photosRequired {
                throw LedgerActionError.invalid(Bilingual(en: "a reported fix needs at least one photo of the site: nothing was changed",
                                                          zh: "申请销账须附至少一张现场照片：未作任何更改"))
            }
            if let problem = LedgerDates.problem(date, entry: entry, last: try store.lastEvents(of: [id])[id], today: today) {
                throw LedgerActionError.invalid(problem)
            }
            var change = LedgerChange()
            change.events = [try event(of: request, on: &entry, date: date, by: account, store: store)]
            change.updated = [entry]
            if case .report(_, _, let photos) = request {
                change.photos = stored(photos, of: id, date: date, numberedAfter: try store.photos(of: id).count, by: account)
            }
            try store.apply(change)
            return entry
        }
    }

    /// What a request must hold whatever the entry: texts within `LedgerText`'s limits, a known
    /// measure or reason, at most five photos, a reason for a rejection.
    private static func check(_ request: LedgerRequest) throws {
        for (text, field) in request.texts {
            if let text, let problem = LedgerText.problem(text, as: field) {
                throw LedgerActionError.invalid(problem.adding(en: ": nothing was changed", zh: "：未作任何更改"))
            }
        }
        switch request {
        case .report(let measure, _, let photos):
            guard measures.contains(measure) else {
                throw LedgerActionError.invalid(Bilingual(en: "unknown measure \"\(measure)\": use one of \(measures.joined(separator: ", "))",
                                                          zh: "未知的整改措施“\(measure)”：请选 \(measures.joined(separator: "、"))"))
            }
            guard photos.count <= LedgerPhoto.maximumCount else {
                throw LedgerActionError.invalid(Bilingual(en: "at most \(LedgerPhoto.maximumCount) photos", zh: "最多 \(LedgerPhoto.maximumCount) 张照片"))
            }
        case .close(let reason, _):
            guard measures.contains(reason) else {
                throw LedgerActionError.invalid(Bilingual(en: "unknown reason \"\(reason)\": use one of \(measures.joined(separator: ", "))",
                                                          zh: "未知的销账原因“\(reason)”：请选 \(measures.joined(separator: "、"))"))
            }
        case .reject(let note):
            guard trimmed(note) != nil else {
                throw LedgerActionError.invalid(Bilingual(en: "a rejection says why (note)", zh: "退回须在备注中说明原因"))
            }
        case .approve, .reopen, .classify:
            break
        }
    }

    /// The entry held for update, when the account sees it (by its zone), its role may take the
    /// action and its state allows it.
    private static func held(_ store: any LedgerStore, id: String, for account: LedgerAccount, _ action: LedgerAction) throws -> LedgerEntry {
        guard let entry = try store.entries(ids: [id], zone: nil, forUpdate: true).first, account.sees(zone: entry.zone) else {
            throw LedgerActionError.noEntry(id)
        }
        guard account.may(action) else { throw forbidden(account, action) }
        guard LedgerStateMachine.event(for: action, from: entry.state) != nil else {
            throw LedgerActionError.conflict(Bilingual(en: "\(id) is \(entry.state.rawValue): it cannot be \(action.pastTense) now",
                                                       zh: "\(id) 当前为\(entry.state.chinese)，不能\(action.chinese)"))
        }
        return entry
    }

    /// The request's event, applied to the entry.
    private static func event(of request: LedgerRequest, on entry: inout LedgerEntry, date: Day, by account: LedgerAccount,
                              store: any LedgerStore) throws -> LedgerEvent {
        let kind = LedgerStateMachine.event(for: request.action, from: entry.state)!
        var reason: String?, note: String?, due: Day?
        switch request {
        case .report(let measure, let n, _): (reason, note) = (measure, n)
        case .approve(let n):
            // Closed with the measure the town reported.
            reason = try store.events(of: entry.id).last { $0.kind == .reported }?.reason ?? "other"
            note = n
        case .reject(let n): note = n
        case .close(let r, let n): (reason, note) = (r, n)
        case .reopen(let n): (note, due) = (n, date.adding(days: reopenDeadlineDays))
        case .classify: preconditionFailure("classified through LedgerClassification")
        }
        return LedgerStateMachine.record(kind, on: &entry, date: date, reason: reason, note: trimmed(note), due: due, actor: account.name)
    }

    /// The photos of a report, named `ID-DATE-N` with N counted on from the entry's earlier photos.
    private static func stored(_ photos: [LedgerPhoto], of id: String, date: Day, numberedAfter earlier: Int,
                               by account: LedgerAccount) -> [LedgerStoredPhoto] {
        photos.enumerated().map { k, photo in
            var digest = SHA256()
            digest.update(photo.bytes)
            let name = "\(id)-\(date.description)-\(earlier + k + 1).\(photo.fileExtension)"
            return LedgerStoredPhoto(attachment: LedgerAttachment(number: 0, patch: id, date: date, name: name, mime: photo.mime,
                                                                  size: photo.bytes.count, actor: account.name),
                                     sha256: digest.finish(), bytes: photo.bytes)
        }
    }

    /// The planning bureau sets an entry's land type (class), in any state: the command line's
    /// `ledger classify` for one entry (`LedgerClassification.apply`).
    private static func classify(_ store: any LedgerStore, id: String, by account: LedgerAccount, className: String, note: String?,
                                 date: Day, today: Day) throws -> LedgerEntry {
        guard account.may(.classify) else { throw forbidden(account, .classify) }
        let line = LedgerClassification.Line(line: nil, id: id, className: className.trimmingCharacters(in: .whitespacesAndNewlines),
                                             note: trimmed(note))
        do {
            return try LedgerClassification.apply(store, [line], date: date, actor: account.name, today: today,
                                                  sees: { account.sees(zone: $0.zone) })[0]
        } catch let refusal as LedgerClassification.Refusal {
            switch refusal.problems.first?.reason {
            case .unknownEntry?: throw LedgerActionError.noEntry(id)
            case .badClass?:
                throw LedgerActionError.invalid(Bilingual(en: "a class is 1 to \(LedgerClassification.maximumClassLength) characters",
                                                          zh: "类型为 1 至 \(LedgerClassification.maximumClassLength) 个字符"))
            case .date(let problem)?, .text(let problem)?: throw LedgerActionError.invalid(problem)
            case .repeated?, nil: throw LedgerActionError.invalid("\(refusal.description)")
            }
        }
    }

    /// One photo's description and bytes, if it belongs to an entry the account sees (decided
    /// on the entry's zone, as every right is).
    public static func photo(_ store: any LedgerStore, number: Int64, for account: LedgerAccount) throws -> (LedgerAttachment, [UInt8])? {
        guard let photo = try store.photo(number: number),
              let entry = try store.entries(ids: [photo.attachment.patch], zone: nil, forUpdate: false).first,
              account.sees(zone: entry.zone) else { return nil }
        return (photo.attachment, photo.bytes)
    }

    private static func forbidden(_ account: LedgerAccount, _ action: LedgerAction) -> LedgerActionError {
        .forbidden(Bilingual(en: "a \(account.role.rawValue) account may not \(action.rawValue) an entry",
                             zh: "\(account.role.chinese)账号不能\(action.chinese)"))
    }

    /// A note as kept: nil when it is empty or only white space.
    static func trimmed(_ note: String?) -> String? {
        note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
    }
}

extension LedgerAction {
    /// The action as the bureau's pages name it.
    public var chinese: String {
        switch self {
        case .report: return "申请销账"
        case .approve: return "审核通过"
        case .reject: return "退回"
        case .classify: return "认定类型"
        case .close: return "销账"
        case .reopen: return "重新挂账"
        case .verifyFixed: return "核查销账"
        case .verifyNotFixed: return "核查未整改"
        }
    }

    var pastTense: String {
        switch self {
        case .report: return "reported"
        case .approve: return "approved"
        case .reject: return "rejected"
        case .classify: return "classified"
        case .close, .verifyFixed: return "closed"
        case .reopen: return "reopened"
        case .verifyNotFixed: return "verified"
        }
    }
}
