import ArgumentParser
import Foundation
import GDALKit
import LandWatchCore
import LandWatchLedger

/// `landwatch users …`: the accounts of the ledger's web application, kept in the ledger.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Accounts of the web application (admin, town, planning, viewer), kept in the ledger.",
        discussion: "Passwords are read from the terminal (asked twice, not shown) or from standard input, never from the command line.",
        subcommands: [UsersAddCommand.self, UsersPasswdCommand.self, UsersListCommand.self, UsersRemoveCommand.self, UsersUnlockCommand.self])
}

struct UsersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an account.")

    @OptionGroup var store: LedgerOptions

    @Argument(help: "The account's name.")
    var name: String

    @Option(help: "admin (environment bureau), town (属地), planning (规自) or viewer.")
    var role: LedgerRole

    @Option(help: "A town account's zone, one of the zones layer's names.")
    var zone: String?

    /// The zones layer a town's zone is checked against.
    @OptionGroup var zoneLayer: OptionalZoneOptions

    func validate() throws {
        if role == .town && zoneLayer.zones == nil { throw ValidationError("a town account is checked against --zones LAYER") }
    }

    func run() throws {
        let names = try zoneLayer.load(ReadOptions.landWatch())?.zones.map(\.name)
        let password = try PasswordInput.read(confirm: true)
        try LedgerAccounts.add(try store.open(create: true), LedgerAccount(name: name, role: role, zone: zone), password: password,
                               zones: names, on: Day.today)
        Console.note("added \(role.rawValue) account \"\(name)\"\(zone.map { " for \($0)" } ?? "")")
    }
}

struct UsersPasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Set an account's password.")

    @OptionGroup var store: LedgerOptions

    @Argument(help: "The account's name.")
    var name: String

    func run() throws {
        let ledger = try store.open()
        let password = try PasswordInput.read(confirm: true)
        try LedgerAccounts.setPassword(ledger, name: name, password: password)
        Console.note("password of \"\(name)\" set")
    }
}

struct UsersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")

    @OptionGroup var store: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        var table = Table(title: "users", zh: "账户", columns: [
            Column("name", en: "Name", zh: "账号"), Column("role", en: "Role", zh: "角色"), Column("zone", en: "Zone", zh: "镇街"),
        ])
        table.rows = try LedgerAccounts.list(try store.openForReading()).map { [.text($0.name), .term($0.role.rawValue, zh: $0.role.chinese), Cell($0.zone)] }
        try output.write([table])
    }
}

struct UsersRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove an account (its events keep its name).")

    @OptionGroup var store: LedgerOptions

    @Argument(help: "The account's name.")
    var name: String

    func run() throws {
        try LedgerAccounts.remove(try store.open(), name: name)
        Console.note("removed \"\(name)\"")
    }
}

struct UsersUnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unlock",
                                                    abstract: "Lift an account's sign-in locks (after failed sign-ins) and end its sessions.")

    @OptionGroup var store: LedgerOptions

    @Argument(help: "The account's name.")
    var name: String

    func run() throws {
        try LedgerAccounts.unlock(try store.open(), name: name)
        Console.note("unlocked \"\(name)\": it may sign in again from anywhere; its sessions have ended")
    }
}

extension LedgerRole: ExpressibleByArgument {}

/// A password from the terminal (not echoed, asked twice) or the first line of standard input.
enum PasswordInput {
    static func read(confirm: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else {
                throw LandWatchError.usage("no password on standard input")
            }
            return line
        }
        let first = try prompt("Password: ")
        if confirm, try prompt("Again: ") != first {
            throw LandWatchError.usage("the two passwords differ; nothing was changed")
        }
        return first
    }

    /// Reads one line with the terminal's echo off.
    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw LandWatchError.usage("no password given") }
        return line
    }
}
