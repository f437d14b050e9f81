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
    func text(_ cell: Cell, _ language: Language) -> String {
        if cell == .null { return language == .zh ? nullText.zh : nullText.en }
        return cell.text(decimals: decimals)
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
    case json(JSONValue, display: String? = nil)

    public init(_ text: String?) { self = text.map(Cell.text) ?? .null }
}

/// A result table: columns with keys and headers, rows of cells in column order.
public struct Table: Sendable, Equatable {
    public var title: String
    public var columns: [Column]
    public var rows: [[Cell]]

    public init(title: String, columns: [Column], rows: [[Cell]] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// The rows as JSON objects with the columns' keys, in column order.
    public var json: JSONValue {
        .array(rows.map { row in
            .object(zip(columns, row).map { column, cell in (column.key, cell.json(decimals: column.decimals)) })
        })
    }
}

extension Cell {
    func json(decimals: Int) -> JSONValue {
        switch self {
        case .null: return .null
        case .int(let i): return .int(i)
        case .number(let v): return .number(v, decimals: decimals)
        case .text(let s): return .string(s)
        case .json(let v, _): return v
        }
    }

    /// The cell as display text at the column's precision (numbers keep their trailing zeros).
    func text(decimals: Int) -> String {
        switch self {
        case .null: return ""
        case .int(let i): return String(i)
        case .number(let v): return FixedPoint.format(v, decimals: decimals)
        case .text(let s): return s
        case .json(let v, let display): return display ?? v.serialized()
        }
    }

    var isNumeric: Bool {
        switch self {
        case .int, .number: return true
        default: return false
        }
    }
}
