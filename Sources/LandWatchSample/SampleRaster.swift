import Foundation
import GDALKit
import LandWatchCore

/// A small classified satellite raster of the district, as a vendor's bare-land classification
/// delivers it: EPSG:4490, 0.0005° × 0.0004° pixels (about 43 m × 44 m), Byte classes
/// 1 bare soil (裸土), 2 vegetation, 3 construction bare land (施工裸地), 4 built-up; 0 outside.
enum SampleRaster {
    static let file = "bare_class_202610.tif"
    static let pixel = (lon: 0.0005, lat: 0.0004)

    static func write(_ d: SampleDistrict, to path: String, from metric: CRS) throws {
        let toLonLat = try CoordinateTransform(from: metric, to: CRS.cgcs2000)
        let outline = try toLonLat.transform(d.outline)
        let e = outline.envelope
        let x0 = (e.minX / pixel.lon).rounded(.down) * pixel.lon, y0 = (e.maxY / pixel.lat).rounded(.up) * pixel.lat
        let width = Int(((e.maxX - x0) / pixel.lon).rounded(.up)), height = Int(((y0 - e.minY) / pixel.lat).rounded(.up))
        let gt = [x0, pixel.lon, 0, y0, 0, -pixel.lat]
        let grid = PixelGrid(gt)
        var values = [UInt8](repeating: 0, count: width * height)
        func paint(_ g: Geometry, _ value: UInt8) throws {
            for rings in try g.shape.polygons {
                let pixelRings = rings.map { $0.map(grid.pixel) }
                let ys = pixelRings.joined().map(\.y)
                guard let lo = ys.min(), let hi = ys.max() else { continue }
                let first = max(0, Int(lo)), last = min(height, Int(hi.rounded(.up)))
                guard first < last else { continue }
                for r in first..<last {
                    for c in PixelGrid.centresInside(pixelRings, row: r, cols: 0..<width) { values[r * width + c] = value }
                }
            }
        }
        try paint(outline, 2)
        for parcel in d.parcels where parcel.landuse == "居住用地" { try paint(toLonLat.transform(parcel.geometry), 4) }
        for patch in d.detections.last?.patches ?? [] {
            try paint(toLonLat.transform(patch.geometry.isValid ? patch.geometry : patch.geometry.makeValid()),
                  patch.type == "施工工地" ? 3 : 1)
        }
        // Nothing outside the district, whatever the patches covered.
        var inside = [Bool](repeating: false, count: width * height)
        for rings in try outline.shape.polygons {
            let pixelRings = rings.map { $0.map(grid.pixel) }
            for r in 0..<height { for c in PixelGrid.centresInside(pixelRings, row: r, cols: 0..<width) { inside[r * width + c] = true } }
        }
        for i in values.indices where !inside[i] { values[i] = 0 }
        try Raster.writeByteGeoTIFF(path, width: width, height: height, geoTransform: gt, crs: CRS.cgcs2000,
                                    noData: 0, values: values)
    }
}
