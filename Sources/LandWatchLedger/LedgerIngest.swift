import Foundation
import GDALKit
import LandWatchCore

/// How a monthly detection is put on the ledger.
public struct IngestOptions: Sendable {
    public var date: Day
    public var idField: String?
    public var classField: String?
    /// Days to fix a patch, from its detection.
    public var deadlineDays = Spec.deadlineDays.defaultValue
    /// Consecutive misses after which an entry is closed (`not-redetected`); 0 never closes.
    public var closeAfter = Spec.closeAfter.defaultValue
    /// Intersection over union at which a detection matches an entry.
    public var matchIoU = Spec.matchIoU.defaultValue
    /// Prefix of new entry ids: PREFIX-YYYYMM-NNNN.
    public var prefix = Spec.prefix.defaultValue
    /// Ingest a file even if the same bytes were ingested before.
    public var force = false
    /// Seconds to wait for another ingest into the same ledger to finish before refusing.
    public var wait = 0.0
    /// Who ingests (recorded with every event).
    public var actor: String?

    public init(date: Day) { self.date = date }

    /// The defaults and ranges of the options that `run`'s config has too (its `deadline_days`
    /// and `close_after` are narrower: `RunConfig.rules`). The deadline is also the one a field
    /// check or the bureau gives a patch put back on the ledger.
    public enum Spec {
        public static let deadlineDays = OptionSpec(default: 30, .count(0...Int.max))
        public static let closeAfter = OptionSpec(default: 2, .count(0...Int.max))
        public static let matchIoU = OptionSpec(default: 0.3, .ratio)
        /// What the config allows; the command line also refuses a '-'.
        public static let prefix = OptionSpec(default: "DX", .text)
    }

    /// Refuses a deadline, miss count or match threshold out of range, as a usage error naming it.
    public func validate() throws {
        try Spec.deadlineDays.check(deadlineDays, as: .deadlineDays, is: "0 or more")
        try Spec.closeAfter.check(closeAfter, as: .closeAfter, is: "0 or more")
        try Spec.matchIoU.check(matchIoU, as: .matchIoU, is: "between 0 and 1")
    }
}

/// Why an ingest put nothing on the ledger: by case, so that a caller (the monthly job) decides on
/// the case, never on the message.
public enum LedgerIngestRefusal: Error, Equatable, CustomStringConvertible {
    /// The same file (by its digest) is on the ledger already.
    case alreadyIngested(path: String, batch: Int, date: Day)
    /// Batches go on the ledger in date order.
    case olderThanLastBatch(date: Day, last: Day, path: String)
    /// A batch may not be dated before a closure or field check already on the ledger.
    case olderThanLastEvent(date: Day, latest: Day)

    public var description: String { message.description }

    /// The refusal, naming the setting that overrides it where one does.
    public var message: ErrorMessage {
        switch self {
        case .alreadyIngested(let path, let batch, let date):
            return "\"\(path)\" was already ingested as batch \(batch) (\(date)): the same file is not put on the ledger twice (use \(Setting.force) to ingest it again)"
        case .olderThanLastBatch(let date, let last, let path):
            return "batch dated \(date) is older than the last one ingested (\(last), \"\(path)\"): batches go on the ledger in date order"
        case .olderThanLastEvent(let date, let latest):
            return "batch dated \(date) is older than the ledger's last event (\(latest)): events go on the ledger in date order"
        }
    }
}

/// What an ingest did.
public struct IngestResult: Sendable {
    public let batch: LedgerBatch
    public let report: ReadReport
}

/// 挂账 and 销账 from a detection: each detection is matched to the entries it overlaps (IoU at
/// least `matchIoU`, or an intersection covering half of the smaller one; splits and merges link
/// every matching pair), then the rules apply: matched entries are redetected (or relapse, if
/// closed; a reported fix still detected goes back to open), entries not matched are missed (and
/// closed after `closeAfter` misses; a reported one waits for the bureau), detections
/// matching nothing open new entries. An entry keeps the outline it was put on the ledger with;
/// a relapse records the outline it came back with.
public enum LedgerIngest {
    public static func run(_ store: any LedgerStore, detections input: VectorInput, zones: Zones,
                           options: IngestOptions) throws -> IngestResult {
        try store.write(.ingest(wait: options.wait)) { try ingest(store, detections: input, zones: zones, options: options) }
    }

