import Foundation
@testable import LandWatchCore
import Testing

@Suite struct ParallelTests {
    /// Parts of every size, empty ones among them, come back joined in order whichever core
    /// transformed them.
    @Test func joinedMapKeepsTheOrder() {
        let parts = (0..<300).map { p in (0..<(p % 7 == 0 ? 0 : p % 13)).map { p * 100 + $0 } }
        #expect(Parallel.joinedMap(parts) { String($0) } == parts.joined().map { String($0) })
        #expect(Parallel.joinedMap([[Int]]()) { $0 }.isEmpty)
    }
}
