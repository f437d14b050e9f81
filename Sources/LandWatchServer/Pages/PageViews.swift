import LandWatchCore
import LandWatchLedger

/// The server-rendered pages. Every value from the ledger or a user is escaped with `HTML.escape`;
/// rights are decided before a page is drawn (a page only shows the actions it is handed).
struct PageViews: Sendable {
    let title: String
    let t: PageText
    let tiles: String?

    private func e(_ s: String?) -> String { HTML.escape(s ?? "") }

    /// A row's value as shown: a blank for null, 是/yes for true, `no` for false.
    private func shown(_ r: OutputFeature, _ key: String, no: String = "") -> String {
        switch r.value(key) {
        case .null: return ""
        case .string(let s): return s
        case .bool(let b): return b ? t("是", "yes") : no
        case let v: return v.serialized()
        }
    }

    func layout(_ heading: String, account: LedgerAccount?, csrf: String?, _ body: String) -> String {
        let nav = account.map { a in
            """
            <nav><a href="/">\(t("总览", "Overview"))</a> <a href="/entries">\(t("台账列表", "Entries"))</a>
            <span class="who">\(e(a.name)) · \(e(t.role(a.role)))\(a.zone.map { " · " + e($0) } ?? "")</span>
            <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf_token" value="\(e(csrf))">
            <button type="submit">\(t("退出", "Sign out"))</button></form></nav>
            """
        } ?? ""
        return """
        <!DOCTYPE html>
        <html lang="\(t.language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(heading)) · \(e(title))</title>
        <link rel="stylesheet" href="/static/leaflet/leaflet.css"><link rel="stylesheet" href="/static/app.css">
        </head><body><header><h1>\(e(title))</h1>\(nav)</header><main>
        <h2>\(e(heading))</h2>
        \(body)
        </main><script src="/static/leaflet/leaflet.js"></script><script src="/static/app.js"></script></body></html>
        """
    }

    func login(message: String?, token: String) -> String {
        layout(t("登录", "Sign in"), account: nil, csrf: nil, """
        \(message.map { "<p class=\"error\">\(e($0))</p>" } ?? "")
        <form method="post" action="/login" class="login">
        <input type="hidden" name="login_token" value="\(e(token))">
        <label>\(t("账号", "Account")) <input name="name" autocomplete="username" required></label>
        <label>\(t("密码", "Password")) <input name="password" type="password" autocomplete="current-password" required></label>
        <button type="submit">\(t("登录", "Sign in"))</button></form>
        """)
    }

    func error(_ message: String, account: LedgerAccount?, csrf: String?) -> String {
        layout(t("出错了", "Error"), account: account, csrf: csrf, "<p class=\"error\">\(e(message))</p><p><a href=\"/\">\(t("返回总览", "Back to the overview"))</a></p>")
    }

