/// An input layer LandWatch cannot read as it stands, for a reason the user fixes by telling it
/// more (an encoding, coordinate columns, a CRS). The binding says what is wrong; how the user
/// tells it (a command-line option, a config key) is for the front end to say.
public struct LayerProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Text that is not UTF-8: the first bad byte, at `offset` in a text file (nil for a
        /// value of a table).
        case notUTF8(byte: UInt8, offset: Int?)
        /// A CSV coordinate column named by the caller that is not there.
        case missingCoordinateColumn(name: String, axis: Axis, columns: [String])
        /// A CSV in which no coordinate columns were found by name.
        case noCoordinateColumns(columns: [String], xNames: [String], yNames: [String])
        /// A layer whose .prj PROJ cannot read.
        case unreadablePRJ
        /// A layer that declares no CRS.
        case noCRS
    }

    public enum Axis: String, Sendable { case x, y }

    /// The file (`"readings.csv"`) or the layer (`"towns.shp" layer "towns"`).
    public let subject: String
    public let kind: Kind

    public init(_ subject: String, _ kind: Kind) {
        self.subject = subject
        self.kind = kind
    }

    /// What is wrong, without advice on how to say more.
    public var description: String {
        switch kind {
        case .notUTF8(let byte, let offset):
            let place = offset.map { "at offset \($0)" } ?? "in a text value"
            return "\(subject) is not UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)) \(place))"
        case .missingCoordinateColumn(let name, let axis, let columns):
            return "\(subject) has no column \"\(name)\" (the \(axis.rawValue) column): its columns are \(columns.joined(separator: ", "))"
        case .noCoordinateColumns(let columns, _, _):
            return "\(subject) has no coordinate columns: its columns are \(columns.joined(separator: ", "))"
        case .unreadablePRJ:
            return "\(subject): its .prj holds a CRS that PROJ cannot read"
        case .noCRS:
            return "\(subject) has no CRS"
        }
    }
}
