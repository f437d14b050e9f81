import Foundation
import LandWatchCore
import LandWatchSample

/// The random generator of a randomised test: seeded, so that a failure can be replayed. The
/// seed is `LANDWATCH_TEST_SEED` when set (to replay one), else new each run; every failure
/// message names it (`seed N`).
public struct TestRandom: RandomNumberGenerator {
    public let seed: UInt64
    private var generator: SeededRandom

    public init() {
        seed = ProcessInfo.processInfo.environment["LANDWATCH_TEST_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        generator = SeededRandom(seed: seed)
    }

    public mutating func next() -> UInt64 { generator.next() }

    /// For failure messages: `seed N (LANDWATCH_TEST_SEED=N replays it)`.
    public var replay: String { "seed \(seed) (LANDWATCH_TEST_SEED=\(seed) replays it)" }
}