    func overview(account: LedgerAccount, csrf: String, ranking: [LedgerQueries.ReportRow], month: String) -> String {
        // The whole district's ranking (排名通报 goes to every town); a town's own row stands out.
        let rows = ranking.enumerated().map { k, r in
            let mine = account.zone != nil && r.group == account.zone
            return "<tr\(mine ? " class=\"mine\"" : "")><td>\(k + 1)</td><td>\(e(r.group ?? t("(区外)", "(outside all zones)")))</td><td>\(r.openEnd)</td><td>\(r.overdue)</td><td>\(r.reported)</td><td>\(r.opened)</td><td>\(r.closed)</td><td>\(r.closureRate.map { String(format: "%.1f", $0) } ?? "")</td></tr>"
        }.joined(separator: "\n")
        let scope = account.visibleZone.map { HTML.query([("zone", $0)]) } ?? ""
        return layout(t("总览", "Overview"), account: account, csrf: csrf, """
        <div id="map" class="map" data-zones="/api/zones.geojson" data-entries="/api/entries.geojson\(e(scope))" data-tiles="\(e(tiles))" data-own-zone="\(e(account.visibleZone))" data-lang="\(t.language.rawValue)"></div>
        <p class="legend"><span class="s-open">\(t.state(.open))</span> <span class="s-suspected">\(t.state(.suspected))</span> <span class="s-reported">\(t.state(.reported))</span> <span class="s-closed">\(t.state(.closed))</span> <span class="s-overdue">\(t("超期", "overdue"))</span></p>
        <h3>\(t("镇街排名", "Town ranking")) \(e(month))</h3>
        <table class="ranking"><thead><tr><th>\(t("名次", "Rank"))</th><th>\(t("镇街", "Zone"))</th><th>\(t("期末在账", "Open"))</th><th>\(t("超期", "Overdue"))</th><th>\(t("申请销账", "Reported"))</th><th>\(t("新增挂账", "Opened"))</th><th>\(t("销账", "Closed"))</th><th>\(t("销账率(%)", "Closure rate (%)"))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """)
    }

    struct ListPage {
        var rows: [OutputFeature]
        var page: Int
        var pageSize: Int
        var total: Int
        var query: [(String, String?)]
        var zones: [String]
    }

    func list(account: LedgerAccount, csrf: String, _ p: ListPage) -> String {
        func value(_ r: OutputFeature, _ k: String) -> String { shown(r, k) }
        let q = Dictionary(p.query.compactMap { k, v in v.map { (k, $0) } }, uniquingKeysWith: { a, _ in a })
        let zoneSelect = account.role == .town ? "" : """
            <label>\(t("镇街", "Zone")) <select name="zone"><option value="">\(t("全部", "all"))</option>\(HTML.options(p.zones.map { ($0, $0) }, selected: q["zone"]))</select></label>
            """
        let states = [("", t("全部", "all"))] + LedgerState.allCases.map { ($0.rawValue, t.state($0)) }
        let sorts = [("opened_on", t("挂账日期", "opened")), ("due_on", t("整改期限", "due")), ("area_m2", t("面积", "area")), ("zone", t("镇街", "zone")), ("days_open", t("在账天数", "days open"))]
        let body = p.rows.map { r -> String in
            let id = value(r, "id")
            let state = LedgerState(rawValue: value(r, "state")).map(t.state) ?? ""
            let overdue = value(r, "overdue").isEmpty ? "" : " class=\"overdue\""
            return "<tr\(overdue)><td><a href=\"/entries/\(e(id))\">\(e(id))</a></td><td>\(e(value(r, "zone")))</td><td>\(e(value(r, "class")))</td><td>\(e(state))</td><td class=\"n\">\(e(value(r, "area_m2")))</td><td>\(e(value(r, "opened_on")))</td><td>\(e(value(r, "due_on")))</td><td>\(e(value(r, "overdue")))</td></tr>"
        }.joined(separator: "\n")
        let pages = max(1, (p.total + p.pageSize - 1) / p.pageSize)
        let downloads = HTML.query(p.query.filter { $0.0 != "page" && $0.0 != "sort" })
        func pageLink(_ n: Int, _ label: String) -> String {
            "<a href=\"/entries\(e(HTML.query(p.query.filter { $0.0 != "page" } + [("page", String(n))])))\">\(label)</a>"
        }
        return layout(t("台账列表", "Entries"), account: account, csrf: csrf, """
        <form method="get" action="/entries" class="filters">
        \(zoneSelect)
        <label>\(t("状态", "State")) <select name="state">\(HTML.options(states, selected: q["state"] ?? ""))</select></label>
        <label>\(t("类型", "Class")) <input name="class" value="\(e(q["class"]))"></label>
        <label><input type="checkbox" name="overdue" value="1"\(q["overdue"] != nil ? " checked" : "")> \(t("仅超期", "overdue only"))</label>
        <label>\(t("排序", "Sort")) <select name="sort">\(HTML.options(sorts, selected: q["sort"] ?? "opened_on"))</select></label>
        <button type="submit">\(t("筛选", "Filter"))</button></form>
        <p>\(t("共", "")) \(p.total) \(t("条", "entries")) · <a href="/api/entries.csv\(e(downloads))">CSV</a> · <a href="/api/entries.geojson\(e(downloads + (downloads.isEmpty ? "?" : "&") + "download=1"))">GeoJSON</a></p>
        <table class="entries"><thead><tr><th>\(t("编号", "ID"))</th><th>\(t("镇街", "Zone"))</th><th>\(t("类型", "Class"))</th><th>\(t("状态", "State"))</th><th>\(t("面积(m²)", "Area (m²)"))</th><th>\(t("挂账日期", "Opened"))</th><th>\(t("整改期限", "Due"))</th><th>\(t("超期", "Overdue"))</th></tr></thead>
        <tbody>\(body)</tbody></table>
        <p class="pages">\(p.page > 1 ? pageLink(p.page - 1, t("上一页", "previous")) : "") \(t("第", "page")) \(p.page) / \(pages) \(p.page < pages ? pageLink(p.page + 1, t("下一页", "next")) : "")</p>
        """)
    }

    /// One entry's page; `draft` refills the report form after a refused report (measure, date, note).
    func entry(account: LedgerAccount, csrf: String, _ d: EntryDetail, message: String?, today: Day, draft: [String: String] = [:]) -> String {
        func v(_ k: String) -> String { shown(d.row, k, no: t("否", "no")) }
        let id = v("id")
        let state = LedgerState(rawValue: v("state"))
        let facts: [(String, String)] = [
            (t("镇街", "Zone"), v("zone")), (t("类型", "Class"), v("class")), (t("状态", "State"), state.map(t.state) ?? ""),
            (t("面积(m²)", "Area (m²)"), v("area_m2")), (t("面积(亩)", "Area (mu)"), v("area_mu")), (t("挂账日期", "Opened"), v("opened_on")),
            (t("整改期限", "Due"), v("due_on")), (t("销账日期", "Closed"), v("closed_on")), (t("超期", "Overdue"), v("overdue")),
        ]
        let history = d.events.map { ev in
            "<tr><td>\(ev.date)</td><td>\(e(t.event(ev.kind)))</td><td>\(e(ev.reason))\(ev.previous.map { " (" + t("原", "was") + " " + e($0) + ")" } ?? "")</td><td>\(e(ev.note))</td><td>\(e(t.state(ev.stateAfter)))</td><td>\(e(ev.actor))</td></tr>"
        }.joined(separator: "\n")
        let photos = d.photos.map { p in
            "<figure><a href=\"/api/photos/\(p.number)\"><img src=\"/api/photos/\(p.number)\" alt=\"\(e(p.name))\"></a><figcaption>\(e(p.date?.description)) \(e(p.actor))</figcaption></figure>"
        }.joined()
        return layout("\(t("台账条目", "Entry")) \(id)", account: account, csrf: csrf, """
        \(message.map { "<p class=\"error\">\(e($0))</p>" } ?? "")
        <div id="map" class="map small" data-zones="/api/zones.geojson" data-entries="/api/entries.geojson\(e(HTML.query([("id", id)])))" data-tiles="\(e(tiles))" data-fit="entries" data-lang="\(t.language.rawValue)"></div>
        <table class="facts">\(facts.map { "<tr><th>\(e($0.0))</th><td>\(e($0.1))</td></tr>" }.joined())</table>
        \(actions(account: account, csrf: csrf, id: id, state: state, today: today, draft: draft))
        <h3>\(t("处理记录", "History"))</h3>
        <table class="history"><thead><tr><th>\(t("日期", "Date"))</th><th>\(t("事件", "Event"))</th><th>\(t("原因/措施", "Reason"))</th><th>\(t("备注", "Note"))</th><th>\(t("事件后状态", "State after"))</th><th>\(t("操作人", "By"))</th></tr></thead><tbody>\(history)</tbody></table>
        <h3>\(t("照片", "Photos"))</h3><div class="photos">\(photos.isEmpty ? t("无", "none") : photos)</div>
        """)
    }

    /// The forms of the actions the account may take on the entry in its state.
    private func actions(account: LedgerAccount, csrf: String, id: String, state: LedgerState?, today: Day, draft: [String: String]) -> String {
        guard let state else { return "" }
        let token = "<input type=\"hidden\" name=\"csrf_token\" value=\"\(e(csrf))\">"
        let action = "/entries/\(e(id))/"
        let measures = HTML.options(LedgerWorkflow.measures.map { ($0, $0 == "other" ? t("其他", "other") : $0) }, selected: draft["measure"])
        var forms: [String] = []
        if account.may(.report) && (state == .open || state == .suspected) {
            forms.append("""
            <form method="post" action="\(action)report" enctype="multipart/form-data" class="action" id="report-form">\(token)
            <h3>\(t("申请销账", "Report a fix"))</h3>
            <label>\(t("整改措施", "Measure")) <select name="measure">\(measures)</select></label>
            <label>\(t("整改日期", "Date")) <input type="date" name="date" value="\(e(draft["date"] ?? today.description))" max="\(today)"></label>
            <label>\(t("说明", "Note")) <textarea name="note" maxlength="2000">\(e(draft["note"]))</textarea></label>
            <label>\(t("照片(JPEG/PNG, 最多5张, 每张≤10MB)", "Photos (JPEG/PNG, up to 5, 10 MB each)")) <input type="file" name="photo" accept="image/jpeg,image/png" multiple></label>
            <button type="submit">\(t("提交", "Submit"))</button></form>
            """)
        }
        if account.may(.approve) && state == .reported {
            forms.append("""
            <form method="post" action="\(action)approve" class="action" id="approve-form">\(token)<h3>\(t("审核", "Verify"))</h3>
            <label>\(t("说明", "Note")) <input name="note" maxlength="2000"></label><button type="submit">\(t("通过", "Approve"))</button></form>
            <form method="post" action="\(action)reject" class="action" id="reject-form">\(token)
            <label>\(t("退回原因", "Why rejected")) <input name="note" required maxlength="2000"></label><button type="submit">\(t("退回", "Reject"))</button></form>
            """)
        }
        if account.may(.close) && state.isCarried {
            forms.append("""
            <form method="post" action="\(action)close" class="action">\(token)<h3>\(t("直接销账", "Close"))</h3>
            <label>\(t("原因", "Reason")) <select name="reason">\(measures)</select></label>
            <label>\(t("说明", "Note")) <input name="note" maxlength="2000"></label><button type="submit">\(t("销账", "Close"))</button></form>
            """)
        }
        if account.may(.reopen) && state == .closed {
            forms.append("""
            <form method="post" action="\(action)reopen" class="action">\(token)<h3>\(t("重新挂账", "Reopen"))</h3>
            <label>\(t("说明", "Note")) <input name="note" maxlength="2000"></label><button type="submit">\(t("重新挂账", "Reopen"))</button></form>
            """)
        }
        if account.may(.classify) {
            forms.append("""
            <form method="post" action="\(action)classify" class="action" id="classify-form">\(token)<h3>\(t("类型认定", "Classify"))</h3>
            <label>\(t("裸地类型", "Land type")) <input name="class" required maxlength="100"></label>
            <label>\(t("说明", "Note")) <input name="note" maxlength="2000"></label><button type="submit">\(t("保存", "Save"))</button></form>
            """)
        }
        return forms.isEmpty ? "" : "<section class=\"actions\">\(forms.joined(separator: "\n"))</section>"
    }
}
