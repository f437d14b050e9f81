import Foundation
import Testing

/// What a test needs beyond a debug build and a few seconds, as Swift Testing tags. A tag says
/// what the test is; the condition trait beside it (`.fullRun`, `.postgresServer`) says when it
/// runs. Swift Testing 6.3's `swift test --filter`/`--skip` match test names only, not tags, so
/// `make check` leaves tests out through `LANDWATCH_QUICK=1`, read by `.fullRun`.
///
/// The Debian package and the browser test are scripts (`Tests/Package/deb-test.sh`,
/// `Tests/Services/e2e.sh`) that `make test` runs and `make check` does not: no Swift test needs
/// a static build or Chromium, so there is no tag for them here.
extension Tag {
    /// Long: a million vertices or features, thousands of fuzz cases, a whole monthly job, every
    /// example of the guide, a process killed halfway and waited for. Run by `make test`, left out
    /// by `make check`.
    @Tag public static var slow: Self
    /// Needs the PostgreSQL/PostGIS server named by `LANDWATCH_TEST_PG` (see `TestPostgres`).
    @Tag public static var postgres: Self
}

/// How this run was asked for.
public enum TestRun {
    /// `LANDWATCH_QUICK=1` (`make check`): the tests tagged `.slow` are skipped.
    public static let quick = ProcessInfo.processInfo.environment["LANDWATCH_QUICK"] == "1"
    /// `CI=true`: what a test needs must be there; a missing PostgreSQL server is a failure.
    public static let underCI = ProcessInfo.processInfo.environment["CI"] == "true"
}

extension Trait where Self == ConditionTrait {
    /// For a test tagged `.slow`: skipped under `LANDWATCH_QUICK=1` (`make check`), run by
    /// `make test` and plain `swift test`.
    public static var fullRun: Self {
        .disabled(if: TestRun.quick, "slow: make check (LANDWATCH_QUICK=1) leaves it out, make test runs it")
    }

    /// For a test tagged `.postgres`: skipped, and shown as skipped, when no server is given
    /// (`LANDWATCH_TEST_PG` unset); under `CI=true` it always runs, so that a missing server
    /// fails it (`TestLedger` and `TestPostgres.available()` record the failure).
    public static var postgresServer: Self {
        .enabled(if: TestPostgres.shouldRun, "no \(TestPostgres.variable): make test starts a PostgreSQL server")
    }
}
