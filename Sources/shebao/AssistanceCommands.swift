import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `shebao assistance grants|apply|end|due|review|aid|ncms-enrol|ncms-participation|notices|support…`:
/// the minimum living guarantee, education aid, the rural cooperative medical scheme and
/// five-guarantees support (SupportCommands.swift). Applications move through their steps with `shebao case …`
/// like every case.
struct AssistanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assistance", abstract: "Social assistance: dibao applications, grants and reviews, education aid, the rural medical scheme, five-guarantees support, the public notices.",
        subcommands: [Grants.self, Apply.self, End.self, Due.self, Review.self, Aid.self, NcmsEnrol.self, NcmsParticipation.self, Notices.self,
                      NcmsClaim.self, Support.self, SupportApply.self, SupportEnd.self, AddHome.self, LevyIssue.self, LevyBills.self, LevyPay.self, LandRecord.self, Land.self, ReliefApply.self, Donate.self,
                      Pair.self, Deliver.self, Charity.self, HomeSubsidyApply.self, HomeSubsidies.self, HomeSubsidyPay.self,
                      Hardship.self, HardshipDesignate.self, HardshipEnd.self])

    static func printGrant(_ grant: DibaoGrant) {
        print("\(grant.caseID)\t\(grant.personID)\t\(grant.region.value)\t\(grant.householdSize)\t\(grant.monthly.decimalString)\t\(grant.monthlyFrom)\t"
              + "\(grant.paidThrough?.description ?? "—")\t\(grant.endsFrom?.description ?? "—")\t\(grant.category.rawValue)\t\(grant.nextReview)")
    }

    struct Grants: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The households granted dibao in the user's scope: case, head, region, size, monthly, from, paid through, ended, category, next review.")
        @Flag(help: "Only those still paid.") var current = false
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let grants = try await database.run { operations in
                try await operations.assistance.dibaoGrants(current: current, by: try await operations.access.principal(named: user))
            }
            grants.forEach(AssistanceCommand.printGrant)
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a dibao application for a person's household; prints the case number.")
        @Argument(help: "A member of the household (the head is paid).") var person: Int64
        @Option(help: "The household's total monthly income, yuan.") var income: String
        @Flag(help: "No work capacity, no income, no legal supporter.") var threeWithouts = false
        @Option(help: "Members aged 60 or more qualifying for the add-on.") var elderly = ""
        @Option(help: "Severely disabled members.") var severelyDisabled = ""
        @Option(help: "Seriously ill members.") var seriouslyIll = ""
        @Option(help: "Minors.") var minors = ""
        @Option(help: "The payment point's number.") var paymentPoint: String
        @Option(help: "The head's account.") var account: String
        @Option(help: "The clerk opening it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.assistance.openDibao(person: person, monthlyIncome: income, threeWithouts: threeWithouts, elderly: elderly,
                                                          severelyDisabled: severelyDisabled, seriouslyIll: seriouslyIll, minors: minors,
                                                          paymentPoint: paymentPoint, account: account, by: try await operations.access.principal(named: user))
            }
            print(id)
        }
    }

    /// What ending a monthly benefit asks: which, from when, why, by whom.
    struct Ending: ParsableArguments {
        @Argument(help: "The grant's case number.") var id: Int64
        @Option(help: "The first month not paid, YYYY-MM.") var from: String
        @Option(help: "Why.") var reason: String
        @Option(help: "The clerk ending it.") var user: String
        @OptionGroup var database: DatabaseOptions
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a household's dibao from a month not yet paid.")
        @OptionGroup var ending: Ending

        func run() async throws {
            let e = ending
            let grant = try await e.database.run { operations in
                try await operations.assistance.endDibao(e.id, from: e.from, reason: e.reason, by: try await operations.access.principal(named: e.user))
            }
            AssistanceCommand.printGrant(grant)
        }
    }

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The grants due for their periodic review today or before, the most overdue first.")
        @Option(help: "The clerk reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let grants = try await database.run { operations in
                try await operations.assistance.dibaoDueForReview(by: try await operations.access.principal(named: user))
            }
            grants.forEach(AssistanceCommand.printGrant)
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a grant's periodic review: continued, or ended from a month not yet paid.")
        @Argument(help: "The grant's case number.") var id: Int64
        @Option(help: "continued or ended.") var outcome: String
        @Option(help: "When ended: the first month not paid, YYYY-MM.") var from = ""
        @Option(help: "What the review found.") var note: String
        @Option(help: "The clerk reviewing it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let grant = try await database.run { operations in
                try await operations.assistance.reviewDibao(id, outcome: outcome, from: from, note: note, by: try await operations.access.principal(named: user))
            }
            AssistanceCommand.printGrant(grant)
        }
    }

    struct Aid: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open an education-aid application for a student this school year; prints the case number.")
        @Argument(help: "The student.") var student: Int64
        @Option(help: "primary, junior_secondary, senior_secondary or university.") var level: String
        @Option(help: "three_disabilities, dibao or poor.") var status: String
        @Option(help: "The payment point's number.") var paymentPoint: String
        @Option(help: "The household head's account.") var account: String
        @Option(help: "deferral or reduction: the school's fees deferred or reduced for a family struck by disaster or illness.") var feeRelief = ""
        @Option(help: "disaster or illness: why the fees are deferred or reduced.") var feeReliefCause = ""
        @Option(help: "The clerk opening it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.assistance.openEducationAid(student: student, level: level, status: status, paymentPoint: paymentPoint, account: account,
                                                                 feeRelief: feeRelief, cause: feeReliefCause,
                                                                 by: try await operations.access.principal(named: user))
            }
            print(id)
        }
    }

    struct NcmsEnrol: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ncms-enrol", abstract: "Enrol a person's whole household in the rural cooperative medical scheme for a year; prints the financing split.")
        @Argument(help: "A member of the household.") var person: Int64
        @Option(help: "The year.") var year: String
        @Option(help: "The clerk enrolling it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let e = try await database.run { operations in
                try await operations.assistance.enrolNcms(person: person, year: year, by: try await operations.access.principal(named: user))
            }
            let f = e.financing
            print("\(e.householdID)\t\(e.year)\t\(e.participants)\t\(e.assisted)\t\(f.participantsPay.decimalString)\t\(f.town.decimalString)\t"
                  + "\(f.district.decimalString)\t\(f.city.decimalString)\t\(f.total.decimalString)")
        }
    }

    struct NcmsClaim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ncms-claim",
            abstract: "Open a catastrophic-illness claim on the rural scheme for a participant's hospital stay (medical assistance after it for the assisted); prints the case number.")
        @Argument(help: "The patient.") var person: Int64
        @Option(help: "The hospital's number.") var hospital: String
        @Option(help: "Admitted, YYYY-MM-DD.") var admitted: String
        @Option(help: "Discharged, YYYY-MM-DD.") var discharged: String
        @Option(help: "The whole bill, yuan.") var totalCost: String
        @Option(help: "The part the scheme covers, yuan.") var eligibleCost: String
        @Option(help: "office or insurer: who handled it.") var handler: String
        @Option(help: "The payment point's number.") var paymentPoint: String
        @Option(help: "The patient's account.") var account: String
        @Option(help: "The clerk opening it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.assistance.openNcmsClaim(person: person, institution: hospital, admittedOn: admitted, dischargedOn: discharged,
                                                              totalCost: totalCost, eligibleCost: eligibleCost, handler: handler, paymentPoint: paymentPoint,
                                                              account: account, by: try await operations.access.principal(named: user))
            }
            print(id)
        }
    }

    struct NcmsParticipation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ncms-participation", abstract: "Participation per town or street in a year: households, enrolled, eligible, rate (basis points), target met.")
        @Option(help: "The year.") var year: Int
        @Option(help: "The user reading it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let rows = try await database.run { operations in
                try await operations.assistance.ncmsParticipation(year: year, by: try await operations.access.principal(named: user))
            }
            for row in rows {
                let p = row.participation
                print("\(p.township.value)\t\(p.households)\t\(p.enrolled)\t\(p.eligible)\t\(row.rateBasisPoints)\t\(row.meetsTarget.map { $0 ? "met" : "not met" } ?? "—")")
            }
        }
    }

    struct Notices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What the notice boards show today: region, masked name, household size, monthly, notice dates.")
        @Option(help: "A community's region code (the whole district by default).") var region: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let code: RegionCode?
            if let region {
                guard let parsed = try? RegionCode(region) else { throw CLI.fail(ServiceError.invalid("region", "region_code.unknown", ["code": region])) }
                code = parsed
            } else {
                code = nil
            }
            let notices = try await database.run { operations in try await operations.assistance.notices(in: code) }
            for notice in notices {
                print("\(notice.region.value)\t\(notice.maskedName)\t\(notice.householdSize)\t\(notice.monthly.decimalString)\t\(notice.startsOn)…\(notice.endsOn)")
            }
        }
    }
}
