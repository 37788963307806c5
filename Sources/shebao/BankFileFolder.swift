import Foundation
import NIOPosix
import ShebaoOperations

/// The folder a payroll run's bank files are written into: each file whole or not at all
/// (written beside, synced to the disk, then renamed into place), on threads of its own.
///
/// The sync waits for the disk. On Swift's cooperative threads (one per core) that wait held
/// up the reading of the run and the making of the next files for as long as it lasted; on
/// these threads it only holds up the file itself. perf on the payroll bench (a million
/// transfers, 100 files): the two cores were busy 1.6 of 2 while the files were written,
/// 1.8 with the writes here. The benchmark writes its files through this folder too, as the
/// command does (before, without the rename).
struct BankFileFolder: Sendable {
    let url: URL
    private let threads: NIOThreadPool

    /// Creates the folder when missing and runs `body` with it; the threads stop afterwards.
    static func with<T>(_ path: String, _ body: (BankFileFolder) async throws -> T) async throws -> T {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // As many as the files made at once (`BenefitsService.filesMadeAtOnce`): each waits for the disk, not a core.
        let threads = NIOThreadPool(numberOfThreads: 4)
        threads.start()
        do {
            let result = try await body(BankFileFolder(url: url, threads: threads))
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
        try await threads.runIfActive { try data.write(to: target, options: .atomic) }
    }
}
