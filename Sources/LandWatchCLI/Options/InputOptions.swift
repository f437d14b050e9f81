import ArgumentParser
import GDALKit

/// How input layers are read: shared by every command that reads layers.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("assume-crs"), help: "CRS of layers that declare none, e.g. EPSG:4490 or GCJ-02.")
    var assumeCRS: String?

    @Option(help: "Text encoding of attributes, overriding detection (e.g. GBK, GB18030, UTF-8).")
    var encoding: String?

    @Option(name: .customLong("x-field"), help: "CSV column holding longitude or x (default: found by name).")
    var xField: String?

    @Option(name: .customLong("y-field"), help: "CSV column holding latitude or y (default: found by name).")
    var yField: String?

    var readOptions: ReadOptions {
        ReadOptions.landWatch(assumeCRS: assumeCRS, encoding: encoding, xField: xField, yField: yField)
    }

    func validate() throws {
        if (xField == nil) != (yField == nil) {
            throw ValidationError("--x-field and --y-field go together")
        }
    }
}
