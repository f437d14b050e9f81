import ArgumentParser
import Foundation
import LandWatchCore
import LandWatchSample

/// `landwatch sample-data`: writes the synthetic sample district.
struct SampleDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-data",
        abstract: "Write a deterministic synthetic district modelled on Beijing's Daxing district.")

    @Option(help: "Output folder.")
    var out: String

    @Option(help: "Multiply every feature count (patches, parcels, plots, readings, enterprises).")
    var scale: Double = 1

    @Option(help: "Random seed: the same seed gives the same files.")
    var seed: UInt64 = 2026

    @Option(help: "Number of jurisdictions; 22 uses Daxing's 14 towns and 8 streets, more cover a larger area.")
    var towns: Int = 22

    @Option(help: "Bare-land patches in the first month (default 1200 × scale).")
    var patches: Int?

    @Option(help: "Sensitive land-use parcels (default 450 × scale).")
    var parcels: Int?

    @Option(help: "Contaminated plots (default 40 × scale).")
    var plots: Int?

    @Option(help: "VOCs survey readings (default 8000 × scale).")
    var readings: Int?

    @Option(help: "Monthly bare-land detections to write (1 to 3): the latest months.")
    var months: Int = 3

    @Option(help: ArgumentHelp("How many times each point of bare land is covered on average (1: a vendor's disjoint patches; more: patches thrown together in clusters, as merged layers or stacked buffers are).", valueName: "depth"))
    var overlapDepth: Double = 1

    func validate() throws {
        guard (1...3).contains(months) else { throw ValidationError("--months is 1, 2 or 3") }
        guard scale > 0 else { throw ValidationError("--scale must be positive") }
        guard towns >= 2 else { throw ValidationError("--towns must be at least 2") }
        guard overlapDepth >= 1, overlapDepth <= 20 else { throw ValidationError("--overlap-depth is between 1 and 20") }
        for (name, value) in [("patches", patches), ("parcels", parcels), ("plots", plots), ("readings", readings)] {
            if let value, value < 1 { throw ValidationError("--\(name) must be at least 1") }
        }
    }

    func run() throws {
        var options = SampleOptions()
        options.seed = seed
        options.scale = scale
        options.towns = towns
        options.patches = patches
        options.parcels = parcels
        options.plots = plots
        options.readings = readings
        options.months = months
        options.overlapDepth = overlapDepth
        let district = try SampleDistrict.generate(options)
        let files = try SampleWriter.write(district, to: out)
        Console.note("wrote \(files.count) files to \(out): \(district.towns.count) towns, "
            + district.detections.map { "\($0.patches.count)" }.joined(separator: "/") + " patches, "
            + "\(district.parcels.count) parcels, \(district.plots.count) plots (\(district.suspectedPlots.count) suspected), "
            + "\(district.readings.count) readings, \(district.enterprises.count) enterprises")
    }
}
