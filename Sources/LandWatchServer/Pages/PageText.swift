import LandWatchCore

/// The words of the pages, in Chinese (default) or English.
struct PageText: Sendable {
    let language: Language

    func callAsFunction(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    func state(_ s: LedgerState) -> String {
        switch s {
        case .open: return self("在账", "open")
        case .suspected: return self("疑似销账", "suspected")
        case .reported: return self("申请销账", "reported fixed")
        case .closed: return self("已销账", "closed")
        }
    }

    func event(_ k: LedgerEventKind) -> String {
        switch k {
        case .opened: return self("挂账", "opened")
        case .redetected: return self("复查仍在", "redetected")
        case .missed: return self("未检出", "missed")
        case .closed: return self("销账", "closed")
        case .relapsed: return self("反弹", "relapsed")
        case .verifiedNotFixed: return self("核查未整改", "verified not fixed")
        case .reported: return self("申请销账", "reported fixed")
        case .approved: return self("审核通过", "approved")
        case .rejected: return self("审核退回", "rejected")
        case .classified: return self("类型认定", "classified")
        case .reopened: return self("重新挂账", "reopened")
        }
    }

    func role(_ r: LedgerRole) -> String {
        switch r {
        case .admin: return self("生态环境局", "environment bureau")
        case .town: return self("属地", "town")
        case .planning: return self("规自部门", "planning bureau")
        case .viewer: return self("只读", "viewer")
        }
    }
}
