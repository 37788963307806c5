import Foundation
import NIOPosix
import ShebaoOperations
import ShebaoStore

/// The folder a payroll run's bank files are written into: each file whole or not at all, past
/// the page cache (`WholeFileWriter`), on threads of its own; the folder synced once they are in.
///
/// The writes wait for the disk. On Swift's cooperative threads (one per core) that wait held
/// up the reading of the run and the making of the next files for as long as it lasted; on
/// these threads it only holds up the file itself. perf on the payroll bench (a million
/// transfers, 100 files): the two cores were busy 1.6 of 2 while the files were written,
/// 1.8 with the writes here. The benchmark writes its files through this folder too, as the
/// command does.
struct BankFileFolder: Sendable {
    let url: URL
    private let threads: NIOThreadPool
    private let writer: WholeFileWriter

    /// Creates the folder when missing and runs `body` with it; the threads stop afterwards.
    static func with<T>(_ path: String, _ body: (BankFileFolder) async throws -> T) async throws -> T {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // As many as the files made at once (`BenefitsService.filesMadeAtOnce`): each waits for the disk, not a core.
        let threads = NIOThreadPool(numberOfThreads: 4)
        threads.start()
        do {
            let folder = BankFileFolder(url: url, threads: threads, writer: WholeFileWriter())
            let result = try await body(folder)
            try folder.writer.syncFolder(url)
            try await threads.shutdownGracefully()
            return result
        } catch {
            try? await threads.shutdownGracefully()
            throw error
        }
    }

    /// Writes `file` of run `run` as `SB<run>-<bank>-<part>.xml` (or `.txt`).
    func write(_ file: PayrollFile, run: Int64, _ data: Data) async throws {
        let target = url.appendingPathComponent(file.name(run: run))
        try await threads.runIfActive { [writer] in try writer.write(data, to: target) }
    }
}
