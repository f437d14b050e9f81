import GDALKit

/// LandWatch's version, the one place it is written (the Debian package takes it from
/// `landwatch --version`), and the versions of the libraries it runs on.
public enum LandWatchVersion {
    public static let landwatch = "0.1.0"

    public static var full: String {
        let v = GDALRuntime.versions
        return "landwatch \(landwatch) (GDAL \(v.gdal), GEOS \(v.geos), PROJ \(v.proj))"
    }
}
