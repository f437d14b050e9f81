import GDALKit

/// How LandWatch reads the layers a Chinese district is delivered: text that is neither UTF-8
/// nor labelled is GB18030 (a superset of GBK/CP936, what Chinese Windows saves), CSV
/// coordinates are found under their usual English and Chinese names, and a layer that needs
/// more said about it gets the advice of what to give.
public enum InputPolicy {
    public static let fallbackEncoding = "GB18030"
    public static let xColumnNames = ["lon", "lng", "longitude", "x", "经度"]
    public static let yColumnNames = ["lat", "latitude", "y", "纬度"]

    /// What is wrong with the layer and what the user can give to read it.
    static func advice(for problem: LayerProblem) -> ErrorMessage {
        let what = ErrorMessage(problem.description)
        switch problem.kind {
        case .notUTF8:
            return what + ": give its encoding with \(Setting.encoding) (e.g. GB18030, SHIFT_JIS) to convert it"
        case .missingCoordinateColumn(_, let axis, _):
            return what + "; name the \(axis.rawValue) column with \(axis == .x ? Setting.xField : Setting.yField)"
        case .noCoordinateColumns(_, let xNames, let yNames):
            return what + "; name them with \(Setting.xField) and \(Setting.yField) (found by name: "
                + ErrorMessage(xNames.joined(separator: ", ") + " and " + yNames.joined(separator: ", ") + ")")
        case .unreadablePRJ:
            return what + ": fix the .prj, or give the CRS with @EPSG:n after the path (or \(Setting.assumeCRS))"
        case .noCRS:
            return what + ": give one with \(Setting.assumeCRS) EPSG:4490 (or append @EPSG:n to the path); "
                + "lon/lat taken from a Chinese web map is usually GCJ-02 (@GCJ-02)"
        }
    }
}

extension ReadOptions {
    /// Reading options with LandWatch's policy (`InputPolicy`) and what the user gave.
    public static func landWatch(assumeCRS: String? = nil, encoding: String? = nil,
                                 xField: String? = nil, yField: String? = nil) -> ReadOptions {
        ReadOptions(assumeCRS: assumeCRS, encoding: encoding, xField: xField, yField: yField,
                    fallbackEncoding: InputPolicy.fallbackEncoding,
                    xColumnNames: InputPolicy.xColumnNames, yColumnNames: InputPolicy.yColumnNames)
    }
}
