import LandWatchCLI

LandWatchCommand.main()
