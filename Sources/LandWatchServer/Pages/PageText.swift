import LandWatchCore
import LandWatchLedger

/// The words of the pages, in Chinese (default) or English.
struct PageText: Sendable {
    let language: Language

    func callAsFunction(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    func state(_ s: LedgerState) -> String {
        self(s.chinese, s == .reported ? "reported fixed" : s.rawValue)
    }

    func event(_ k: LedgerEventKind) -> String {
        self(k.chinese, k.rawValue.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "reported", with: "reported fixed"))
    }

    func role(_ r: LedgerRole) -> String {
        self(r.chinese, ["admin": "environment bureau", "planning": "planning bureau"][r.rawValue] ?? r.rawValue)
    }
}
