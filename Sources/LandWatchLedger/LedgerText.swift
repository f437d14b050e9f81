/// The limits on text people type into the ledger, the same for the pages, the API and the
/// command line: a note 2,000 characters, a reason or measure 200, a class 100, an account name
/// 64, a password 8 to 256 (and at most 72 bytes when set: bcrypt reads no further). No control
/// character but tab, line feed and carriage return (a text area's line ends) anywhere; none at
/// all in a name, a class, a reason or a password.
public enum LedgerText {
    /// A kind of text and its longest length in characters.
    public struct Field: Sendable, Equatable {
        public let name: String
        public let limit: Int
        /// Whether tabs and line ends may stand in it.
        public let multiline: Bool

        public static let note = Field(name: "note", limit: 2_000, multiline: true)
        public static let reason = Field(name: "reason", limit: 200, multiline: false)
        public static let measure = Field(name: "measure", limit: 200, multiline: false)
        public static let className = Field(name: "class", limit: 100, multiline: false)
        public static let accountName = Field(name: "account name", limit: 64, multiline: false)
        public static let password = Field(name: "password", limit: 256, multiline: false)
        /// Anything else a request carries (a filter, an id, a zone).
        public static let value = Field(name: "value", limit: 200, multiline: false)
    }

    /// The shortest password taken.
    public static let minimumPassword = 8

    /// Why `text` cannot be kept as `field`, or nil when it can.
    public static func problem(_ text: String, as field: Field) -> String? {
        if text.count > field.limit { return "the \(field.name) is \(text.count) characters long (at most \(field.limit))" }
        let allowed: Set<Unicode.Scalar> = field.multiline ? ["\t", "\n", "\r"] : []
        if text.unicodeScalars.contains(where: { isControl($0) && !allowed.contains($0) }) {
            return "the \(field.name) holds a control character (U+\(hex(text.unicodeScalars.first { isControl($0) && !allowed.contains($0) }!)))"
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
