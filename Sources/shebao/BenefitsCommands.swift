import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `shebao benefits award|pensions|unemployment|refer`: the pension award and the pensions being
/// paid; unemployment spells and the referral of ended ones to the minimum living guarantee.
struct BenefitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benefits", abstract: "Benefits: pension awards and pensions; unemployment spells and their referral to the minimum living guarantee.",
        subcommands: [Award.self, Pensions.self, Unemployment.self, Refer.self, EndSurvivorPensions.self])

    struct Award: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute a person's pension award from the archive's figures and their record; with --open, open the award case.")
        @Option(help: "The person's resident ID.") var residentId: String
        @Option(help: "The retirement date, YYYY-MM-DD.") var retirementDate: String
        @Option(help: "A woman's retirement category: female_worker (50) or female_cadre (55).") var category: String = ""
        @Option(help: "The average contribution wage index from the archive, e.g. 0.85.") var averageIndex: String
        @Option(help: "Months deemed paid (视同缴费), from the archive.") var deemedMonths: Int?
        @Option(help: "Months paid or deemed before 1998, from the archive.") var monthsBefore1998: Int?
        @Flag(help: "Open the award case (a clerk checks the archive, a reviewer approves).") var open = false
        @Option(help: "The clerk.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (draft, caseID) = try await database.run { operations in
                let clerk = try await operations.access.principal(named: user)
                guard let person = try await operations.registry.searchPersons(PersonSearchText(residentID: residentId), by: clerk).items.first else {
                    throw ServiceError.notFound
                }
                let figures = (retirementDate, averageIndex, deemedMonths.map(String.init) ?? "", monthsBefore1998.map(String.init) ?? "")
                let draft = try await operations.benefits.pensionAward(personID: person.id, retirementDate: figures.0, category: category, averageIndex: figures.1,
                                                                       deemedMonths: figures.2, monthsBefore1998: figures.3, by: clerk)
                let caseID = open ? try await operations.benefits.openPensionAward(personID: person.id, retirementDate: figures.0, category: category,
                                                                                    averageIndex: figures.1,
                                                                                    deemedMonths: figures.2, monthsBefore1998: figures.3, by: clerk) : nil
                return (draft, caseID)
            }
            let award = draft.result.output
            for (key, value) in [("pension_award.contribution_months", String(draft.input.contributionMonths)),
                                 ("pension_award.account_balance", draft.input.accountBalance.formatted), ("pension_award.start", draft.start.description),
                                 ("pension_award.basic", award.basic.formatted), ("pension_award.account", award.account.formatted),
                                 ("pension_award.transitional", award.transitional.formatted), ("pension_award.top_up", award.floorTopUp.formatted),
                                 ("pension_award.total", award.total.formatted)] {
                print("\(CLI.text(key))\t\(value)")
            }
            if !award.eligible {
                print(CLI.text("error.pension_award.not_eligible", ["minimum": String(award.minimumContributionMonths)]))
            }
            if let caseID { print("#\(caseID)") }
        }
    }

    struct Pensions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The pensions being paid in the user's scope.")
        @Option(help: "The user reading them.") var user: String
        @Option(help: "Page number.") var page = 1
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let list = try await database.run { operations in
                try await operations.benefits.pensions(paging: Paging(page: page, perPage: 100), by: try await operations.access.principal(named: user))
            }
            for pension in list.items {
                print("\(pension.personID)\t\(pension.name)\t\(pension.start)\t\(pension.monthly.decimalString)\t#\(pension.caseID)")
            }
            print(CLI.text("pager.page", ["page": String(list.page), "pages": String(list.pageCount)]))
        }
    }

    struct Unemployment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The unemployment spells in the user's scope: months paid, priority groups, status.")
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let spells = try await database.run { operations in try await operations.benefits.unemploymentSpells(by: try await operations.access.principal(named: user)) }
            for spell in spells {
                print("#\(spell.caseID)\t\(spell.name)\t\(spell.registeredOn)\t\(spell.issued)/\(spell.months)\t\(spell.monthly.decimalString)\t"
                      + "\(spell.priority.map { CLI.text("unemployment.priority." + $0) }.joined(separator: ","))\t\(CLI.label(spell.status))")
            }
        }
    }

    struct Refer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refer an ended spell (months used up, still without work) to the minimum-living-guarantee office.")
        @Argument(help: "The spell's case number.") var spell: Int64
        @Option(help: "The clerk referring it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.run { operations in try await operations.benefits.referToDibao(spell, by: try await operations.access.principal(named: user)) }
            print(CLI.text("unemployment.referred_done"))
        }
    }

    struct EndSurvivorPensions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "end-survivor-pensions", abstract: "End the survivor pensions after a death from a work injury from a month on (the dependants no longer qualify).")
        @Argument(help: "The deceased worker's person number.") var person: Int64
        @Option(help: "The first month not paid, YYYY-MM.") var from: String
        @Option(help: "The clerk recording it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.run { operations in
                try await operations.benefits.endSurvivorPensions(personID: person, from: from, by: try await operations.access.principal(named: user))
            }
        }
    }
}
