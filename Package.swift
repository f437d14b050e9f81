// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LandWatch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "landwatch", targets: ["landwatch"]),
        .library(name: "LandWatchCore", targets: ["LandWatchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The bindings, the only modules that import C: GDAL, GEOS and PROJ; libpq and SQLite.
        .target(name: "DatabaseKit", dependencies: ["CLibPQ", "CSQLite"]),
        .target(name: "GDALKit", dependencies: ["CGDAL", "CGEOS", "CPROJ", "DatabaseKit"]),
        // Analysis: value types in, value types out; no C, no argument parsing, no HTTP.
        .target(name: "LandWatchCore", dependencies: ["GDALKit"]),
        // The 挂销账 record: model, one state machine, rules, accounts; a store protocol in the
        // ledger's words and its two stores (the only place SQL is written).
        .target(name: "LandWatchLedger", dependencies: [
            "LandWatchCore", "GDALKit", "DatabaseKit", .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),
        // The monthly job: the config, the analyses and the ledger's month, the bulletin.
        .target(name: "LandWatchRun", dependencies: ["LandWatchCore", "LandWatchLedger", "GDALKit"]),
        // The synthetic district (sample-data and the tests), outside the library.
        .target(name: "LandWatchSample", dependencies: ["LandWatchCore", "GDALKit"]),
        // One file per command; parse, call the core, the ledger or the job, render.
        .target(name: "LandWatchCLI", dependencies: [
            "LandWatchCore", "LandWatchLedger", "LandWatchRun", "LandWatchSample", "GDALKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // The web application: routes → session → rights → ledger → HTML/JSON; never the CLI.
        .target(name: "LandWatchServer", dependencies: [
            "LandWatchCore", "LandWatchLedger", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .executableTarget(name: "landwatch", dependencies: [
            "LandWatchCLI", "LandWatchServer", "LandWatchCore", "LandWatchLedger", "GDALKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "TestSupport", dependencies: ["GDALKit", "DatabaseKit", "LandWatchCore", "LandWatchLedger", "LandWatchSample"],
                path: "Tests/TestSupport"),
        .testTarget(name: "DatabaseKitTests", dependencies: ["DatabaseKit", "GDALKit", "TestSupport"]),
        .testTarget(name: "GDALKitTests", dependencies: ["GDALKit", "DatabaseKit", "TestSupport"]),
        .testTarget(name: "LandWatchCoreTests", dependencies: ["LandWatchCore", "LandWatchLedger", "LandWatchRun", "LandWatchSample", "GDALKit", "TestSupport"]),
        .testTarget(name: "LandWatchLedgerTests", dependencies: ["LandWatchLedger", "LandWatchCore", "GDALKit", "DatabaseKit", "TestSupport"]),
        .testTarget(name: "LandWatchSampleTests", dependencies: ["LandWatchSample", "LandWatchCore", "GDALKit", "TestSupport"]),
        .testTarget(name: "LandWatchCLITests", dependencies: [
            "LandWatchCLI", "LandWatchCore", "LandWatchLedger", "LandWatchRun", "GDALKit", "TestSupport",
        ]),
        .testTarget(name: "LandWatchServerTests", dependencies: [
            "LandWatchServer", "LandWatchCore", "LandWatchLedger", "GDALKit", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)
