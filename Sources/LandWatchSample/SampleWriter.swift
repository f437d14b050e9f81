import Foundation
import GDALKit
import LandWatchCore

/// Writes a `SampleDistrict` as a real delivery would come: mixed CRSs and formats.
public enum SampleWriter {
    /// The files written, relative to the output folder, in order.
    public static let townsFile = "daxing_towns.gpkg"
    public static let parcelsFile = "sensitive_landuse.geojson"
    public static let plotsFile = "contaminated_plots.gpkg"
    public static let suspectedPlotsFile = "suspected_plots.gpkg"
    public static let readingsFile = "vocs_survey_202610_gcj02.csv"
    public static let enterprisesFile = "enterprises.csv"
    public static let stationsFile = "air_stations.csv"
    public static let airReadingsFile = "air_readings.csv"
    public static func detectionFile(_ date: String) -> String {
        "bare_land_\(date.replacingOccurrences(of: "-", with: "").prefix(6)).shp"
    }

    /// Writes every layer into `folder` (created if needed); returns the names of the files
    /// written, a Shapefile's side files included.
    /// The date stamped into file headers, so that the same seed gives the same bytes.
    static let stamp = "2026-10-31"

    @discardableResult
    public static func write(_ d: SampleDistrict, to folder: String) throws -> [String] {
        try GDALRuntime.withConfig(["OGR_CURRENT_DATE": stamp + "T00:00:00.000Z"]) { try writeFiles(d, to: folder) }
    }

    private static func writeFiles(_ d: SampleDistrict, to folder: String) throws -> [String] {
        try AtomicFile.makeFolder(folder)
        let metric = try CRS(SampleDistrict.metricCRS)
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        var written: [String] = []

        // Towns: GeoPackage in EPSG:4527.
        written += try writeLayer(path(townsFile), layer: "towns", crs: metric, from: metric, kind: .multiPolygon,
                       fields: [.init("name", .string), .init("code", .string), .init("kind", .string)],
                       rows: d.towns.map { ([.string($0.name), .string($0.code), .string($0.kind)], $0.geometry) })

        // Monthly detections: Shapefiles in EPSG:4490 with CP936 text, as vendors deliver them.
        for detection in d.detections {
            let file = detectionFile(detection.date)
            written += try writeLayer(path(file), layer: (file as NSString).deletingPathExtension, crs: CRS.cgcs2000, from: metric,
                           kind: .polygon,
                           fields: [.init("tbbh", .string), .init("lx", .string), .init("mj", .real),
                                    .init("jcrq", .string), .init("bz", .string)],
                           rows: try detection.patches.map { p in
                               let area = (try p.geometry.planarArea() * 10).rounded() / 10
                               return ([.string(p.vendorId), .string(p.type), .real(area), .string(detection.date), .string(p.note)], p.geometry)
                           },
                           options: ["ENCODING": "CP936", "DBF_DATE_LAST_UPDATE": stamp])
        }

        // Sensitive land uses: GeoJSON in EPSG:4326.
        written += try writeLayer(path(parcelsFile), layer: "sensitive_landuse", crs: CRS.wgs84, from: metric, kind: .multiPolygon,
                       fields: [.init("parcel_id", .string), .init("landuse", .string), .init("name", .string)],
                       rows: d.parcels.map { ([.string($0.id), .string($0.landuse), .string($0.name)], $0.geometry) },
                       options: ["COORDINATE_PRECISION": "8"])

        // Contaminated and suspected plots: GeoPackages in EPSG:4527.
        let plotFields: [FieldDefinition] = [.init("plot_id", .string), .init("name", .string), .init("risk", .string), .init("status", .string)]
        func plotRow(_ p: SampleDistrict.Plot) -> ([FieldValue], Geometry) {
            ([.string(p.id), .string(p.name), .string(p.risk), .string(p.status)], p.geometry)
        }
        written += try writeLayer(path(plotsFile), layer: "contaminated_plots", crs: metric, from: metric, kind: .polygon,
                                  fields: plotFields, rows: d.plots.map(plotRow))
        written += try writeLayer(path(suspectedPlotsFile), layer: "suspected_plots", crs: metric, from: metric, kind: .polygon,
                                  fields: plotFields, rows: d.suspectedPlots.map(plotRow))

        // VOCs readings: CSV recorded by the survey app in GCJ-02.
        let toWGS84 = try CoordinateTransform(from: metric, to: CRS.wgs84)
        var csv = "time,lng,lat,tvoc\n"
        for r in d.readings {
            let g = GCJ02.fromWGS84(try toWGS84.transform(r.position))
            csv += "\(r.time),\(String(format: "%.6f", g.x)),\(String(format: "%.6f", g.y)),\(String(format: "%.1f", r.tvoc))\n"
        }
        try AtomicFile.write(csv, to: path(readingsFile))
        written.append(readingsFile)

        // A classified raster of the last month.
        try SampleRaster.write(d, to: path(SampleRaster.file), from: metric)
        written.append(SampleRaster.file)

        // Enterprises: CSV with Chinese column names, WGS84.
        var ent = "名称,行业,经度,纬度\n"
        for e in d.enterprises {
            let p = try toWGS84.transform(e.position)
            ent += "\(e.name),\(e.industry),\(String(format: "%.6f", p.x)),\(String(format: "%.6f", p.y))\n"
        }
        try AtomicFile.write(ent, to: path(enterprisesFile))
        written.append(enterprisesFile)

        // Air-quality stations (CSV, WGS84) and thirteen months of their readings.
        var stations = "station,name,lon,lat\n"
        for st in d.stations {
            let p = try toWGS84.transform(st.position)
            stations += "\(st.id),\(st.name),\(String(format: "%.6f", p.x)),\(String(format: "%.6f", p.y))\n"
        }
        try AtomicFile.write(stations, to: path(stationsFile))
        try AtomicFile.write(d.airReadings, to: path(airReadingsFile))
        written += [stationsFile, airReadingsFile]
        return written
    }

    private static func writeLayer(_ path: String, layer: String, crs: CRS, from source: CRS, kind: GeometryKind,
                                   fields: [FieldDefinition], rows: [([FieldValue], Geometry)],
                                   options: [String: String] = [:]) throws -> [String] {
        let transform = try CoordinateTransform(from: source, to: crs)
        let writer = try VectorWriter(path: path)
        let out = try writer.addLayer(layer, crs: crs, geometryKind: kind, fields: fields, options: options)
        let inTransaction = out.startTransaction()
        for (values, geometry) in rows {
            var g = try transform.transform(geometry)
            if kind == .multiPolygon, g.kind == .polygon { g = try Geometry(shape: .multiPolygon(g.shape.polygons)) }
            try out.insert(values, geometry: g)
        }
        if inTransaction { try out.commitTransaction() }
        return try writer.commit().map { ($0 as NSString).lastPathComponent }
    }
}
