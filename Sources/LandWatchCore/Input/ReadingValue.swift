import GDALKit

/// A measured value read from a field (a VOCs reading, a station's value): a number, missing
/// (null or blank, skipped and counted, never taken as 0), or an error naming the feature.
enum ReadingValue {
    /// The value as a number; nil when it is missing.
    static func number(_ value: FieldValue?, fid: Int64, field: String, label: String) throws -> Double? {
        guard let value else { return nil }
        switch value {
        case .null: return nil
        case .string(let s) where s.trimmingCharacters(in: .whitespaces).isEmpty: return nil
        default: break
        }
        guard let n = value.number, n.isFinite else {
            throw LandWatchError.data("\(label) feature \(fid) field \"\(field)\": \"\(value)\" is not a number")
        }
        return n
    }

    /// The one warning line for features whose value was missing, or nil when none was.
    static func missingWarning(_ count: Int, field: String, label: String, effect: String) -> String? {
        guard count > 0 else { return nil }
        return "\(label): \(count) \(count == 1 ? "feature has" : "features have") no \"\(field)\" value: \(effect)"
    }
}
