import Synchronization

/// The clock of a training installation (`shebao serve --training-clock`): the machine's time
/// moved on by whole days an administrator adds, so that a class can follow a case through a
/// 7-day public notice, or a grant to its first monthly payment, in one sitting. It only moves
/// forward; every page says the date is simulated. A production installation never has one.
public final class TrainingClock: WallClock {
    private let offsetDays = Mutex<Int64>(0)
    private let base: any WallClock

    public init(base: any WallClock = SystemClock()) {
        self.base = base
    }

    public func now() -> Timestamp { base.now().adding(seconds: offsetDays.withLock { $0 } * 86_400) }

    /// Days added so far.
    public var daysAhead: Int64 { offsetDays.withLock { $0 } }

    /// The most days one step may add.
    public static let maximumStep = 60

    /// Moves the clock on by `days`, 1 to ``maximumStep``; false (and unmoved) otherwise.
    public func advance(days: Int) -> Bool {
        guard (1...Self.maximumStep).contains(days) else { return false }
        offsetDays.withLock { $0 += Int64(days) }
        return true
    }
}
