import Foundation
import GDALKit

/// A map as inline SVG: lon/lat drawn with the parallel of the centre true to scale, paths with
/// one decimal, a legend, a scale bar and labels. Pure text; safe to use from any thread.
struct SVGMap {
    let width = 760.0, height = 560.0, pad = 16.0
    let extent: Envelope
    let scale: Double
    let cosLat: Double
    private(set) var body = ""

    init(extent: Envelope) {
        self.extent = extent
        cosLat = cos(extent.center.y * .pi / 180)
        scale = min((width - 2 * pad) / (extent.width * cosLat), (height - 2 * pad - 40) / extent.height)
    }

    func point(_ c: Coordinate) -> (Double, Double) {
        (pad + (c.x - extent.minX) * cosLat * scale, pad + (extent.maxY - c.y) * scale)
    }

    static func f(_ v: Double) -> String { FixedPoint.format(v, decimals: 1) }

    /// The SVG path data of a geometry: polygon rings closed, lines open.
    func pathData(_ g: Geometry) -> String {
        func run(_ cs: [Coordinate], close: Bool) -> String {
            cs.enumerated().map { i, c in
                let (x, y) = point(c)
                return (i == 0 ? "M" : "L") + SVGMap.f(x) + " " + SVGMap.f(y)
            }.joined() + (close ? "Z" : "")
        }
        let shape = g.shape
        if case .lineString(let cs) = shape { return run(cs, close: false) }
        return shape.polygons.flatMap { $0 }.map { run($0, close: true) }.joined()
    }

    mutating func polygon(_ g: Geometry, fill: String, stroke: String = "#555", width w: Double = 0.6, attributes: String = "") {
        body += "<path d=\"\(pathData(g))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(w)\" fill-rule=\"evenodd\"\(attributes)/>\n"
    }

    mutating func marker(_ c: Coordinate, radius: Double, fill: String, shape: String = "circle") {
        let (x, y) = point(c)
        if shape == "triangle" {
            body += "<path d=\"M\(SVGMap.f(x)) \(SVGMap.f(y - radius))L\(SVGMap.f(x + radius)) \(SVGMap.f(y + radius))L\(SVGMap.f(x - radius)) \(SVGMap.f(y + radius))Z\" fill=\"\(fill)\"/>\n"
        } else {
            body += "<circle cx=\"\(SVGMap.f(x))\" cy=\"\(SVGMap.f(y))\" r=\"\(radius)\" fill=\"\(fill)\" stroke=\"#fff\" stroke-width=\"0.5\"/>\n"
        }
    }

    mutating func label(_ text: String, at c: Coordinate, size: Double = 10, weight: String = "normal", dy: Double = 0) {
        let (x, y) = point(c)
        body += "<text x=\"\(SVGMap.f(x))\" y=\"\(SVGMap.f(y + dy))\" font-size=\"\(size)\" font-weight=\"\(weight)\" text-anchor=\"middle\" class=\"label\">\(Markup.escape(text))</text>\n"
    }

    /// Town outlines, filled, with their names.
    mutating func zones(_ zones: Zones, fill: (Zone) -> String, labels: Bool = true) throws {
        for z in zones.zones {
            polygon(z.geometry, fill: fill(z), stroke: "#444", width: 0.8, attributes: " data-zone=\"\(Markup.escape(z.name))\"")
        }
        guard labels else { return }
        for z in zones.zones {
            let c = try z.geometry.pointOnSurface().shape.coordinates[0]
            label(z.name, at: c, size: 9)
        }
    }

    /// A legend of coloured boxes, bottom left.
    mutating func legend(_ title: String, _ items: [(colour: String, text: String)]) {
        var y = height - 18.0 * Double(items.count) - 26
        body += "<g class=\"legend\"><text x=\"\(pad)\" y=\"\(SVGMap.f(y))\" font-size=\"11\" font-weight=\"bold\">\(Markup.escape(title))</text>\n"
        for item in items {
            y += 18
            body += "<rect x=\"\(pad)\" y=\"\(SVGMap.f(y - 10))\" width=\"16\" height=\"12\" fill=\"\(item.colour)\" stroke=\"#555\" stroke-width=\"0.5\"/>"
            body += "<text x=\"\(pad + 22)\" y=\"\(SVGMap.f(y))\" font-size=\"10\">\(Markup.escape(item.text))</text>\n"
        }
        body += "</g>\n"
    }

    /// A scale bar of a round number of kilometres, bottom right, and a north arrow.
    mutating func scaleBar() {
        let metresPerPixel = 111_320.0 / scale
        let target = metresPerPixel * 120
        let km = [1.0, 2, 5, 10, 20, 50, 100].last { $0 * 1000 <= target } ?? 1
        let length = km * 1000 / metresPerPixel
        let x0 = width - pad - length, y0 = height - pad
        body += "<g class=\"scale\"><path d=\"M\(SVGMap.f(x0)) \(SVGMap.f(y0 - 6))V\(SVGMap.f(y0))H\(SVGMap.f(x0 + length))V\(SVGMap.f(y0 - 6))\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\"/>"
        body += "<text x=\"\(SVGMap.f(x0 + length / 2))\" y=\"\(SVGMap.f(y0 - 9))\" font-size=\"10\" text-anchor=\"middle\">\(Int(km)) km</text>"
        body += "<path d=\"M\(SVGMap.f(width - pad - 10)) \(pad + 30)L\(SVGMap.f(width - pad - 4)) \(pad + 30)L\(SVGMap.f(width - pad - 7)) \(pad + 14)Z\" fill=\"#222\"/>"
        body += "<text x=\"\(SVGMap.f(width - pad - 7))\" y=\"\(pad + 10)\" font-size=\"10\" text-anchor=\"middle\">N</text></g>\n"
    }

    func svg(title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Markup.escape(title))\">\n"
            + body + "</svg>\n"
    }

    /// Five colour classes (yellow to red) with breaks at the quintiles of the values.
    static let ramp = ["#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026"]

    static func classes(_ values: [Double]) -> [Double] {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return [] }
        return (1..<5).map { sorted[min(sorted.count - 1, Int(Double(sorted.count) * Double($0) / 5))] }
    }

    static func colour(_ v: Double, breaks: [Double]) -> String {
        ramp[breaks.firstIndex { v < $0 } ?? breaks.count]
    }
}
