import ArgumentParser
import LandWatchCore
import LandWatchLedger

/// `landwatch ledger copy FROM TO`: a whole ledger between a GeoPackage and PostGIS.
struct LedgerCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy", abstract: "Copy a whole ledger into an empty one (GeoPackage ⇄ PostGIS), ids unchanged.")

    @Argument(help: "The ledger to copy: a GeoPackage or a PostgreSQL connection.")
    var from: String

    @Argument(help: "The new ledger: a GeoPackage or a PostgreSQL connection (created; must be empty).")
    var to: String

    func run() throws {
        let source = try LedgerLocation(parsing: from).open(readOnly: true)
        let target = try LedgerLocation(parsing: to).open(create: true)
        let n = try LedgerCopy.run(from: source, to: target)
        Console.note("copied \(n.entries) entries, \(n.events) events and \(n.batches) batches into \(target.label)")
    }
}