    /// The ingest itself, inside the store's write (the entries it reads are held until it ends),
    /// in stages: read, refuse what must be refused, match, apply the rules, persist.
    private static func ingest(_ store: any LedgerStore, detections input: VectorInput, zones: Zones,
                               options: IngestOptions) throws -> IngestResult {
        let previous = try store.batches()
        let classField = try options.classField.map { try Zones.requireField($0, in: input.layer.schema, of: input.label) }
        let (entries, detections, sha) = try read(store, input, zones)
        try refuse(store, previous: previous, sha: sha, input: input, options: options)
        let matches = try match(detections.features.map { $0.geometry! }, entries.map(\.geometry), areas: zones.areas,
                                iou: options.matchIoU)
        var rules = Rules(options: options, batch: LedgerBatch(number: (previous.last?.number ?? 0) + 1, path: input.source.redactedPath,
                                                              sha256: sha, date: options.date, features: detections.features.count))
        try rules.follow(entries, matches: matches, detections: detections.features, zones: zones)
        try rules.open(detections.features, unmatched: matches, classField: classField, zones: zones,
                       firstNumber: store.lastNumber(prefix: options.prefix, yearMonth: options.date.yearMonth) + 1)
        try persist(&rules.change, batch: rules.batch, into: store, from: zones.crs)
        return IngestResult(batch: rules.batch, report: detections.report)
    }

    /// The ledger's entries (in the zones' CRS), the detections and the file's digest, read at once.
    private static func read(_ store: any LedgerStore, _ input: VectorInput, _ zones: Zones) throws
        -> (entries: [LedgerEntry], detections: LayerData, sha: String) {
        let fromStore = try CoordinateTransform(from: CRS.wgs84, to: zones.crs)
        let detectionInput = Handover(input)
        let (crs, path) = (zones.crs, input.source.path)
        let ((entries, detections), fileSHA) = try Parallel.both({
            try Parallel.both({
                try store.entries(ids: nil, zone: nil, forUpdate: true).map { e -> LedgerEntry in
                    var e = e
                    e.geometry = try fromStore.transform(e.geometry)
                    return e
                }
            }, { try detectionInput.value.load(into: crs, expecting: .polygons) })
        }, { VectorInput.isDatabase(path) ? nil : try FileDigest.sha256(path) })
        return (entries, detections, fileSHA ?? FileDigest.sha256(of: detections.features))
    }

    /// The same file first (a month run again is said so), then dates before the ledger's last.
    private static func refuse(_ store: any LedgerStore, previous: [LedgerBatch], sha: String, input: VectorInput,
                               options: IngestOptions) throws {
        if !options.force, let same = previous.first(where: { $0.sha256 == sha }) {
            throw LedgerIngestRefusal.alreadyIngested(path: input.source.redactedPath, batch: same.number, date: same.date)
        }
        if let last = previous.last, options.date < last.date {
            throw LedgerIngestRefusal.olderThanLastBatch(date: options.date, last: last.date, path: last.path)
        }
        if let latest = try store.lastEventDate(), options.date < latest {
            throw LedgerIngestRefusal.olderThanLastEvent(date: options.date, latest: latest)
        }
    }

    /// The ledger's rules for one detection date: what each entry becomes, the entries new
    /// detections open, the events and the batch's counts.
    private struct Rules {
        let options: IngestOptions
        var batch: LedgerBatch
        var change = LedgerChange()
        var date: Day { options.date }
        var due: Day { options.date.adding(days: options.deadlineDays) }

        init(options: IngestOptions, batch: LedgerBatch) {
            self.options = options
            self.batch = batch
        }

        /// Records an event of the batch on an entry, applying it by the state machine's rule.
        mutating func record(_ kind: LedgerEventKind, on e: inout LedgerEntry, reason: String? = nil, due: Day? = nil) {
            change.events.append(LedgerStateMachine.record(kind, on: &e, date: date, reason: reason, note: nil, due: due,
                                                           actor: options.actor, batch: batch.number))
        }

