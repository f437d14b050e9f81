/// The type of an attribute field.
public enum FieldType: String, Sendable, Hashable {
    case integer, integer64, real, string, date, dateTime, time, binary, other

    /// A short lower-case name for listings (`integer`, `real`, `string` …).
    public var name: String { rawValue }
}

/// A field of a layer's schema.
public struct FieldDefinition: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    /// Digits after the decimal point of a real field, for formats that store numbers as text
    /// (a Shapefile's DBF); nil leaves the driver's default.
    public var decimals: Int?

    public init(_ name: String, _ type: FieldType, decimals: Int? = nil) {
        self.name = name
        self.type = type
        self.decimals = decimals
    }
}

/// A layer's fields, in order, with lookup by name.
public struct Schema: Sendable, Hashable {
    public let fields: [FieldDefinition]
    private let indexByName: [String: Int]

    public init(_ fields: [FieldDefinition]) {
        self.fields = fields
        var index: [String: Int] = [:]
        for (i, f) in fields.enumerated() where index[f.name] == nil { index[f.name] = i }
        indexByName = index
    }

    public var names: [String] { fields.map(\.name) }

    /// The index of a field, matching exactly, then case-insensitively.
    public func index(of name: String) -> Int? {
        if let i = indexByName[name] { return i }
        return fields.firstIndex { $0.name.lowercased() == name.lowercased() }
    }
}

/// An attribute value copied out of GDAL.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case string(String)

    /// The value as text (empty for null), integers without a decimal point.
    public var description: String {
        switch self {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .string(let s): return s
        }
    }

    /// The value as a number, parsing text; nil for null or text that is not a number.
    public var number: Double? {
        switch self {
        case .null: return nil
        case .integer(let v): return Double(v)
        case .real(let v): return v
        case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces))
        }
    }

    public var isNull: Bool { self == .null }
}

/// A feature copied out of a layer as a plain value: no C handle behind it.
public struct Feature: Sendable {
    /// GDAL's feature id (for Shapefiles, 0-based record number).
    public let fid: Int64
    public let schema: Schema
    public let values: [FieldValue]
    public var geometry: Geometry?
    /// The geometry's vertices instead of `geometry`, for features read only to be measured
    /// against (see `Layer.forEach(outlineOnly:)`); nil otherwise.
    public var outline: Outline?

    public init(fid: Int64, schema: Schema, values: [FieldValue], geometry: Geometry?, outline: Outline? = nil) {
        self.fid = fid
        self.schema = schema
        self.values = values
        self.geometry = geometry
        self.outline = outline
    }

    /// The value of a field by name; nil when the layer has no such field.
    public subscript(field: String) -> FieldValue? {
        schema.index(of: field).map { values[$0] }
    }
}

import Foundation
