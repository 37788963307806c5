import Foundation
import Testing
@testable import ShebaoStore

/// Files written whole or not at all, past the page cache where the system allows it.
@Suite("Whole-file writes")
struct WholeFileWriterTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shebao-files-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Bytes that differ from page to page, so a page out of place shows.
    static func bytes(_ count: Int) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 4096) })
    }

    /// Around the page the direct writes pad to, and a bank file's size; directly and through the
    /// cache (as on a file system without direct writes), each with one writer reusing its memory.
    @Test(arguments: [true, false])
    func filesOfEverySizeAreWrittenByteForByte(direct: Bool) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = WholeFileWriter(direct: direct)
        let sizes = [0, 1, 4095, 4096, 4097, 2_820_641, 100, 8192]
        for (index, size) in sizes.enumerated() {
            try writer.write(Self.bytes(size), to: folder.appendingPathComponent("f\(index).xml"))
        }
        try writer.syncFolder(folder)
        for (index, size) in sizes.enumerated() {
            #expect(try Data(contentsOf: folder.appendingPathComponent("f\(index).xml")) == Self.bytes(size))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == sizes.indices.map { "f\($0).xml" }.sorted())
    }

    @Test func aFileIsReplacedWhole() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = WholeFileWriter()
        let target = folder.appendingPathComponent("SB1-ABC-1.xml")
        try writer.write(Self.bytes(10_000), to: target)
        try writer.write(Data("短".utf8), to: target)
        #expect(try Data(contentsOf: target) == Data("短".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["SB1-ABC-1.xml"])
    }

    /// A folder that is not there: the error names the file and the step, and nothing is left.
    @Test func aWriteThatFailsNamesTheFileAndLeavesNothing() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing", isDirectory: true)
        let error = #expect(throws: FileWriteError.self) { try WholeFileWriter().write(Self.bytes(5000), to: missing.appendingPathComponent("a.xml")) }
        #expect(error?.path == missing.appendingPathComponent("a.xml").path)
        #expect(error?.description.contains("a.xml") == true)
        #expect(throws: FileWriteError.self) { try WholeFileWriter().syncFolder(missing) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
