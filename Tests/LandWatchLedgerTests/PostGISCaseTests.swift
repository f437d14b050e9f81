import DatabaseKit
import GDALKit
import Testing
import TestSupport

/// The PostGIS case of the tests run on both ledger backends (`LedgerBackend.available`). A
/// trait cannot skip one argument of a parameterised test, so without a server those tests run
/// on the GeoPackage alone; this test is skipped with them, and says so in the output.
@Suite struct PostGISCaseTests {
    @Test(.tags(.postgres), .postgresServer) func theLedgerTestsRunOnPostGISToo() throws {
        #expect(LedgerBackend.available == LedgerBackend.allCases)
        guard TestPostgres.available() else { return }
        let row = try #require(try TestPostgres.connect().query("SELECT postgis_lib_version() AS v").first)
        #expect(row.text("v")?.hasPrefix("3.") == true, "PostGIS \(row.text("v") ?? "missing")")
    }
}
