import GDALKit
import LandWatchCore

/// How a ledger write is isolated from other writers.
public enum LedgerLock: Sendable, Equatable {
    /// A monthly ingest (or a copy into the ledger): one at a time per ledger; a second one waits
    /// up to `wait` seconds and is then refused. Readers are never blocked.
    case ingest(wait: Double)
    /// A change to a few entries (close, verify, the web's actions, accounts): only the rows read
    /// with `entries(ids:zone:forUpdate: true)` are held, until the write ends.
    case entries
}

/// What a report counts by: the zones (towns, the default) or the land types (classes).
public enum LedgerGrouping: String, CaseIterable, Sendable {
    case zone
    case landClass = "class"
}

/// Where the ledger's records live, in the ledger's own words: entries, events, batches, photos
/// and accounts, and the sums the reports need. The rules (`LedgerIngest`, `LedgerActions`,
/// `LedgerQueries`, `LedgerAccounts`, `LedgerCopy`) are written once against it; two stores
/// implement it, each with its own SQL and every value bound, never written into SQL text:
/// `GeoPackageLedgerStore` (one file, one writer at a time) and `PostGISLedgerStore` (a shared
/// server, row locks and an advisory lock for ingest).
///
/// A store owns its connection or file handle; it is not thread-safe: use it from one thread at
/// a time (a write's body may hand it to another thread while it waits).
public protocol LedgerStore: AnyObject {
    /// The ledger for messages: a quoted path, or schema, database and server (never a password).
    var label: String { get }

    /// The version of the ledger's tables (`LedgerSchema.version` once opened for writing).
    func schemaVersion() throws -> Int

    /// Runs `body` in one transaction under `lock`: all of its changes or none of them.
    func write<T>(_ lock: LedgerLock, _ body: () throws -> T) throws -> T

    /// Writes a change (entries, events, batches, photos); call it inside `write`.
    func apply(_ change: LedgerChange) throws

    // MARK: Entries

    /// Entries in the order they were opened: every one, or those with the given ids, or in the
    /// given zone. Inside a `.entries` write, `forUpdate` holds them until the write ends.
    func entries(ids: [String]?, zone: String?, forUpdate: Bool) throws -> [LedgerEntry]

    /// The highest number used in ids `PREFIX-YYYYMM-NNNN`, 0 when none.
    func lastNumber(prefix: String, yearMonth: String) throws -> Int

    /// The zones entries are kept under, sorted.
    func zoneNames() throws -> [String]

    /// Ids held by more than one entry, with how many, by id.
    func duplicateIds() throws -> [(id: String, count: Int)]

    // MARK: Events and batches

    /// Events (of one entry, or all), oldest first.
    func events(of patch: String?) throws -> [LedgerEvent]

    /// Each entry's latest event, for the entries given.
    func lastEvents(of ids: [String]) throws -> [String: LedgerEvent]

    /// The date of the latest event, if any.
    func lastEventDate() throws -> Day?

    /// Where each entry stood at the end of a day: its state and due date after its last event
    /// dated on or before `day` (entries opened later are absent).
    func states(asOf day: Day) throws -> [String: (state: LedgerState, due: Day?)]

    /// Every ingested batch, oldest first.
    func batches() throws -> [LedgerBatch]

    /// Whether the ledger holds no entry, event or batch.
    func isEmpty() throws -> Bool

    // MARK: Sums for the reports

    /// Per zone (or class), the entries carried (open, suspected or reported) at the end of a day.
    func carried(asOf day: Day, by grouping: LedgerGrouping) throws -> [GroupCount]

    /// Per zone (or class), the entries carried now, with those past due on `day`: valid as of
    /// any day on or after the last event.
    func carriedNow(dueBefore day: Day, by grouping: LedgerGrouping) throws -> [GroupCount]

    /// Per zone (or class) and event kind, how many events are dated within [from, to]. Events
    /// keep their zone; their class is the entry's as it stands.
    func eventCounts(from: Day, to: Day, by grouping: LedgerGrouping) throws -> [EventCount]

    // MARK: Photos

    /// The photos of an entry, oldest first (without their bytes).
    func photos(of patch: String) throws -> [LedgerAttachment]

    /// One photo with its bytes, by number; nil when there is none.
    func photo(number: Int64) throws -> LedgerStoredPhoto?

    /// Every photo with its bytes, oldest first (for a copy of the whole ledger).
    func allPhotos() throws -> [LedgerStoredPhoto]

    // MARK: Accounts

    /// Every account with its password hash, by name.
    func accounts() throws -> [LedgerStoredAccount]

    /// The account of a name, if there is one.
    func account(named name: String) throws -> LedgerStoredAccount?

    /// Adds an account; call it inside `write`.
    func add(_ account: LedgerStoredAccount) throws

    /// Replaces an account's role, zone and password hash, and raises its credential version;
    /// call it inside `write`.
    func update(_ account: LedgerStoredAccount) throws

    /// Removes an account; call it inside `write`.
    func removeAccount(named name: String) throws
}

extension LedgerStore {
    /// Every entry, in the order they were opened.
    public func entries() throws -> [LedgerEntry] { try entries(ids: nil, zone: nil, forUpdate: false) }

    /// Every event, oldest first.
    public func events() throws -> [LedgerEvent] { try events(of: nil) }
}

/// One zone's (or class's) count of entries, as the stores sum them.
public struct GroupCount: Sendable, Equatable {
    /// The zone or class; nil for entries outside all zones (or without a class).
    public var group: String?
    public var n: Int
    public var overdue: Int
    /// Their area, summed exactly in hundredths of a square metre, as stored.
    public var area: Double
    /// Of them, reported fixes awaiting verification.
    public var reported: Int

    public init(group: String?, n: Int, overdue: Int, area: Double, reported: Int) {
        (self.group, self.n, self.overdue, self.area, self.reported) = (group, n, overdue, area, reported)
    }
}

/// How many events of one kind a zone (or class) had in a period.
public struct EventCount: Sendable, Equatable {
    public var group: String?
    public var kind: LedgerEventKind
    public var n: Int

    public init(group: String?, kind: LedgerEventKind, n: Int) {
        (self.group, self.kind, self.n) = (group, kind, n)
    }
}
