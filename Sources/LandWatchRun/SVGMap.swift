import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger

/// A map as inline SVG, laid out for an A4 page: the district fills the frame's width (or its
/// height, for a tall one) with the parallel of its centre true to scale; the legend and the
/// scale bar sit in a band below it, never on the map; labels are large enough to read in
/// print (at least 8 pt when the figure spans the page) with a white halo. Paths have one
/// decimal. Pure text; safe to use from any thread.
struct SVGMap {
    /// The frame's width in SVG units; printed across A4 (180 mm), 10 units are about 8.5 pt.
    static let width = 600.0
    static let maxMapHeight = 520.0
    let pad = 12.0
    let extent: Envelope
    let scale: Double
    let cosLat: Double
    /// The drawn district's size and its left offset (centred in the frame).
    let mapWidth: Double, mapHeight: Double, offsetX: Double
    private(set) var body = ""
    private var labels = ""
    private var legendItems: [(symbol: Symbol, text: String)] = []
    private var legendTitle = ""

    /// How a legend entry is drawn: as the map draws that kind of thing.
    enum Symbol {
        case box(String), dot(String), triangle(String), line(String)
    }

    init(extent: Envelope) {
        self.extent = extent
        cosLat = cos(extent.center.y * .pi / 180)
        scale = min((SVGMap.width - 2 * pad) / (extent.width * cosLat), SVGMap.maxMapHeight / extent.height)
        mapWidth = extent.width * cosLat * scale
        mapHeight = extent.height * scale
        offsetX = (SVGMap.width - mapWidth) / 2
    }

    func point(_ c: Coordinate) -> (Double, Double) {
        (offsetX + (c.x - extent.minX) * cosLat * scale, pad + (extent.maxY - c.y) * scale)
    }

    static func f(_ v: Double) -> String { FixedPoint.format(v, decimals: 1) }

    /// The SVG path data of a geometry: polygon rings closed, lines open.
    func pathData(_ g: Geometry) throws -> String {
        func run(_ cs: [Coordinate], close: Bool) -> String {
            cs.enumerated().map { i, c in
                let (x, y) = point(c)
                return (i == 0 ? "M" : "L") + SVGMap.f(x) + " " + SVGMap.f(y)
            }.joined() + (close ? "Z" : "")
        }
        let shape = try g.shape
        if case .lineString(let cs) = shape { return run(cs, close: false) }
        return shape.polygons.flatMap { $0 }.map { run($0, close: true) }.joined()
    }

    mutating func polygon(_ g: Geometry, fill: String, stroke: String = "#555", width w: Double = 0.6, attributes: String = "") throws {
        body += "<path d=\"\(try pathData(g))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(w)\" fill-rule=\"evenodd\"\(attributes)/>\n"
    }

    /// A point drawn as a legend draws it.
    mutating func marker(_ c: Coordinate, _ symbol: Symbol, radius: Double, opacity: Double = 1) {
        let (x, y) = point(c)
        body += SVGMap.symbol(symbol, x: x, y: y, size: radius, opacity: opacity)
    }

    /// A symbol centred on (x, y), `size` its radius.
    static func symbol(_ symbol: Symbol, x: Double, y: Double, size: Double, opacity: Double = 1) -> String {
        let o = opacity < 1 ? " fill-opacity=\"\(opacity)\"" : ""
        switch symbol {
        case .box(let colour):
            return "<rect x=\"\(f(x - size))\" y=\"\(f(y - size * 0.75))\" width=\"\(f(2 * size))\" height=\"\(f(1.5 * size))\" fill=\"\(colour)\" stroke=\"#555\" stroke-width=\"0.5\"/>"
        case .dot(let colour):
            return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(size)\" fill=\"\(colour)\"\(o) stroke=\"#fff\" stroke-width=\"0.5\"/>\n"
        case .triangle(let colour):
            return "<path d=\"M\(f(x)) \(f(y - size))L\(f(x + size)) \(f(y + size))L\(f(x - size)) \(f(y + size))Z\" fill=\"\(colour)\"\(o)/>\n"
        case .line(let colour):
            return "<path d=\"M\(f(x - size)) \(f(y))H\(f(x + size))\" stroke=\"\(colour)\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\"/>"
        }
    }

    /// A label, drawn above everything else on the map.
    mutating func label(_ text: String, at c: Coordinate, size: Double = 11, weight: String = "normal", dy: Double = 0) {
        let (x, y) = point(c)
        labels += "<text x=\"\(SVGMap.f(x))\" y=\"\(SVGMap.f(y + dy))\" font-size=\"\(size)\" font-weight=\"\(weight)\" text-anchor=\"middle\" class=\"label\">\(Markup.escape(text))</text>\n"
    }

