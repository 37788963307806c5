public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Writes files whole or not at all: each into a file beside its name, synced to the disk, then
/// renamed into place, so a reader finds the old file or the new one, never part of it.
///
/// On Linux the bytes go to the disk from memory of the writer's own (`O_DIRECT`), not through
/// the page cache. A payroll's bank files are some 268 MB for a million transfers, written once
/// and then read by the bank's transfer tool, not by this process. Through the page cache
/// (`Data.write(to:options: .atomic)`) the kernel's copy of them into fresh cache pages was the
/// largest single cost of writing them: 27% of the files phase's samples in perf on the payroll
/// bench (`copy_folio_from_iter_atomic`). Measured alone, 100 files of 2.8 MB on four threads,
/// synced: 0.18–0.99 s of CPU through the cache, 0.15–0.16 s this way, 0.31–0.32 s on the clock.
/// Where direct writes are refused (a file system without them), the same bytes go through the
/// cache. Elsewhere than Linux, `Data` writes the file atomically.
public final class WholeFileWriter: Sendable {
    /// What direct writes ask of the memory's address, the length and the offset: a page, a
    /// multiple of every block size the kernel accepts for them.
    static let alignment = 4096

    /// `O_DIRECT`, which Swift's `Glibc` does not bring in: its value differs by architecture
    /// (`<asm-generic/fcntl.h>`, and arm64's own `<asm/fcntl.h>`); elsewhere files go through the cache.
    #if os(Linux) && arch(x86_64)
    static let directFlag: Int32 = 0o40000
    #elseif os(Linux) && arch(arm64)
    static let directFlag: Int32 = 0o200000
    #else
    static let directFlag: Int32 = 0
    #endif

    private let direct: Bool
    /// Page-aligned memory the files are copied into, one taken per write at a time and given
    /// back: no more than the writes made at once, each kept at its largest file.
    private let buffers = Mutex<[AlignedBuffer]>([])

    /// `direct: false` writes through the page cache (the way a file system without direct
    /// writes is written, so tests reach it too).
    public init(direct: Bool = true) {
        self.direct = direct && Self.directFlag != 0
    }

    /// Writes `data` as the file at `url`, replacing any file of that name once it is whole.
    public func write(_ data: Data, to url: URL) throws(FileWriteError) {
        #if os(Linux)
        let buffer = take(atLeast: Self.padded(data.count))
        defer { give(buffer) }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).part").path
        let length = buffer.fill(with: data)
        var descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | (direct ? Self.directFlag : 0), 0o666)
        if descriptor < 0, errno == EINVAL, direct {
            // Some file systems create the file before refusing the flag: the name is this
            // write's own (a fresh UUID), so it goes before the file is made again.
            unlink(temporary)
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        }
        guard descriptor >= 0 else { throw FileWriteError(path: url.path, step: "open", code: errno) }
        do throws(FileWriteError) {
            try Self.writeAll(buffer.base, length, to: descriptor, path: url.path)
            // The padding to a whole page goes again: the file is `data`, byte for byte.
            if length != data.count, ftruncate(descriptor, off_t(data.count)) != 0 {
                throw FileWriteError(path: url.path, step: "truncate", code: errno)
            }
            guard fsync(descriptor) == 0 else { throw FileWriteError(path: url.path, step: "sync", code: errno) }
            let closed = close(descriptor)
            descriptor = -1
            guard closed == 0 else { throw FileWriteError(path: url.path, step: "close", code: errno) }
            guard rename(temporary, url.path) == 0 else { throw FileWriteError(path: url.path, step: "rename", code: errno) }
        } catch {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporary)
            throw error
        }
        #else
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw FileWriteError(path: url.path, step: "write", reason: error.localizedDescription)
        }
        #endif
    }

    /// Makes the names of the files renamed into `folder` last: a rename is an entry of its
    /// folder, on the disk only once the folder is synced.
    public func syncFolder(_ folder: URL) throws(FileWriteError) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileWriteError(path: folder.path, step: "open", code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileWriteError(path: folder.path, step: "sync", code: errno) }
    }

    /// `count` rounded up to whole pages (at least one).
    static func padded(_ count: Int) -> Int {
        max(alignment, (count + alignment - 1) / alignment * alignment)
    }

    #if os(Linux)
    /// Writes `count` bytes from `base` at the descriptor's start. A direct write the device
    /// refuses for its alignment (`EINVAL`) goes on through the cache from where it stopped.
    private static func writeAll(_ base: UnsafeMutableRawPointer, _ count: Int, to descriptor: Int32, path: String) throws(FileWriteError) {
        var written = 0
        while written < count {
            let result = pwrite(descriptor, base + written, count - written, off_t(written))
            if result > 0 {
                written += result
            } else if result < 0, errno == EINTR {
                continue
            } else if result < 0, errno == EINVAL, fcntl(descriptor, F_GETFL) & directFlag != 0 {
                guard fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~directFlag) == 0 else {
                    throw FileWriteError(path: path, step: "write", code: errno)
                }
            } else {
                throw FileWriteError(path: path, step: "write", code: result < 0 ? errno : ENOSPC)
            }
        }
    }
    #endif

    private func take(atLeast size: Int) -> AlignedBuffer {
        let kept = buffers.withLock { kept -> AlignedBuffer? in
            guard let index = kept.firstIndex(where: { $0.capacity >= size }) ?? kept.indices.last else { return nil }
            return kept.remove(at: index)
        }
        guard let kept, kept.capacity >= size else { return AlignedBuffer(capacity: size) }
        return kept
    }

    private func give(_ buffer: AlignedBuffer) {
        buffers.withLock { $0.append(buffer) }
    }
}

/// Why a file could not be written: the step that failed and the system's error.
public struct FileWriteError: Error, CustomStringConvertible {
    public var path: String
    public var step: String
    public var reason: String

    init(path: String, step: String, reason: String) {
        (self.path, self.step, self.reason) = (path, step, reason)
    }

    init(path: String, step: String, code: Int32) {
        self.init(path: path, step: step, reason: String(cString: strerror(code)))
    }

    public var description: String {
        "\(path): \(step) failed: \(reason)"
    }
}

/// Page-aligned memory of its own, used by one write at a time (taken from the writer's pool and
/// given back), so it is handed between threads but never shared.
private final class AlignedBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int

    init(capacity: Int) {
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, WholeFileWriter.alignment, capacity) == 0, let memory else {
            fatalError("out of memory for a file of \(capacity) bytes")
        }
        self.base = memory
        self.capacity = capacity
    }

    deinit { free(base) }

    /// Copies `data` in, zeros to the next page; the length to write.
    func fill(with data: Data) -> Int {
        data.copyBytes(to: base.assumingMemoryBound(to: UInt8.self), count: data.count)
        let length = WholeFileWriter.padded(data.count)
        (base + data.count).initializeMemory(as: UInt8.self, repeating: 0, count: length - data.count)
        return length
    }
}
