import DatabaseKit
import Foundation
import GDALKit
import LandWatchCore

/// Rows of the ledger's tables as values, the same for both stores.
enum LedgerRows {
    /// The fields of `patches`, in order.
    static let patchFields: [FieldDefinition] = [
        .init("id", .string), .init("zone", .string), .init("class", .string), .init("area_m2", .real),
        .init("area_mu", .real), .init("state", .string), .init("opened_on", .date), .init("due_on", .date),
        .init("closed_on", .date), .init("close_reason", .string), .init("first_seen", .date),
        .init("last_seen", .date), .init("times_seen", .integer), .init("misses", .integer), .init("relapses", .integer),
    ]
    /// The fields an update can change (the others are set when an entry is opened).
    static let changingFields = ["class", "state", "due_on", "closed_on", "close_reason", "last_seen", "times_seen", "misses", "relapses"]

    static let eventFields: [FieldDefinition] = [
        .init("seq", .integer64), .init("patch", .string), .init("zone", .string), .init("date", .date), .init("event", .string),
        .init("batch", .integer), .init("reason", .string), .init("note", .string), .init("state_after", .string),
        .init("due_after", .date), .init("actor", .string), .init("previous", .string),
    ]
    static let batchFields: [FieldDefinition] = [
        .init("batch", .integer), .init("path", .string), .init("sha256", .string), .init("date", .date),
        .init("features", .integer), .init("opened", .integer), .init("redetected", .integer),
        .init("relapsed", .integer), .init("missed", .integer), .init("closed", .integer),
    ]

    static let userFields: [FieldDefinition] = [
        .init("name", .string), .init("role", .string), .init("zone", .string), .init("password_hash", .string), .init("created_on", .date),
        .init("unlocked_at", .string),
    ]
    static let attachmentFields: [FieldDefinition] = [
        .init("patch", .string), .init("date", .date), .init("name", .string), .init("mime", .string), .init("size", .integer),
        .init("sha256", .string), .init("actor", .string), .init("data", .binary),
    ]

    /// An entry from a `patches` row (read by OGR or by SQL) and its geometry.
    static func entry(_ f: some LedgerRowValues, fid: Int64, geometry: Geometry?) throws -> LedgerEntry {
        func day(_ k: String) -> Day? { f.text(k).flatMap(Day.init) }
        func int(_ k: String) -> Int { Int(f.number(k) ?? 0) }
        guard let id = f.text("id"), let state = f.text("state").flatMap(LedgerState.init), let opened = day("opened_on"),
              let geometry else {
            throw LandWatchError.data("ledger entry \(f.text("id") ?? String(fid)) is incomplete (id, state, opened_on or geometry missing): run `ledger check`")
        }
        return LedgerEntry(fid: fid, id: id, zone: f.text("zone"), className: f.text("class"),
                           area: f.number("area_m2") ?? 0, state: state, openedOn: opened, dueOn: day("due_on"), closedOn: day("closed_on"),
                           closeReason: f.text("close_reason"), firstSeen: day("first_seen") ?? opened,
                           lastSeen: day("last_seen") ?? opened, timesSeen: int("times_seen"), misses: int("misses"),
                           relapses: int("relapses"), geometry: geometry)
    }

    /// The values of an entry's `patches` row, in `patchFields` order.
    static func values(_ e: LedgerEntry) -> [FieldValue] {
        func day(_ d: Day?) -> FieldValue { d.map { .string($0.description) } ?? .null }
        return [.string(e.id), e.zone.map(FieldValue.string) ?? .null, e.className.map(FieldValue.string) ?? .null,
                .real((e.area * 100).rounded() / 100), .real((e.area / AreaUnit.squareMetresPerMu * 1000).rounded() / 1000),
                .string(e.state.rawValue), day(e.openedOn), day(e.dueOn), day(e.closedOn),
                e.closeReason.map(FieldValue.string) ?? .null, day(e.firstSeen), day(e.lastSeen),
                .integer(Int64(e.timesSeen)), .integer(Int64(e.misses)), .integer(Int64(e.relapses))]
    }

    static func event(_ r: SQLRow) throws -> LedgerEvent {
        guard let patch = r.text("patch"), let date = r.text("date").flatMap(Day.init),
              let kind = r.text("event").flatMap(LedgerEventKind.init), let state = r.text("state_after").flatMap(LedgerState.init) else {
            throw LandWatchError.data("ledger event \(r.text("seq") ?? "") is incomplete: run `ledger check`")
        }
        return LedgerEvent(patch: patch, zone: r.text("zone"), date: date, kind: kind, batch: r.int("batch").map { Int($0) },
                           reason: r.text("reason"), note: r.text("note"), stateAfter: state, dueAfter: r.text("due_after").flatMap(Day.init),
                           actor: r.text("actor"), previous: r.text("previous"))
    }

