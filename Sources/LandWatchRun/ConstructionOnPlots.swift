import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger

/// Bare land on contaminated and suspected plots (the plan, soil: 动态监测疑似污染地块、污染地块的
/// 违法违规开工建设情况): this month's detections of every class intersected with the plots, each
/// detection named by the ledger entry it belongs to, so that a patch new this month stands out.
/// One row per (plot, ledger entry): a vendor's duplicate or the pieces of a split patch on one
/// plot are one row, their pieces dissolved and measured again.
public struct ConstructionOnPlots: Sendable {
    /// The detection class of construction sites, flagged in the bulletin.
    public static let constructionClass = "施工工地"
    /// Risk levels from the highest, as the plots' registers write them.
    public static let riskOrder = ["高", "较高", "中", "较低", "低", "high", "medium", "low"]

    public struct Row: Sendable {
        /// The plot's id and which layer it is on (`contaminated` or `suspected`).
        public let plot: String
        public let layer: String
        public let risk: String?
        /// The ledger entry (nil when the run keeps no ledger, or no entry seen this month holds it).
        public let patch: String?
        public let className: String?
        /// Ellipsoidal m² of bare land on the plot, and its share of the plot in per cent.
        public let overlap: Double
        public let plotShare: Double
        /// When the entry was first seen, and whether that is this month (nil without a ledger).
        public let firstSeen: Day?
        public let isNew: Bool?
        /// The bare land on the plot (lon/lat).
        public let geometry: Geometry
        /// The first detection making it up (its id or feature number), which orders rows that tie.
        let detection: String

        public var isConstruction: Bool { className == ConstructionOnPlots.constructionClass }
    }

    public let rows: [Row]

    /// The rows from the overlaps of each plot layer with this month's detections (computed with
    /// geometry kept), the risk read from each plot's first kept field, and the ledger entries
    /// seen this month in the overlaps' CRS (nil without a ledger). New patches on high-risk
    /// plots come first.
    public static func find(_ layers: [(name: String, overlap: OverlapResult)], entries: [LedgerEntry]?, month: Month,
                            areas: EllipsoidalArea) throws -> ConstructionOnPlots {
        let matcher = try entries.map(EntryMatcher.init)
        var rows: [Row] = []
        for (layer, result) in layers {
            var groups: [GroupKey: [OverlapPair]] = [:]
            for pair in result.pairs where pair.overlap > 0 && pair.piece != nil {
                let patch = try matcher?.entry(for: pair.parcelGeometry)
                groups[GroupKey(plot: pair.plotIndex, patch: patch, parcel: pair.parcel), default: []].append(pair)
            }
            for (key, members) in groups.sorted(by: { ($0.key.plot, $0.key.patch ?? "", $0.key.parcel) < ($1.key.plot, $1.key.patch ?? "", $1.key.parcel) }) {
                rows.append(try row(layer: layer, plot: result.plots[key.plot], members: members,
                                    entry: key.patch.flatMap { matcher?.byId[$0] }, month: month, areas: areas))
            }
        }
        return ConstructionOnPlots(rows: rows.sorted(by: precedes))
    }

    /// One (plot, entry): a single piece as measured, several dissolved and measured again.
    private static func row(layer: String, plot: PlotSummary, members: [OverlapPair], entry: LedgerEntry?, month: Month,
                            areas: EllipsoidalArea) throws -> Row {
        let first = members[0]
        let plotArea = first.plotShare > 0 ? 100 * first.overlap / first.plotShare : areas.area(plot.geometry)
        var geometry = first.piece!, overlap = first.overlap
        if members.count > 1 {
            geometry = try Geometry.union(members.compactMap(\.piece)).polygonalPart()
            overlap = areas.area(geometry)
        }
        let classes = Set(members.compactMap(\.className))
        let className = classes.contains(constructionClass) ? constructionClass : classes.sorted().first
        let risk = plot.kept.first.flatMap { $0.isNull ? nil : $0.description }
        return Row(plot: first.plot, layer: layer, risk: risk, patch: entry?.id, className: className,
                   overlap: overlap, plotShare: plotArea > 0 ? 100 * overlap / plotArea : 0,
                   firstSeen: entry?.firstSeen, isNew: entry.map { $0.firstSeen >= month.firstDay }, geometry: geometry,
                   detection: members.map(\.parcel).min() ?? "")
    }

    /// New patches first, then higher risk, then the larger bare area, then plot and patch.
    static func precedes(_ a: Row, _ b: Row) -> Bool {
        func rank(_ r: Row) -> Int { r.risk.flatMap { riskOrder.firstIndex(of: $0.lowercased()) } ?? riskOrder.count }
        let ka = (a.isNew == true ? 0 : 1, rank(a)), kb = (b.isNew == true ? 0 : 1, rank(b))
        if ka != kb { return ka < kb }
        if a.overlap != b.overlap { return a.overlap > b.overlap }
        return (a.layer, a.plot, a.patch ?? "", a.detection) < (b.layer, b.plot, b.patch ?? "", b.detection)
    }

    private struct GroupKey: Hashable {
        let plot: Int
        /// The entry, or without one the detection itself.
        let patch: String?
        let parcel: String

        init(plot: Int, patch: String?, parcel: String) {
            self.plot = plot
            self.patch = patch
            self.parcel = patch == nil ? parcel : ""
        }
    }

    /// Finds the ledger entry a detection belongs to: of the entries seen this month, the one
    /// its outline overlaps most (ties to the smaller id).
    private struct EntryMatcher {
        let entries: [LedgerEntry]
        let byId: [String: LedgerEntry]
        let tree: STRTree

        init(_ entries: [LedgerEntry]) throws {
            self.entries = entries.sorted { $0.id < $1.id }
            byId = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            tree = STRTree(self.entries.map(\.geometry.envelope))
        }

        func entry(for detection: Geometry?) throws -> String? {
            guard let detection else { return nil }
            var best: (area: Double, id: String)?
            for k in tree.query(detection.envelope) {
                let area = try entries[k].geometry.intersection(detection).planarArea()
                if area > 0, best.map({ area > $0.area }) ?? true { best = (area, entries[k].id) }
            }
            return best?.id
        }
    }
}
