import ArgumentParser

public struct LandWatchCommand: ParsableCommand {
    public init() {}
}