    /// Town outlines, filled, with their names (labels go on top of whatever is drawn later).
    mutating func zones(_ zones: Zones, fill: (Zone) -> String, labels: Bool = true) throws {
        for z in zones.zones {
            try polygon(z.geometry, fill: fill(z), stroke: "#444", width: 0.8, attributes: " data-zone=\"\(Markup.escape(z.name))\"")
        }
        guard labels else { return }
        for z in zones.zones {
            let c = try z.geometry.pointOnSurface().shape.coordinates[0]
            label(z.name, at: c, size: 10)
        }
    }

    /// The legend, drawn in the band below the map.
    mutating func legend(_ title: String, _ items: [(symbol: Symbol, text: String)]) {
        legendTitle = title
        legendItems = items
    }

    /// The band below the map: the legend in two columns on the left, the scale bar on the right.
    private var band: (svg: String, height: Double) {
        let rows = (legendItems.count + 1) / 2
        let top = pad + mapHeight + 14
        var s = "<g class=\"legend\"><text x=\"\(pad)\" y=\"\(SVGMap.f(top + 4))\" font-size=\"12\" font-weight=\"bold\">\(Markup.escape(legendTitle))</text>\n"
        for (i, item) in legendItems.enumerated() {
            let x = pad + Double(i / max(rows, 1)) * 190, y = top + 24 + Double(i % max(rows, 1)) * 18
            s += SVGMap.symbol(item.symbol, x: x + 8, y: y - 4, size: 7)
            s += "<text x=\"\(SVGMap.f(x + 22))\" y=\"\(SVGMap.f(y))\" font-size=\"11\">\(Markup.escape(item.text))</text>\n"
        }
        s += "</g>\n"
        // A scale bar of a round number of kilometres.
        let metresPerPixel = 111_320.0 / scale
        let km = [1.0, 2, 5, 10, 20, 50, 100].last { $0 * 1000 <= metresPerPixel * 120 } ?? 1
        let length = km * 1000 / metresPerPixel
        let x0 = SVGMap.width - pad - length, y0 = top + 20
        s += "<g class=\"scale\"><path d=\"M\(SVGMap.f(x0)) \(SVGMap.f(y0 - 6))V\(SVGMap.f(y0))H\(SVGMap.f(x0 + length))V\(SVGMap.f(y0 - 6))\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\"/>"
        s += "<text x=\"\(SVGMap.f(x0 + length / 2))\" y=\"\(SVGMap.f(y0 - 9))\" font-size=\"11\" text-anchor=\"middle\">\(Int(km)) km</text></g>\n"
        return (s, 14 + 24 + Double(max(rows, 1)) * 18 + pad)
    }

    /// A north arrow in the frame's top right corner.
    private var northArrow: String {
        let x = SVGMap.width - pad - 8
        return "<g class=\"north\"><path d=\"M\(SVGMap.f(x - 5)) \(pad + 30)L\(SVGMap.f(x + 5)) \(pad + 30)L\(SVGMap.f(x)) \(pad + 12)Z\" fill=\"#222\"/>"
            + "<text x=\"\(SVGMap.f(x))\" y=\"\(pad + 8)\" font-size=\"11\" text-anchor=\"middle\">N</text></g>\n"
    }

    func svg(title: String) -> String {
        let band = self.band
        let height = pad + mapHeight + band.height
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(SVGMap.width)) \(Int(height.rounded(.up)))\" role=\"img\" aria-label=\"\(Markup.escape(title))\">\n"
            + body + labels + northArrow + band.svg + "</svg>\n"
    }

    /// Five colour classes (yellow to red) with breaks at the quintiles of the values.
    static let ramp = ["#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026"]

    /// Breaks at the quintiles of the values as shown (rounded to `decimals`), so that a town is
    /// coloured by the figure its table prints and the legend's ranges hold it.
    static func classes(_ values: [Double], decimals: Int) -> [Double] {
        let sorted = values.map { FixedPoint.rounded($0, decimals: decimals) }.sorted()
        guard !sorted.isEmpty else { return [] }
        return (1..<5).map { sorted[min(sorted.count - 1, Int(Double(sorted.count) * Double($0) / 5))] }
    }

    /// The colour of a value as shown (rounded to `decimals`).
    static func colour(_ v: Double, breaks: [Double], decimals: Int) -> String {
        let shown = FixedPoint.rounded(v, decimals: decimals)
        return ramp[breaks.firstIndex { shown < $0 } ?? breaks.count]
    }
}
