/// The 22 jurisdictions of the sample district, modelled on Beijing's Daxing district: names,
import LandWatchCore
/// official division codes, kind and an approximate seat (WGS84 lon/lat) that seeds each
/// jurisdiction's synthetic territory. The territories are synthetic, not the real borders.
public struct Jurisdiction: Sendable, Hashable {
    public let name: String
    public let code: String
    /// 镇 (town) or 街道 (street).
    public let kind: String
    public let lon: Double
    public let lat: Double
}

public enum DaxingJurisdictions {
    public static let all: [Jurisdiction] = [
        .init(name: "兴丰街道", code: "110115001000", kind: "街道", lon: 116.3380, lat: 39.7345),
        .init(name: "林校路街道", code: "110115002000", kind: "街道", lon: 116.3395, lat: 39.7200),
        .init(name: "清源街道", code: "110115003000", kind: "街道", lon: 116.3324, lat: 39.7506),
        .init(name: "亦庄镇", code: "110115004000", kind: "镇", lon: 116.4758, lat: 39.7989),
        .init(name: "黄村镇", code: "110115005000", kind: "镇", lon: 116.2950, lat: 39.7250),
        .init(name: "旧宫镇", code: "110115006000", kind: "镇", lon: 116.4302, lat: 39.8115),
        .init(name: "西红门镇", code: "110115007000", kind: "镇", lon: 116.3300, lat: 39.7900),
        .init(name: "瀛海镇", code: "110115008000", kind: "镇", lon: 116.4550, lat: 39.7600),
        .init(name: "观音寺街道", code: "110115009000", kind: "街道", lon: 116.3560, lat: 39.7410),
        .init(name: "天宫院街道", code: "110115010000", kind: "街道", lon: 116.3259, lat: 39.6943),
        .init(name: "高米店街道", code: "110115011000", kind: "街道", lon: 116.3102, lat: 39.7643),
        .init(name: "荣华街道", code: "110115012000", kind: "街道", lon: 116.5050, lat: 39.7950),
        .init(name: "博兴街道", code: "110115013000", kind: "街道", lon: 116.5300, lat: 39.7750),
        .init(name: "青云店镇", code: "110115103000", kind: "镇", lon: 116.4956, lat: 39.6848),
        .init(name: "采育镇", code: "110115104000", kind: "镇", lon: 116.6602, lat: 39.6521),
        .init(name: "安定镇", code: "110115105000", kind: "镇", lon: 116.4939, lat: 39.6164),
        .init(name: "礼贤镇", code: "110115106000", kind: "镇", lon: 116.4294, lat: 39.5553),
        .init(name: "榆垡镇", code: "110115107000", kind: "镇", lon: 116.3096, lat: 39.5101),
        .init(name: "庞各庄镇", code: "110115108000", kind: "镇", lon: 116.3172, lat: 39.6341),
        .init(name: "北臧村镇", code: "110115109000", kind: "镇", lon: 116.2566, lat: 39.6850),
        .init(name: "魏善庄镇", code: "110115110000", kind: "镇", lon: 116.4085, lat: 39.6301),
        .init(name: "长子营镇", code: "110115111000", kind: "镇", lon: 116.5906, lat: 39.6849),
    ]
}