    /// The values of an event's row after `seq`, in `eventFields` order.
    static func values(_ ev: LedgerEvent) -> [FieldValue] {
        [.string(ev.patch), ev.zone.map(FieldValue.string) ?? .null, .string(ev.date.description), .string(ev.kind.rawValue),
         ev.batch.map { .integer(Int64($0)) } ?? .null, ev.reason.map(FieldValue.string) ?? .null,
         ev.note.map(FieldValue.string) ?? .null, .string(ev.stateAfter.rawValue), ev.dueAfter.map { .string($0.description) } ?? .null,
         ev.actor.map(FieldValue.string) ?? .null, ev.previous.map(FieldValue.string) ?? .null]
    }

    static func batch(_ r: SQLRow) -> LedgerBatch {
        func int(_ k: String) -> Int { Int(r.int(k) ?? 0) }
        var b = LedgerBatch(number: int("batch"), path: r.text("path") ?? "", sha256: r.text("sha256") ?? "",
                            date: Day(r.text("date") ?? "") ?? Day(ordinal: 0), features: int("features"))
        (b.opened, b.redetected, b.relapsed, b.missed, b.closed) = (int("opened"), int("redetected"), int("relapsed"), int("missed"), int("closed"))
        return b
    }

    static func values(_ b: LedgerBatch) -> [FieldValue] {
        [.integer(Int64(b.number)), .string(b.path), .string(b.sha256), .string(b.date.description), .integer(Int64(b.features)),
         .integer(Int64(b.opened)), .integer(Int64(b.redetected)), .integer(Int64(b.relapsed)), .integer(Int64(b.missed)),
         .integer(Int64(b.closed))]
    }

    /// Geometries are stored as MultiPolygons.
    static func stored(_ g: Geometry) throws -> Geometry {
        g.kind == .multiPolygon ? g : try Geometry(shape: .multiPolygon(g.shape.polygons))
    }

    static func groupCount(_ r: SQLRow) -> GroupCount {
        GroupCount(group: r.text("grp"), n: Int(r.int("n") ?? 0), overdue: Int(r.int("overdue") ?? 0),
                   area: Double(r.int("area_cm") ?? 0) / 100, reported: Int(r.int("reported") ?? 0))
    }

    /// A photo's description from an `attachments` row (its `fid` is its number).
    static func attachment(_ r: SQLRow) -> LedgerAttachment {
        LedgerAttachment(number: r.int("fid") ?? 0, patch: r.text("patch") ?? "", date: r.text("date").flatMap(Day.init),
                         name: r.text("name") ?? "", mime: r.text("mime") ?? "application/octet-stream", size: Int(r.int("size") ?? 0),
                         actor: r.text("actor"))
    }

    static func storedPhoto(_ r: SQLRow) -> LedgerStoredPhoto {
        // A ledger of schema 3 read as it is keeps its photos as base64 text.
        LedgerStoredPhoto(attachment: attachment(r), sha256: r.text("sha256") ?? "",
                          bytes: r.bytes("data") ?? r.text("data").flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? [])
    }

    static func account(_ r: SQLRow) -> LedgerStoredAccount? {
        guard let name = r.text("name"), let role = r.text("role").flatMap(LedgerRole.init) else { return nil }
        return LedgerStoredAccount(account: LedgerAccount(name: name, role: role, zone: r.text("zone")),
                                   passwordHash: r.text("password_hash") ?? "", createdOn: r.text("created_on").flatMap(Day.init),
                                   unlockedAt: r.text("unlocked_at"))
    }
}

/// A row's values by column name, whoever read it: OGR's features and SQL's rows.
protocol LedgerRowValues {
    /// The column as text; nil for NULL or a missing column.
    func text(_ column: String) -> String?
    /// The column as a number; nil for NULL, a missing column or text that is no number.
    func number(_ column: String) -> Double?
}

extension Feature: LedgerRowValues {
    func text(_ column: String) -> String? { self[column].flatMap { $0.isNull ? nil : $0.description } }
    func number(_ column: String) -> Double? { self[column]?.number }
}

extension SQLRow: LedgerRowValues {
    func number(_ column: String) -> Double? { double(column) }
}
