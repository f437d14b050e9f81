/// The language of human-facing headers. JSON keys stay English.
public enum Language: String, Sendable, CaseIterable {
    case en, zh
}

/// A column: its JSON key, its headers in English and Chinese, and its number precision.
public struct Column: Sendable, Equatable {
    public let key: String
    public let en: String
    public let zh: String
    /// Digits after the decimal point for numbers in this column.
    public let decimals: Int
    /// What people see for a null in this column (JSON keeps null), in English and Chinese.
    public let nullText: (en: String, zh: String)

    public init(_ key: String, en: String, zh: String, decimals: Int = 2, nullText: (en: String, zh: String) = ("", "")) {
        self.key = key
        self.en = en
        self.zh = zh
        self.decimals = decimals
        self.nullText = nullText
    }

    public func header(_ language: Language) -> String { language == .zh ? zh : en }

    /// A cell as people read it in this column.
    public func text(_ cell: Cell, _ language: Language) -> String {
        switch cell {
        case .null: return language == .zh ? nullText.zh : nullText.en
        case .term(let en, let zh): return language == .zh ? zh : en
        case .flag(let on): return on ? (language == .zh ? "是" : "yes") : ""
        default: return cell.text(decimals: decimals)
        }
    }

    public static func == (a: Column, b: Column) -> Bool {
        a.key == b.key && a.en == b.en && a.zh == b.zh && a.decimals == b.decimals && a.nullText == b.nullText
    }
}

/// One value of a table.
public enum Cell: Sendable, Equatable {
    case null
    case int(Int)
    case number(Double)
    case text(String)
    /// A nested value: JSON writes it as is, other formats show `display` (or its compact JSON).
    /// (This case and `term` are boxed, so that a cell takes no more room than a string: a
    /// million rows of them are held at once.)
    indirect case json(JSONValue, display: String? = nil)
    /// A term of LandWatch's vocabulary (a state, an event): JSON and English tables show the
    /// English term, Chinese tables the Chinese one.
    indirect case term(String, zh: String)
    /// Yes or no: JSON true or false; tables show "yes" (是) or nothing.
    case flag(Bool)

    public init(_ text: String?) { self = text.map(Cell.text) ?? .null }
}

/// A result table: columns with keys and headers, rows of cells in column order.
public struct Table: Sendable, Equatable {
    /// The English title: JSON keys of several tables, English sheet names.
    public var title: String
    /// The Chinese title: sheet names and captions in Chinese.
    public var zhTitle: String
    public var columns: [Column]
    public var rows: [[Cell]]

    public init(title: String, zh: String, columns: [Column], rows: [[Cell]] = []) {
        self.title = title
        self.zhTitle = zh
        self.columns = columns
        self.rows = rows
    }

    public func title(_ language: Language) -> String { language == .zh ? zhTitle : title }

    /// The rows as JSON objects with the columns' keys, in column order.
    public var json: JSONValue {
        .array(rows.map { row in
            .object(zip(columns, row).map { column, cell in (column.key, cell.json(decimals: column.decimals)) })
        })
    }
}

extension Cell {
    public func json(decimals: Int) -> JSONValue {
        switch self {
        case .null: return .null
        case .int(let i): return .int(i)
        case .number(let v): return .number(v, decimals: decimals)
        case .text(let s): return .string(s)
        case .json(let v, _): return v
        case .term(let en, _): return .string(en)
        case .flag(let on): return .bool(on)
        }
    }

    /// The cell as display text at the column's precision (numbers keep their trailing zeros).
    func text(decimals: Int) -> String {
        switch self {
        case .null: return ""
        case .int(let i): return String(i)
        case .number(let v): return FixedPoint.format(v, decimals: decimals)
        case .text(let s), .term(let s, _): return s
        case .json(let v, let display): return display ?? v.serialized()
        case .flag(let on): return on ? "yes" : ""
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .int, .number: return true
        default: return false
        }
    }
}
