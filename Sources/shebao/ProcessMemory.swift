#if canImport(Glibc)
import Glibc
#endif

/// How glibc's `malloc` gives memory back, set once as the process starts.
///
/// By default glibc maps fresh pages for each allocation above 128 KB (raising that bar to the
/// largest block freed so far) and hands the top of a heap back to the system once 128 KB or more
/// is free there. The payroll's files phase allocates and frees by the megabyte: each page of
/// 10,000 payments read, each bank file of 2.8 MB made. So each landed on fresh pages, every page a
/// fault and zeroed by the kernel: 197,000–279,000 faults in three rounds of the payroll bench
/// (`/usr/bin/time -v`), a third of the Swift side's CPU in the files phase (perf).
///
/// Here blocks below 32 MB (the most glibc allows) come from the heaps, and up to 256 MB free at
/// a heap's top stays there for the next. Measured on the bench, three alternations:
/// - faults: 32,000–36,000;
/// - the files phase: 1.04–1.17 s, against 1.24–1.37 s;
/// - system time: 5.0–5.4 s, against 5.8–6.4 s;
/// - peak memory: 165–182 MB, against 142–144 MB.
enum ProcessMemory {
    static func keepFreedMemoryForReuse() {
        #if os(Linux)
        // `mallopt` and its `<malloc.h>` constants are not in Swift's `Glibc`: found by name in
        // the C library the process runs with, and left as it is if that has none.
        typealias SetOption = @convention(c) (Int32, Int32) -> Int32
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
        let setOption = unsafeBitCast(symbol, to: SetOption.self)
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1  // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
        _ = setOption(mmapThreshold, 32 << 20)
        _ = setOption(trimThreshold, 256 << 20)
        #endif
    }
}
