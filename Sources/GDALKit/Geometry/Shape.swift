import Foundation

/// A position: x is longitude or easting, y is latitude or northing.
public struct Coordinate: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// An axis-aligned bounding box.
public struct Envelope: Sendable, Hashable {
    public var minX, minY, maxX, maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The envelope of nothing: it intersects nothing and extends to whatever is added.
    public static let empty = Envelope(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    public var isEmpty: Bool { minX > maxX || minY > maxY }
    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var center: Coordinate { Coordinate((minX + maxX) / 2, (minY + maxY) / 2) }

    public func intersects(_ o: Envelope) -> Bool {
        !(o.minX > maxX || o.maxX < minX || o.minY > maxY || o.maxY < minY)
    }

    public func contains(_ o: Envelope) -> Bool {
        o.minX >= minX && o.maxX <= maxX && o.minY >= minY && o.maxY <= maxY
    }

    public func union(_ o: Envelope) -> Envelope {
        Envelope(minX: min(minX, o.minX), minY: min(minY, o.minY), maxX: max(maxX, o.maxX), maxY: max(maxY, o.maxY))
    }

    public func expanded(by d: Double) -> Envelope {
        Envelope(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }

    public mutating func add(_ c: Coordinate) {
        minX = min(minX, c.x); minY = min(minY, c.y)
        maxX = max(maxX, c.x); maxY = max(maxY, c.y)
    }
}

/// A geometry's coordinates as plain Swift values (2D), for rendering and for building
/// geometries from code. Polygons are lists of closed rings, the shell first.
public indirect enum Shape: Sendable, Hashable {
    case point(Coordinate)
    case lineString([Coordinate])
    case polygon([[Coordinate]])
    case multiPoint([Coordinate])
    case multiLineString([[Coordinate]])
    case multiPolygon([[[Coordinate]]])
    case collection([Shape])

    /// The polygons of a polygonal shape (a collection contributes its polygonal members).
    public var polygons: [[[Coordinate]]] {
        switch self {
        case .polygon(let rings): return [rings]
        case .multiPolygon(let polys): return polys
        case .collection(let parts): return parts.flatMap(\.polygons)
        default: return []
        }
    }

    /// Every coordinate sequence (rings, lines, single points) with the same function applied.
    public func mapRings(_ f: ([Coordinate]) throws -> [Coordinate]) rethrows -> Shape {
        switch self {
        case .point(let c): return .point(try f([c])[0])
        case .lineString(let cs): return .lineString(try f(cs))
        case .polygon(let rings): return .polygon(try rings.map(f))
        case .multiPoint(let cs): return .multiPoint(try f(cs))
        case .multiLineString(let ls): return .multiLineString(try ls.map(f))
        case .multiPolygon(let ps): return .multiPolygon(try ps.map { try $0.map(f) })
        case .collection(let parts): return .collection(try parts.map { try $0.mapRings(f) })
        }
    }

    /// All coordinates, in order.
    public var coordinates: [Coordinate] {
        var out: [Coordinate] = []
        _ = mapRings { out.append(contentsOf: $0); return $0 }
        return out
    }
}

/// Little-endian ISO WKB, 2D, for moving shapes in and out of GEOS.
enum WKB {
    static func encode(_ shape: Shape) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(shape, into: &out)
        return out
    }

    private static func write(_ shape: Shape, into out: inout [UInt8]) {
        func header(_ type: UInt32) { out.append(1); append(type, &out) }
        func coords(_ cs: [Coordinate]) {
            append(UInt32(cs.count), &out)
            for c in cs { append(c.x.bitPattern, &out); append(c.y.bitPattern, &out) }
        }
        func rings(_ rs: [[Coordinate]]) {
            append(UInt32(rs.count), &out)
            for r in rs { coords(r) }
        }
        switch shape {
        case .point(let c):
            header(1); append(c.x.bitPattern, &out); append(c.y.bitPattern, &out)
        case .lineString(let cs): header(2); coords(cs)
        case .polygon(let rs): header(3); rings(rs)
        case .multiPoint(let cs):
            header(4); append(UInt32(cs.count), &out)
            for c in cs { write(.point(c), into: &out) }
        case .multiLineString(let ls):
            header(5); append(UInt32(ls.count), &out)
            for l in ls { write(.lineString(l), into: &out) }
        case .multiPolygon(let ps):
            header(6); append(UInt32(ps.count), &out)
            for p in ps { write(.polygon(p), into: &out) }
        case .collection(let parts):
            header(7); append(UInt32(parts.count), &out)
            for p in parts { write(p, into: &out) }
        }
    }

    private static func append<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    struct DecodeError: Error {}

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Shape {
        var reader = Reader(bytes: bytes)
        return try reader.shape()
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0
        var little = true

        mutating func u32() throws -> UInt32 {
            guard offset + 4 <= bytes.count else { throw DecodeError() }
            var v: UInt32 = 0
            withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 4])) }
            offset += 4
            return little ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
        }

        mutating func f64() throws -> Double {
            guard offset + 8 <= bytes.count else { throw DecodeError() }
            var v: UInt64 = 0
            withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 8])) }
            offset += 8
            return Double(bitPattern: little ? UInt64(littleEndian: v) : UInt64(bigEndian: v))
        }

        mutating func coordinate(dims: Int) throws -> Coordinate {
            let c = Coordinate(try f64(), try f64())
            for _ in 2..<dims { _ = try f64() }
            return c
        }

        mutating func sequence(dims: Int) throws -> [Coordinate] {
            let n = Int(try u32())
            guard n <= (bytes.count - offset) / (8 * dims) else { throw DecodeError() }
            var out: [Coordinate] = []
            out.reserveCapacity(n)
            for _ in 0..<n { out.append(try coordinate(dims: dims)) }
            return out
        }

        mutating func shape() throws -> Shape {
            guard offset < bytes.count else { throw DecodeError() }
            little = bytes[offset] == 1
            offset += 1
            var type = try u32()
            var dims = 2
            // EWKB flags and ISO Z/M/ZM ranges.
            if type & 0x8000_0000 != 0 { dims += 1 }
            if type & 0x4000_0000 != 0 { dims += 1 }
            if type & 0x2000_0000 != 0 { offset += 4 }
            type &= 0x0FFF_FFFF
            switch type / 1000 {
            case 1, 2: dims += 1
            case 3: dims += 2
            default: break
            }
            type %= 1000
            switch type {
            case 1:
                let c = try coordinate(dims: dims)
                return c.x.isNaN && c.y.isNaN ? .multiPoint([]) : .point(c)
            case 2: return .lineString(try sequence(dims: dims))
            case 3:
                let n = Int(try u32())
                return .polygon(try (0..<n).map { _ in try sequence(dims: dims) })
            case 4, 5, 6, 7:
                let n = Int(try u32())
                let parts = try (0..<n).map { _ in try shape() }
                switch type {
                case 4: return .multiPoint(parts.compactMap { if case .point(let c) = $0 { c } else { nil } })
                case 5: return .multiLineString(parts.compactMap { if case .lineString(let l) = $0 { l } else { nil } })
                case 6: return .multiPolygon(parts.compactMap { if case .polygon(let p) = $0 { p } else { nil } })
                default: return .collection(parts)
                }
            default: throw DecodeError()
            }
        }
    }
}
