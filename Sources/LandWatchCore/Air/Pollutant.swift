/// The pollutants towns are ranked on, with GB 3095-2012's rules on statistical validity
/// (table 4, 污染物浓度数据有效性的最低要求) and the plan's dustfall target.
public enum Pollutant: String, CaseIterable, Sendable {
    case pm25, pm10, tsp, dustfall

    /// µg/m³, or t/(km²·30 d) for dustfall (降尘).
    public var unit: String { self == .dustfall ? "t/(km²·30d)" : "μg/m³" }

    /// As tables name it: PM2.5, PM10, TSP, 降尘.
    public var label: String {
        switch self {
        case .pm25: return "PM2.5"
        case .pm10: return "PM10"
        case .tsp: return "TSP"
        case .dustfall: return "降尘"
        }
    }

    /// Decimals a figure is printed (and ranked) at.
    public var decimals: Int { self == .dustfall ? 2 : 1 }

    /// Whether values are daily (or hourly) rather than one per month.
    var isDaily: Bool { self != .dustfall }

    /// Hourly values a day needs for its 24-hour mean: 20 for PM2.5 and PM10, a full 24 hours of
    /// sampling for TSP.
    var hoursForADay: Int { self == .tsp ? 24 : 20 }

    /// Valid daily means a month needs: 27 for PM2.5 and PM10 (25 in February), 5 for TSP;
    /// dustfall is one sample a month.
    func daysForAMonth(_ month: Month) -> Int {
        switch self {
        case .pm25, .pm10: return month.month == 2 ? 25 : 27
        case .tsp: return 5
        case .dustfall: return 1
        }
    }

    /// The plan's dustfall target, t/(km²·30 d): dustfall's target unless another is given.
    public static let planDustfallTarget = 5.1

    /// The plan's default target: dustfall's; none for the others.
    var defaultTarget: Double? { self == .dustfall ? Self.planDustfallTarget : nil }
}
