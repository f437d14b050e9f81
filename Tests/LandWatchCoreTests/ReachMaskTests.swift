import GDALKit
import Testing
@testable import LandWatchCore

@Suite struct ReachMaskTests {
    /// The mask never refuses an envelope that meets one of its envelopes (checked by brute force),
    /// and refuses most of those far from all of them.
    @Test func isConservative() {
        var rng = SystemRandomNumberGenerator()
        let boxes = (0..<500).map { _ -> Envelope in
            let x = Double.random(in: 116...117, using: &rng), y = Double.random(in: 39...40, using: &rng)
            return Envelope(minX: x, minY: y, maxX: x + Double.random(in: 0.001...0.02, using: &rng), maxY: y + 0.01)
        }
        let mask = ReachMask(boxes)
        var refused = 0, far = 0
        for _ in 0..<20_000 {
            let x = Double.random(in: 115.9...117.1, using: &rng), y = Double.random(in: 38.9...40.1, using: &rng)
            let q = Envelope(minX: x, minY: y, maxX: x + 0.002, maxY: y + 0.001)
            let meets = boxes.contains { $0.intersects(q) }
            if meets { #expect(mask.mayReach(q)) }
            if !boxes.contains(where: { $0.expanded(by: 0.01).intersects(q) }) {
                far += 1
                if !mask.mayReach(q) { refused += 1 }
            }
        }
        #expect(refused == far)
    }
}
