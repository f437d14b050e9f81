import LandWatchCore

/// The limits on text people type into the ledger, the same for the pages, the API and the
/// command line: a note 2,000 characters, a reason or measure 200, a class 100, an account name
/// 64, a password 8 to 256 (and at most 72 bytes when set: bcrypt reads no further). No control
/// character but tab, line feed and carriage return (a text area's line ends) anywhere; none at
/// all in a name, a class, a reason or a password.
public enum LedgerText {
    /// A kind of text and its longest length in characters.
    public struct Field: Sendable, Equatable {
        public let name: String
        public let chinese: String
        public let limit: Int
        /// Whether tabs and line ends may stand in it.
        public let multiline: Bool

        public static let note = Field(name: "note", chinese: "备注", limit: 2_000, multiline: true)
        public static let reason = Field(name: "reason", chinese: "原因", limit: 200, multiline: false)
        public static let measure = Field(name: "measure", chinese: "整改措施", limit: 200, multiline: false)
        public static let className = Field(name: "class", chinese: "类型", limit: 100, multiline: false)
        public static let accountName = Field(name: "account name", chinese: "账号", limit: 64, multiline: false)
        public static let password = Field(name: "password", chinese: "密码", limit: 256, multiline: false)
        /// Anything else a request carries (a filter, an id, a zone).
        public static let value = Field(name: "value", chinese: "参数", limit: 200, multiline: false)
    }

    /// The shortest password taken.
    public static let minimumPassword = 8

    /// Why `text` cannot be kept as `field`, or nil when it can.
    public static func problem(_ text: String, as field: Field) -> Bilingual? {
        if text.count > field.limit {
            return Bilingual(en: "the \(field.name) is \(text.count) characters long (at most \(field.limit))",
                             zh: "\(field.chinese)有 \(text.count) 个字符（最多 \(field.limit) 个）")
        }
        let allowed: Set<Unicode.Scalar> = field.multiline ? ["\t", "\n", "\r"] : []
        if let bad = text.unicodeScalars.first(where: { isControl($0) && !allowed.contains($0) }) {
            return Bilingual(en: "the \(field.name) holds a control character (U+\(hex(bad)))", zh: "\(field.chinese)含控制字符（U+\(hex(bad))）")
        }
        return nil
    }

    /// C0 and C1 control characters and DEL.
    static func isControl(_ s: Unicode.Scalar) -> Bool { s.value < 0x20 || (0x7F...0x9F).contains(s.value) }

    private static func hex(_ s: Unicode.Scalar) -> String {
        let digits = String(s.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