        /// Entries, in ledger order: seen again (redetected, or relapsed with the new outline),
        /// missed (suspected, closed after `closeAfter` misses), or left as they are.
        mutating func follow(_ entries: [LedgerEntry], matches: Matches, detections: [Feature], zones: Zones) throws {
            for (i, entry) in entries.enumerated() {
                var e = entry
                if let found = matches.byEntry[i] {
                    e.lastSeen = date
                    e.timesSeen += 1
                    e.misses = 0
                    if e.state == .closed {
                        // A relapse is a new occurrence: its outline is the new detection's.
                        e.geometry = try Geometry.union(found.map { detections[$0].geometry! }).polygonalPart()
                        e.area = zones.areas.area(e.geometry)
                        change.newOutline.insert(e.id)
                        record(.relapsed, on: &e, due: due)
                        batch.relapsed += 1
                    } else {
                        record(.redetected, on: &e)
                        batch.redetected += 1
                    }
                } else if e.state == .reported || !e.state.isCarried {
                    // A reported fix the month no longer detects awaits the bureau's verification;
                    // a closed entry not seen again stays closed.
                    continue
                } else {
                    record(.missed, on: &e)
                    batch.missed += 1
                    if options.closeAfter > 0 && e.misses >= options.closeAfter {
                        record(.closed, on: &e, reason: "not-redetected")
                        batch.closed += 1
                    }
                }
                change.updated.append(e)
            }
        }

        /// Detections matching no entry open new ones, in file order, in the zone holding most
        /// of each.
        mutating func open(_ detections: [Feature], unmatched matches: Matches, classField: String?, zones: Zones,
                           firstNumber: Int) throws {
            var number = firstNumber
            let cutter = ZoneCutter(zones)
            for (k, f) in detections.enumerated() where matches.byDetection[k] == nil {
                let g = f.geometry!
                let zone = try ZoneCutter.largest(cutter.cut(g).shares).map { zones.zones[$0].name }
                var e = LedgerEntry(fid: nil, id: "\(options.prefix)-\(date.yearMonth)-\(Day.padded(number, 4))", zone: zone,
                                    className: classField.flatMap { f[$0].flatMap { $0.isNull ? nil : $0.description } },
                                    area: zones.areas.area(g), state: .open, openedOn: date, dueOn: due, closedOn: nil,
                                    closeReason: nil, firstSeen: date, lastSeen: date, timesSeen: 1, misses: 0, relapses: 0, geometry: g)
                number += 1
                record(.opened, on: &e, due: due)
                change.inserted.append(e)
                batch.opened += 1
            }
        }
    }

    /// The change, its outlines back in the store's lon/lat, written in the store's transaction.
    private static func persist(_ change: inout LedgerChange, batch: LedgerBatch, into store: any LedgerStore, from crs: CRS) throws {
        let toStore = try CoordinateTransform(from: crs, to: CRS.wgs84)
        change.updated = try change.updated.map { var e = $0; e.geometry = try toStore.transform(e.geometry); return e }
        change.inserted = try change.inserted.map { var e = $0; e.geometry = try toStore.transform(e.geometry); return e }
        change.batches = [batch]
        try store.apply(change)
    }

    /// Which detections match which entries.
    struct Matches {
        var byEntry: [Int: [Int]] = [:]
        var byDetection: [Int: [Int]] = [:]
    }

    static func match(_ detections: [Geometry], _ entries: [Geometry], areas: EllipsoidalArea, iou: Double) throws -> Matches {
        let tree = STRTree(entries.map(\.envelope))
        let entryAreas = try Parallel.map(count: entries.count) { range in range.map { areas.area(entries[$0]) } }.flatMap { $0 }
        let pairs = try Parallel.map(count: detections.count) { range in
            try range.flatMap { d -> [(Int, Int)] in
                let g = detections[d]
                let prepared = try PreparedGeometry(g)
                let area = areas.area(g)
                return try tree.query(g.envelope).compactMap { e -> (Int, Int)? in
                    let other = entries[e]
                    guard try prepared.intersects(other) else { return nil }
                    let shared = try g.intersection(other).polygonalPart()
                    guard !shared.isEmpty else { return nil }
                    let inter = areas.area(shared), otherArea = entryAreas[e]
                    let union = area + otherArea - inter
                    let matched = (union > 0 && inter / union >= iou) || inter >= 0.5 * min(area, otherArea)
                    return matched && inter > 0 ? (d, e) : nil
                }
            }
        }.flatMap { $0 }
        var m = Matches()
        for (d, e) in pairs {
            m.byEntry[e, default: []].append(d)
            m.byDetection[d, default: []].append(e)
        }
        return m
    }
}
