import Foundation
import LandWatchCore
import Testing
import TestSupport

@Suite struct DayAndDigestTests {
    @Test func daysParseAndCount() throws {
        let d = try #require(Day("2026-09-25"))
        #expect(d.description == "2026-09-25" && d.yearMonth == "202609")
        #expect(d.adding(days: 30).description == "2026-10-25")
        #expect(Day("2024-02-29")!.adding(days: 1).description == "2024-03-01")
        #expect(Day("2026-12-31")! - Day("2026-01-01")! == 364)
        // 1970-01-01 is day 0; 2000-03-01 is day 11017 (date -d 2000-03-01 +%s / 86400).
        #expect(Day("1970-01-01")!.ordinal == 0 && Day("2000-03-01")!.ordinal == 11_017)
        for bad in ["2026-09-31", "2026-13-01", "2025-02-29", "26-09-25", "2026/09/25", "2026-9-25", ""] {
            #expect(Day(bad) == nil, "\(bad)")
        }
    }

    @Test func sha256MatchesThePublishedVectors() {
        // FIPS 180-4 examples: "abc" and the 448-bit message.
        var a = SHA256()
        a.update(Array("abc".utf8))
        #expect(a.finish() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var b = SHA256()
        b.update(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        #expect(b.finish() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million "a", fed in pieces: cdc76e5c 9914fb92 81a1c7e2 84d73e67 f1809a48 a497200e 046d39cc c7112cd0.
        var c = SHA256()
        for _ in 0..<1000 { c.update([UInt8](repeating: 0x61, count: 1000)) }
        #expect(c.finish() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
