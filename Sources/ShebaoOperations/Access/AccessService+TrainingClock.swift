public import ShebaoCore
import ShebaoStore

extension AccessService {
    /// The simulated date of a training installation; nil in any other.
    public var trainingDate: LocalDate? { context.clock is TrainingClock ? context.today : nil }

    /// Moves a training installation's clock on by whole days (an administrator), so that a class
    /// can see a notice run its 7 days or a grant reach its first payment; recorded in the audit
    /// trail at the new time. Refused where the clock is the machine's.
    public func advanceTrainingClock(days text: String, by principal: Principal) async throws(ServiceError) -> LocalDate {
        try principal.require(.userManage)
        guard let clock = context.clock as? TrainingClock else { throw .conflict("training_clock.absent") }
        guard let days = Int(text.trimmingUnicodeWhitespace()), clock.advance(days: days) else {
            throw .invalid("days", "field.out_of_range", ["min": "1", "max": String(TrainingClock.maximumStep)])
        }
        try await context.record(AuditEvent(actor: AuditActor(principal), action: .update, entity: "training_clock", entityID: String(clock.daysAhead),
                                            after: ["days": String(days), "today": context.today.description]))
        return context.today
    }
}
