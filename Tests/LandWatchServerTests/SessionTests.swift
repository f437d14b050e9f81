import Foundation
import GDALKit
@testable import LandWatchServer
import LandWatchCore
import Testing

/// Sessions expire; the login throttle forgets old failures; the server listens on loopback
/// unless told otherwise.
@Suite struct SessionTests {
    @Test func sessionsExpireWhenIdleAndAtTheirLifetime() async {
        let store = SessionStore(idle: 60, lifetime: 300)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let s = await store.create(for: "xhm", credential: "v1", now: start)
        #expect(s.token.count == 64 && s.csrf.count == 64 && s.token != s.csrf)
        // Used every 50 s it stays alive, until its lifetime is over.
        for k in 1...5 { #expect(await store.find(s.token, now: start.addingTimeInterval(Double(k) * 50)) != nil) }
        #expect(await store.find(s.token, now: start.addingTimeInterval(300)) == nil)
        // Left alone for a minute, it ends.
        let t = await store.create(for: "xhm", credential: "v1", now: start)
        #expect(await store.find(t.token, now: start.addingTimeInterval(61)) == nil)
        // Ended by logout.
        let u = await store.create(for: "xhm", credential: "v1", now: start)
        await store.end(u.token)
        #expect(await store.find(u.token, now: start) == nil)
    }

    @Test func theThrottleLocksAPairForAQuarterOfAnHourAndANameAfterAHundred() async {
        let throttle = LoginThrottle()
        let start = Date(timeIntervalSince1970: 1_000_000)
        // Nine failures from one address: still allowed; the tenth locks that name from that address only.
        for _ in 0..<9 { await throttle.failed(name: "xhm", address: "a", now: start) }
        #expect(await throttle.allows(name: "xhm", address: "a", now: start))
        await throttle.failed(name: "xhm", address: "a", now: start)
        #expect(await !throttle.allows(name: "xhm", address: "a", now: start.addingTimeInterval(899)))
        #expect(await throttle.allows(name: "xhm", address: "b", now: start.addingTimeInterval(899)))
        #expect(await throttle.allows(name: "yh", address: "a", now: start.addingTimeInterval(899)))
        #expect(await throttle.allows(name: "xhm", address: "a", now: start.addingTimeInterval(900)))
        // Failures older than the window are forgotten.
        for _ in 0..<9 { await throttle.failed(name: "yh", address: "c", now: start) }
        await throttle.failed(name: "yh", address: "c", now: start.addingTimeInterval(901))
        #expect(await throttle.allows(name: "yh", address: "c", now: start.addingTimeInterval(901)))
        // Spraying one name from a hundred addresses within the hour locks the name everywhere.
        for k in 0..<99 { await throttle.failed(name: "bureau", address: "s\(k)", now: start.addingTimeInterval(Double(k))) }
        #expect(await throttle.allows(name: "bureau", address: "office", now: start.addingTimeInterval(100)))
        await throttle.failed(name: "bureau", address: "s99", now: start.addingTimeInterval(100))
        #expect(await !throttle.allows(name: "bureau", address: "office", now: start.addingTimeInterval(101)))
        // An unlock recorded after a lock began lifts it; one from before does not.
        await throttle.unlock(name: "bureau", before: start.addingTimeInterval(50))
        #expect(await !throttle.allows(name: "bureau", address: "office", now: start.addingTimeInterval(101)))
        await throttle.unlock(name: "bureau", before: start.addingTimeInterval(102))
        #expect(await throttle.allows(name: "bureau", address: "office", now: start.addingTimeInterval(103)))
        // Other names keep their locks.
        #expect(await !throttle.allows(name: "xhm", address: "a", now: start.addingTimeInterval(103)))
    }

    @Test func theServerListensOnLoopbackUnlessTold() throws {
        let settings = ServerSettings(ledger: .geoPackage(path: "l.gpkg"), zones: LayerSource(path: "z.gpkg"))
        #expect(settings.bind == "127.0.0.1" && settings.tiles == nil)
    }
}
