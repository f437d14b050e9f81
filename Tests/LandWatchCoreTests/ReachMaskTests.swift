import GDALKit
import Testing
import TestSupport
@testable import LandWatchCore

@Suite struct ReachMaskTests {
    /// Boxes at random over a degree square around Beijing, of random widths and one height.
    static func boxes(_ n: Int, widths: ClosedRange<Double>, height: Double, using rng: inout TestRandom) -> [Envelope] {
        (0..<n).map { _ in
            let x = Double.random(in: 116...117, using: &rng), y = Double.random(in: 39...40, using: &rng)
            return Envelope(minX: x, minY: y, maxX: x + Double.random(in: widths, using: &rng), maxY: y + height)
        }
    }

    /// The mask answers as brute force does, for envelopes smaller than a grid cell, envelopes
    /// wide enough to cover whole cells, and envelopes spanning too many cells to scan (0.1° to
    /// 0.6° across, where cells are about 0.004° by 0.0025°: most take over 64 words to read).
    @Test func answersAsBruteForce() {
        var rng = TestRandom()
        let boxes = Self.boxes(1_500, widths: 0.001...0.03, height: 0.01, using: &rng)
        let mask = ReachMask(boxes)
        var met = 0
        for k in 0..<12_000 {
            let x = Double.random(in: 115.9...117.1, using: &rng), y = Double.random(in: 38.9...40.1, using: &rng)
            let (w, h) = switch k {
            case ..<5_000: (0.002, 0.001)
            case ..<10_000: (Double.random(in: 0.01...0.05, using: &rng), Double.random(in: 0.01...0.05, using: &rng))
            default: (Double.random(in: 0.1...0.6, using: &rng), Double.random(in: 0.1...0.6, using: &rng))
            }
            let q = Envelope(minX: x, minY: y, maxX: x + w, maxY: y + h)
            let meets = boxes.contains { $0.intersects(q) }
            #expect(mask.reaches(q) == meets, "\(rng.replay)")
            if meets { met += 1 }
        }
        // Both answers occur: the boxes cover about a sixth of the area queried.
        #expect(met > 400 && met < 11_600, "\(rng.replay)")
    }

    /// Envelopes that only come up to a box, or stop a hair short of it, inside boxes wide enough
    /// to cover whole cells: touching meets, as `Envelope.intersects` says; short does not.
    @Test func edgesMeetWhenTheyTouch() {
        var rng = TestRandom()
        let boxes = Self.boxes(300, widths: 0.02...0.05, height: 0.03, using: &rng)
        let mask = ReachMask(boxes)
        for box in boxes {
            let y = box.center.y
            for q in [Envelope(minX: box.maxX, minY: y, maxX: box.maxX + 0.001, maxY: y + 0.001),
                      Envelope(minX: box.minX - 0.001, minY: y, maxX: box.minX, maxY: y + 0.001),
                      Envelope(minX: box.maxX.nextUp, minY: y, maxX: box.maxX + 0.001, maxY: y + 0.001),
                      Envelope(minX: box.minX - 0.001, minY: y, maxX: box.minX.nextDown, maxY: y + 0.001),
                      Envelope(minX: box.center.x, minY: y, maxX: box.center.x, maxY: y)] {
                #expect(mask.reaches(q) == boxes.contains { $0.intersects(q) }, "\(rng.replay)")
            }
        }
    }
}
