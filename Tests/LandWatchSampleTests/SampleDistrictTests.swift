import Foundation
import GDALKit
import LandWatchCore
import LandWatchSample
import Testing
import TestSupport

@Suite struct SampleDistrictTests {
    static let district = Result { try SampleDistrict.generate(SampleOptions()) }

    @Test func hasDaxingsTwentyTwoJurisdictions() throws {
        let d = try Self.district.get()
        #expect(Set(d.towns.map(\.name)) == Set(DaxingJurisdictions.all.map(\.name)))
        #expect(d.towns.filter { $0.kind == "镇" }.count == 14)
        #expect(d.towns.filter { $0.kind == "街道" }.count == 8)
    }

    @Test func townsTileTheDistrictWithoutGapsOrOverlaps() throws {
        let d = try Self.district.get()
        let outlineArea = try d.outline.planarArea()
        let union = try Geometry.union(d.towns.map(\.geometry))
        let sum = try d.towns.reduce(0) { $0 + (try $1.geometry.planarArea()) }
        // No gaps: the union is the district. No overlaps: the areas add up to it.
        #expect(abs(try union.planarArea() - outlineArea) < 1)
        #expect(abs(sum - outlineArea) < 1)
        #expect(try d.outline.difference(union).planarArea() < 1)
        // About 1,000 km², like Daxing.
        #expect(outlineArea > 950e6 && outlineArea < 1_150e6)
    }

    @Test func sameSeedSameDistrictOtherSeedAnother() throws {
        let a = try Self.district.get()
        let b = try SampleDistrict.generate(SampleOptions())
        #expect(a.towns.map(\.geometry.wkb) == b.towns.map(\.geometry.wkb))
        #expect(a.detections.map { $0.patches.map(\.vendorId) } == b.detections.map { $0.patches.map(\.vendorId) })
        var other = SampleOptions()
        other.seed = 7
        let c = try SampleDistrict.generate(other)
        #expect(a.towns.map(\.geometry.wkb) != c.towns.map(\.geometry.wkb))
    }

    @Test func patchesCarryTheFaultsVendorsDeliver() throws {
        let patches = try Self.district.get().detections[0].patches
        #expect(patches.contains { !$0.geometry.isValid })               // self-intersections
        #expect(patches.contains { $0.geometry.kind == .multiPolygon })  // multipart
        #expect(try patches.contains { try $0.geometry.shape.polygons.contains { $0.count > 1 } })  // holes
        let types = Set(patches.map(\.type))
        #expect(types == ["施工工地", "拆迁拆违", "农田", "园林绿地", "未利用地"])
    }

    @Test func scaleAndTownsMakeLargerSets() throws {
        var options = SampleOptions()
        options.towns = 40
        options.patches = 300
        options.parcels = 10
        options.readings = 100
        let d = try SampleDistrict.generate(options)
        #expect(d.towns.count == 40)
        #expect(d.detections[0].patches.count >= 300)
        let union = try Geometry.union(d.towns.map(\.geometry))
        #expect(abs(try union.planarArea() - d.outline.planarArea()) < 1)
    }

    @Test func writesTheFilesDeterministically() throws {
        let dir = Fixtures.temporaryDirectory()
        let files = try SampleWriter.write(try Self.district.get(), to: dir)
        // Every file in the folder is listed, a Shapefile's five included (`sample-data` says how many).
        #expect(files.sorted() == (try FileManager.default.contentsOfDirectory(atPath: dir)).sorted())
        // The committed Data/ was written by the same generator with the default seed.
        for file in files {
            let written = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            let committed = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data(file)))
            #expect(written == committed, "\(file) differs from Data/")
        }
    }
}
