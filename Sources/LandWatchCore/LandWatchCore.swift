public enum LandWatchCore {}
