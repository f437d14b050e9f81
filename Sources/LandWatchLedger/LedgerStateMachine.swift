/// The ledger's one state machine. Which action may change an entry in which state, and into
import LandWatchCore
/// what event (`LedgerStateMachine.event(for:from:)`); what each event does to an entry
/// (`LedgerEntry.follow(_:)`). The web's actions, the command line's close, verify and
/// classify, the monthly ingest and `ledger check`'s replay all go through these two, so a rule
/// is written once.
public enum LedgerStateMachine {
    /// The event an action records on an entry in `state`; nil when the state does not allow it.
    public static func event(for action: LedgerAction, from state: LedgerState) -> LedgerEventKind? {
        switch (action, state) {
        case (.report, .open), (.report, .suspected): return .reported
        case (.approve, .reported): return .approved
        case (.reject, .reported): return .rejected
        case (.close, .open), (.close, .suspected), (.close, .reported): return .closed
        case (.reopen, .closed): return .reopened
        case (.classify, _): return .classified
        case (.verifyFixed, .open), (.verifyFixed, .suspected), (.verifyFixed, .reported): return .closed
        case (.verifyNotFixed, .closed): return .relapsed
        case (.verifyNotFixed, _): return .verifiedNotFixed
        default: return nil
        }
    }

    /// Who may take an action: the role (the zone is checked apart, on the entry itself).
    public static func may(_ role: LedgerRole, _ action: LedgerAction) -> Bool {
        switch action {
        case .report: return role == .town
        case .approve, .reject, .close, .reopen, .verifyFixed, .verifyNotFixed: return role == .admin
        case .classify: return role == .planning
        }
    }

    /// The event of an action on an entry, applied to it: the entry as it stands afterwards and
    /// the event recording where it stands (`stateAfter`, `dueAfter`). `due` is the new deadline
    /// of an event that sets one (a reopening, a relapse).
    static func record(_ kind: LedgerEventKind, on entry: inout LedgerEntry, date: Day, reason: String?, note: String?,
                       due: Day? = nil, actor: String?, batch: Int? = nil) -> LedgerEvent {
        var event = LedgerEvent(patch: entry.id, zone: entry.zone, date: date, kind: kind, batch: batch, reason: reason, note: note,
                                stateAfter: entry.state, dueAfter: due ?? entry.dueOn, actor: actor)
        if kind == .classified { event.previous = entry.className }
        entry.follow(event)
        event.stateAfter = entry.state
        event.dueAfter = entry.dueOn
        return event
    }
}

extension LedgerEntry {
    /// What an event does to an entry's state, deadline, closure, counters and class: the rule
    /// `ledger check` replays and every change applies.
    mutating func follow(_ event: LedgerEvent) {
        switch event.kind {
        case .opened:
            (state, misses, relapses, dueOn, closedOn, closeReason) = (.open, 0, 0, event.dueAfter, nil, nil)
        case .redetected, .verifiedNotFixed:
            (state, misses) = (.open, 0)
        case .missed:
            (state, misses) = (.suspected, misses + 1)
        case .closed, .approved:
            (state, closedOn, closeReason) = (.closed, event.date, event.reason)
        case .relapsed:
            (state, misses, relapses, dueOn, closedOn, closeReason) = (.open, 0, relapses + 1, event.dueAfter, nil, nil)
        case .reported:
            state = .reported
        case .rejected:
            state = .open
        case .classified:
            className = event.reason
        case .reopened:
            (state, misses, dueOn, closedOn, closeReason) = (.open, 0, event.dueAfter, nil, nil)
        }
    }
}
