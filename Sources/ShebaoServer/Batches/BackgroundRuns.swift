import Logging
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import Synchronization

/// Computations of batch runs started from a page or the API, going on after the response: at
/// most one per run in this process. A run whose computation stops (the server stops) stays a
/// draft with its chunks done, and resumes where it stopped.
final class BackgroundRuns: Sendable {
    private let running = Mutex<Set<Int64>>([])

    func isRunning(_ id: Int64) -> Bool { running.withLock { $0.contains(id) } }

    /// Computes `run` in the background unless it is being computed already.
    func compute(_ run: BatchRun, by principal: Principal, services: BatchService, logger: Logger) {
        guard run.state == .draft, running.withLock({ $0.insert(run.id).inserted }) else { return }
        Task {
            defer { _ = running.withLock { $0.remove(run.id) } }
            do {
                _ = try await services.compute(run, by: principal)
            } catch {
                logger.error("batch run failed", metadata: ["run": "\(run.id)", "kind": "\(run.key.kind)", "error": "\(error)"])
            }
        }
    }
}
