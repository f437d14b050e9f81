/// Hands a value that is not `Sendable` to exactly one other thread, which then owns it (a
/// GDAL dataset read there and nowhere else meanwhile).
public struct Handover<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
