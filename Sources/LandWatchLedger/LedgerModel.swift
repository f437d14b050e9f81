import GDALKit
import LandWatchCore

/// Where an entry stands: 在账 (open), 疑似销账 (suspected: missing from the latest detection),
/// 申请销账 (reported: the town reported a fix, awaiting the bureau's verification), 已销账 (closed).
public enum LedgerState: String, Sendable, CaseIterable {
    case open, suspected, reported, closed

    /// Open, suspected or reported: still carried by the town until the bureau takes it off.
    public var isCarried: Bool { self != .closed }

    /// The state as the bureau's ledgers name it.
    public var chinese: String {
        switch self {
        case .open: return "在账"
        case .suspected: return "疑似销账"
        case .reported: return "申请销账"
        case .closed: return "已销账"
        }
    }

    /// A table cell: the English term in JSON, the Chinese name in Chinese tables.
    public var cell: Cell { .term(rawValue, zh: chinese) }
}

/// What happened to an entry.
public enum LedgerEventKind: String, Sendable, CaseIterable {
    case opened, redetected, missed, closed, relapsed
    /// A field check found the patch not fixed: it goes back to open.
    case verifiedNotFixed = "verified-not-fixed"
    /// A town reported a fix (measure in `reason`): the entry awaits verification.
    case reported
    /// The bureau accepted a reported fix: closed with the reported measure.
    case approved
    /// The bureau refused a reported fix (why in `note`): back to open.
    case rejected
    /// The planning bureau set the land type (new class in `reason`, the old one in `previous`).
    case classified
    /// The bureau put a closed entry back on the ledger by hand.
    case reopened

    /// The event as the bureau's ledgers name it.
    public var chinese: String {
        switch self {
        case .opened: return "挂账"
        case .redetected: return "复查仍在"
        case .missed: return "未检出"
        case .closed: return "销账"
        case .relapsed: return "反弹"
        case .verifiedNotFixed: return "核查未整改"
        case .reported: return "申请销账"
        case .approved: return "审核通过"
        case .rejected: return "审核退回"
        case .classified: return "类型认定"
        case .reopened: return "重新挂账"
        }
    }

    /// A table cell: the English term in JSON, the Chinese name in Chinese tables.
    public var cell: Cell { .term(rawValue, zh: chinese) }
}

/// One ledger entry (a bare-land patch followed from 挂账 to 销账), geometry in lon/lat.
public struct LedgerEntry: Sendable {
    /// Feature id in the store (nil until written).
    public var fid: Int64?
    public var id: String
    public var zone: String?
    public var className: String?
    public var area: Double
    public var state: LedgerState
    public var openedOn: Day
    public var dueOn: Day?
    public var closedOn: Day?
    public var closeReason: String?
    public var firstSeen: Day
    public var lastSeen: Day
    public var timesSeen: Int
    public var misses: Int
    public var relapses: Int
    public var geometry: Geometry
}

/// One event of the append-only history; `stateAfter` and `dueAfter` record where the entry
/// stands once the event applies, so that "as of a date" is one look-up.
public struct LedgerEvent: Sendable {
    public var patch: String
    /// The entry's zone, kept with each event so that reports count by zone without a join.
    public var zone: String?
    public var date: Day
    public var kind: LedgerEventKind
    public var batch: Int?
    public var reason: String?
    public var note: String?
    public var stateAfter: LedgerState
    public var dueAfter: Day?
    /// Who did it: a web account, or the operating-system user (or `--actor`) on the command line.
    public var actor: String? = nil
    /// What a field held before the event (the old class of `classified`).
    public var previous: String? = nil
}

/// One ingested detection file.
public struct LedgerBatch: Sendable {
    public var number: Int
    public var path: String
    public var sha256: String
    public var date: Day
    public var features: Int
    public var opened = 0, redetected = 0, relapsed = 0, missed = 0, closed = 0
}

/// When a change to an entry may be dated: not before the entry was opened, not before its last
/// event (its history stays in date order), not after today (China time). One rule for the
/// command line and the web.
public enum LedgerDates {
    /// Why `date` cannot be an event of the entry, or nil when it can.
    static func problem(_ date: Day, entry: LedgerEntry, last: LedgerEvent?, today: Day) -> Bilingual? {
        if date < entry.openedOn {
            return Bilingual(en: "\(entry.id) was opened on \(entry.openedOn), after \(date)", zh: "\(entry.id) 于 \(entry.openedOn) 挂账，晚于 \(date)")
        }
        if let last, date < last.date {
            return Bilingual(en: "\(date) is before \(entry.id)'s last event (\(last.date) \(last.kind.rawValue))",
                             zh: "\(date) 早于 \(entry.id) 的最近事件（\(last.date) \(last.kind.chinese)）")
        }
        if date > today { return Bilingual(en: "\(date) is after today (\(today))", zh: "\(date) 晚于今天（\(today)）") }
        return nil
    }
}

/// Everything one ledger operation writes, applied in one transaction.
public struct LedgerChange: Sendable {
    public var updated: [LedgerEntry] = []
    /// Ids of updated entries whose outline changed (a relapse records the new outline).
    public var newOutline: Set<String> = []
    public var inserted: [LedgerEntry] = []
    public var events: [LedgerEvent] = []
    /// The batch an ingest adds (several when a whole ledger is copied).
    public var batches: [LedgerBatch] = []
    /// Photos sent with a reported fix (or copied with a whole ledger); the store numbers them.
    public var photos: [LedgerStoredPhoto] = []
}
