import Foundation
public import ShebaoCore
public import ShebaoStore
import SQLKit

/// What a student's education aid would be: the rule's input and result, explained.
public struct EducationAidDraft: Sendable {
    public var student: Person
    public var request: EducationAidApplication.Request
    public var result: RuleResult<EducationAidRule.Output>
}

extension AssistanceService {
    /// The case type with its effect: granted (after the notice), the year's aid is owed from the
    /// education-aid fund to the guardian and paid by the next payroll run (fees waived: nothing to pay).
    public static let educationAidCases = CaseHandler(
        type: EducationAidApplication.caseType,
        onStep: { step in
            guard step.transition.id == "grant" else { return }
            let request = try StoreJSON.decoder.decode(EducationAidApplication.Request.self, from: Data(step.record.payload.utf8))
            guard request.aid.yearlyAmount.fen > 0 else { return }
            try await PayrollStore().owe(source: "education-aid:\(step.record.id)", kind: "education_aid", person: request.studentID,
                                         payee: request.guardianID == request.studentID ? nil : request.guardianID, region: step.record.region,
                                         fund: .educationAid, amount: request.aid.yearlyAmount, paymentPoint: request.paymentPointID, account: request.account,
                                         at: step.now, on: step.db)
            try await AuditLog.append(
                AuditEvent(actor: step.actor, action: .create, entity: "education_aid", entityID: String(step.record.id), region: step.record.region,
                           after: ["student": String(request.studentID), "year": String(request.input.year), "amount": request.aid.yearlyAmount.yuanText]),
                on: step.db, dialect: Dialect(step.db), at: step.now)
        },
        describe: { payload in
            guard let request = try? StoreJSON.decoder.decode(EducationAidApplication.Request.self, from: Data(payload.utf8)) else { return [] }
            return [
                CaseFact(labelKey: "input.year", value: String(request.input.year)),
                CaseFact(labelKey: "input.level", value: request.input.level.rawValue),
                CaseFact(labelKey: "input.status", value: request.input.status.rawValue),
                CaseFact(labelKey: "output.feesWaived", value: request.aid.feesWaived ? "✓" : "✗"),
                CaseFact(labelKey: "output.yearlyAmount", value: request.aid.yearlyAmount.formatted),
            ] + (request.feeRelief.map {
                [CaseFact(labelKey: "education_aid.fee_relief", value: "fee_relief." + $0.kind.rawValue),
                 CaseFact(labelKey: "education_aid.fee_relief_cause", value: "fee_relief_cause." + $0.cause.rawValue)]
            } ?? [])
        })

    /// The aid for `studentID` this school year (from September) by the rule; the money goes to
    /// the head of the student's household.
    public func educationAidDraft(student studentID: Int64, level: String, status: String, paymentPoint: String, account: String,
                                  feeRelief: String = "", cause: String = "", by principal: Principal) async throws(ServiceError) -> EducationAidDraft {
        let found = try await context.read { db -> (Person, Int64)? in
            guard let person = try await PersonStore().find(id: studentID, on: db) else { return nil }
            var guardian = person.id
            if let membership = try await HouseholdStore().membership(of: studentID, on: db),
               let household = try await HouseholdStore().find(id: membership.householdID, on: db), let head = household.head {
                guardian = head.personID
            }
            return (person, guardian)
        }
        guard let (student, guardian) = found, principal.may(.householdRead, in: student.region) else { throw .notFound }
        try principal.require(.assistanceManage, in: student.region)
        var issues: [FieldIssue] = []
        let schoolLevel = SchoolLevel(rawValue: level)
        if schoolLevel == nil { issues.append(FieldIssue("level", "field.not_in_list", ["value": level])) }
        let studentStatus = StudentStatus(rawValue: status)
        if studentStatus == nil { issues.append(FieldIssue("status", "field.not_in_list", ["value": status])) }
        let payee = try await context.payee(paymentPoint: paymentPoint, account: account, issues: &issues)
        // Fee relief: both its kind and its cause, or neither.
        var relief: EducationAidApplication.FeeRelief?
        let kind = feeRelief.trimmingUnicodeWhitespace()
        let why = cause.trimmingUnicodeWhitespace()
        if !kind.isEmpty || !why.isEmpty {
            let reliefKind = EducationAidApplication.FeeRelief.Kind(rawValue: kind)
            let reliefCause = EducationAidApplication.FeeRelief.Cause(rawValue: why)
            if reliefKind == nil { issues.append(FieldIssue("feeRelief", kind.isEmpty ? "field.required" : "field.not_in_list", ["value": kind])) }
            if reliefCause == nil { issues.append(FieldIssue("feeReliefCause", why.isEmpty ? "field.required" : "field.not_in_list", ["value": why])) }
            if let reliefKind, let reliefCause { relief = .init(kind: reliefKind, cause: reliefCause) }
        }
        guard issues.isEmpty, let schoolLevel, let studentStatus, let payee else { throw .invalid(issues) }
        let input = EducationAidRule.Input(year: Self.schoolYear(of: context.today), level: schoolLevel, status: studentStatus)
        let book = try await policy.book()
        let region = try await installation.required().region
        let result: RuleResult<EducationAidRule.Output>
        do {
            result = try EducationAidRule.evaluate(input, book: book, region: region)
        } catch {
            throw .rule(error)
        }
        return EducationAidDraft(student: student, request: EducationAidApplication.Request(
            studentID: studentID, guardianID: guardian, input: input, aid: result.output, paymentPointID: payee.point.id, account: payee.account,
            feeRelief: relief),
                                 result: result)
    }

    /// The school year a day falls in: it starts in September.
    static func schoolYear(of day: LocalDate) -> Int { day.month >= 9 ? day.year : day.year - 1 }

    /// Opens the application the same figures give, when the rule covers the student or fees are
    /// to be deferred or reduced, and no application of this school year is under way or granted.
    public func openEducationAid(student studentID: Int64, level: String, status: String, paymentPoint: String, account: String,
                                 feeRelief: String = "", cause: String = "", by principal: Principal) async throws(ServiceError) -> Int64 {
        let draft = try await educationAidDraft(student: studentID, level: level, status: status, paymentPoint: paymentPoint, account: account,
                                                feeRelief: feeRelief, cause: cause, by: principal)
        guard draft.result.output.covered || draft.request.feeRelief != nil else { throw .conflict("education_aid.not_covered") }
        let payload = try await perform { try StoreJSON.text(draft.request) }
        let now = context.now
        let context = self.context
        let type = EducationAidApplication.caseType
        return try await context.write { db in
            for summary in try await CaseStore().cases(of: studentID, on: db) where summary.type == type.id && !["refused", "withdrawn"].contains(summary.state) {
                guard let record = try await CaseStore().find(id: summary.id, on: db),
                      let earlier = try? StoreJSON.decoder.decode(EducationAidApplication.Request.self, from: Data(record.payload.utf8)),
                      earlier.input.year != draft.request.input.year else {
                    throw ServiceError.conflict("education_aid.this_year", ["case": String(summary.id)])
                }
            }
            return try await CaseService.open(type, region: draft.student.region, personID: studentID, payload: payload, by: principal, context: context,
                                              at: now, on: db)
        }
    }
}
