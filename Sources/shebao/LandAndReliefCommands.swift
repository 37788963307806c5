import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `shebao assistance land-record|land|relief-apply|donate|pair|deliver|charity`: land-requisitioned
/// farmers, and relief and charity.
extension AssistanceCommand {
    static func printMember(_ member: LandMember) {
        print("\(member.personID)\t\(member.personName)\t\(member.birthDate)\t\(member.group.rawValue)\t\(member.village)\t"
              + "\(member.tier.decimalString)\t\(member.monthlyFrom?.description ?? "—")\t\(member.paidThrough?.description ?? "—")")
    }

    struct LandRecord: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "land-record",
            abstract: "Record a land requisition and its farmers (one resident ID a line in --members-file); prints the requisition's number and its farmers.")
        @Option(help: "The town or street's region code.") var town: String
        @Option(help: "The village.") var village: String
        @Option(help: "The area, mu.") var area: String
        @Option(help: "Compensation and resettlement subsidy, yuan.") var compensation: String
        @Option(help: "The land-sale income, yuan.") var landSaleIncome: String
        @Option(help: "Requisitioned on, YYYY-MM-DD.") var date: String
        @Option(help: "The monthly tier, yuan.") var tier: String
        @Option(help: "What each enrolled farmer brings into the special account, yuan.") var contribution: String
        @Option(help: "The payment point's number.") var paymentPoint: String
        @Option(help: "A file with one resident ID a line.") var membersFile: String
        @Option(help: "The district clerk recording it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: membersFile), let members = String(data: data, encoding: .utf8) else {
                throw ValidationError("cannot read \(membersFile) as UTF-8 text")
            }
            let (id, list) = try await database.run { operations in
                let principal = try await operations.access.principal(named: user)
                let id = try await operations.assistance.recordLandRequisition(
                    LandRequisitionForm(town: town, village: village, area: area, compensation: compensation, landSaleIncome: landSaleIncome,
                                        requisitionedOn: date, tier: tier, contribution: contribution, paymentPoint: paymentPoint, members: members),
                    by: principal)
                return (id, try await operations.assistance.landRequisition(id, by: principal).1)
            }
            print(id)
            list.forEach(AssistanceCommand.printMember)
        }
    }

    struct Land: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "land",
            abstract: "The requisitions (id, town, village, date, area, under 16 / working age / elderly, into the special account), or with --training the training list.")
        @Flag(help: "List the farmers of working age not yet paid instead.") var training = false
        @Option(help: "The user reading it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            if training {
                let members = try await database.run { operations in
                    try await operations.assistance.landTrainingList(by: try await operations.access.principal(named: user))
                }
                members.forEach(AssistanceCommand.printMember)
                return
            }
            let list = try await database.run { operations in
                try await operations.assistance.landRequisitions(by: try await operations.access.principal(named: user))
            }
            for r in list {
                print("\(r.id)\t\(r.region.value)\t\(r.village)\t\(r.requisitionedOn)\t\(r.area)\t\(r.members[.child] ?? 0)/\(r.members[.workingAge] ?? 0)/"
                      + "\(r.members[.elderly] ?? 0)\t\(r.total.decimalString)")
            }
        }
    }

    struct ReliefApply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "relief-apply", abstract: "Open a temporary-relief application for a person; prints the case number.")
        @Argument(help: "The person.") var person: Int64
        @Option(help: "illness, disaster, accident or hardship.") var reason: String
        @Option(help: "The amount asked, yuan.") var amount: String
        @Option(help: "A note on the circumstances.") var note: String = ""
        @Option(help: "The payment point's number.") var paymentPoint: String
        @Option(help: "The person's account.") var account: String
        @Option(help: "The clerk opening it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.assistance.openRelief(person: person, reason: reason, requested: amount, note: note, paymentPoint: paymentPoint,
                                                           account: account, by: try await operations.access.principal(named: user))
            }
            print(id)
        }
    }

    struct Donate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "donate", abstract: "Record a donation into the charity or education-aid fund; prints its number.")
        @Option(help: "charity or education_aid.") var fund: String
        @Option(help: "The donor.") var donor: String
        @Option(help: "The amount, yuan.") var amount: String
        @Option(help: "Received on, YYYY-MM-DD.") var date: String
        @Option(help: "What it is for.") var purpose: String = ""
        @Option(help: "The fund accountant recording it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.assistance.recordDonation(fund: fund, donor: donor, amount: amount, receivedOn: date, purpose: purpose,
                                                               by: try await operations.access.principal(named: user))
            }
            print(id)
        }
    }

    struct Pair: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pair", abstract: "Record paired help between a unit or cadre and a household for a year; prints its number.")
        @Option(help: "unit or cadre.") var kind: String
        @Option(help: "The unit's or cadre's name.") var helper: String
        @Option(help: "The household's register number.") var household: String
        @Option(help: "The year.") var year: String
        @Option(help: "The amount pledged for the year, yuan.") var pledged: String
        @Option(help: "The clerk recording it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.assistance.pair(helperKind: kind, helper: helper, household: household, year: year, pledged: pledged,
                                                     by: try await operations.access.principal(named: user))
            }
            print(id)
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deliver", abstract: "Record what a helper delivered under a pairing.")
        @Argument(help: "The pairing.") var id: Int64
        @Option(help: "The amount delivered, yuan.") var amount: String
        @Option(help: "The clerk recording it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let pairing = try await database.run { operations in
                try await operations.assistance.deliver(id, amount: amount, by: try await operations.access.principal(named: user))
            }
            print("\(pairing.id)\t\(pairing.helperName)\t\(pairing.householdNumber)\t\(pairing.year)\t\(pairing.pledged.decimalString)\t\(pairing.delivered.decimalString)")
        }
    }

    struct Charity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "charity", abstract: "A year's donations, temporary relief granted and paired help, with their totals.")
        @Option(help: "The year.") var year: Int
        @Option(help: "The user reading it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let charity = try await database.run { operations in
                try await operations.assistance.charityYear(year, by: try await operations.access.principal(named: user))
            }
            for d in charity.donations { print("donation\t\(d.id)\t\(d.receivedOn)\t\(d.fund.rawValue)\t\(d.donor)\t\(d.amount.decimalString)") }
            for g in charity.relief { print("relief\t\(g.caseID)\t\(g.personID)\t\(g.reason.rawValue)\t\(g.granted.decimalString)\t\(g.approvedOn)") }
            for p in charity.pairings {
                print("paired\t\(p.id)\t\(p.helperKind.rawValue)\t\(p.helperName)\t\(p.householdNumber)\t\(p.pledged.decimalString)\t\(p.delivered.decimalString)")
            }
            print("total\tdonated \(charity.donated.decimalString)\trelief \(charity.granted.decimalString)\tpledged \(charity.pledged.decimalString)\t"
                  + "delivered \(charity.delivered.decimalString)")
        }
    }
}

/// `shebao assistance home-subsidy|home-subsidies|home-subsidy-pay`: welfare homes' construction subsidies.
extension AssistanceCommand {
    struct HomeSubsidyApply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "home-subsidy", abstract: "Apply for a welfare home's construction subsidy; prints the case number.")
        @Argument(help: "The home's number.") var home: Int64
        @Option(help: "The inspection, YYYY-MM-DD.") var date: String
        @Option(help: "The approved cost of the renovation or extension, yuan.") var renovationCost: String = ""
        @Option(help: "New beds.") var newBeds: String = ""
        @Option(help: "Bed and common space after the works, m².") var floorArea: String = ""
        @Option(help: "Residents after the works.") var residents: String = ""
        @Option(help: "The clerk applying.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.assistance.openHomeSubsidy(home: String(home), date: date, renovationCost: renovationCost, newBeds: newBeds,
                                                                floorArea: floorArea, residents: residents, by: try await operations.access.principal(named: user))
            }
            print(id)
        }
    }

    struct HomeSubsidies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "home-subsidies", abstract: "The subsidies approved: case, home, approved, renovation, new beds, bed subsidy, total, paid on, reference.")
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let list = try await database.run { operations in
                try await operations.assistance.homeSubsidies(by: try await operations.access.principal(named: user))
            }
            for s in list {
                print("\(s.caseID)\t\(s.institutionName)\t\(s.approvedOn)\t\(s.renovation.decimalString)\t\(s.newBeds)\t\(s.beds.decimalString)\t"
                      + "\(s.total.decimalString)\t\(s.paidOn?.description ?? "—")\t\(s.reference ?? "—")")
            }
        }
    }

    struct HomeSubsidyPay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "home-subsidy-pay", abstract: "Record the transfer that paid an approved subsidy.")
        @Argument(help: "The subsidy's case.") var id: Int64
        @Option(help: "The transfer's reference.") var reference: String
        @Option(help: "Paid on, YYYY-MM-DD.") var paidOn: String
        @Option(help: "The fund accountant recording it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let paid = try await database.run { operations in
                try await operations.assistance.payHomeSubsidy(id, reference: reference, paidOn: paidOn, by: try await operations.access.principal(named: user))
            }
            print("\(paid.caseID)\t\(paid.institutionName)\t\(paid.total.decimalString)\t\(paid.paidOn?.description ?? "—")\t\(paid.reference ?? "—")")
        }
    }
}

/// `shebao assistance hardship|hardship-designate|hardship-end`: the register of special-hardship families.
extension AssistanceCommand {
    static func printHardship(_ h: HardshipHousehold) {
        print("\(h.id)\t\(h.householdNumber)\t\(h.region.value)\t\(h.needs.map(\.rawValue).joined(separator: ","))\t\(h.designatedOn)\t\(h.reviewBy)\t"
              + "\(h.endedOn?.description ?? "—")\trelief \(h.relief.decimalString)\tpaired \(h.pairedHelp.decimalString)\taid \(h.educationAid.decimalString)")
    }

    struct Hardship: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The special-hardship families on the register: id, household, region, needs, listed, review by, ended, this year's relief, paired help and aid.")
        @Flag(help: "Those who left the register too.") var all = false
        @Option(help: "The user reading it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let list = try await database.run { operations in
                try await operations.assistance.hardshipHouseholds(current: !all, by: try await operations.access.principal(named: user))
            }
            list.forEach(AssistanceCommand.printHardship)
        }
    }

    struct HardshipDesignate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hardship-designate", abstract: "Put a household on the special-hardship register.")
        @Option(help: "The household's register number.") var household: String
        @Option(help: "employment, schooling, living — comma-separated.") var needs: String
        @Option(help: "Why.") var reason: String
        @Option(help: "The clerk.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let listed = try await database.run { operations in
                try await operations.assistance.designateHardship(household: household, needs: needs.split(separator: ",").map(String.init), reason: reason,
                                                                  by: try await operations.access.principal(named: user))
            }
            AssistanceCommand.printHardship(listed)
        }
    }

    struct HardshipEnd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hardship-end", abstract: "Take a family off the special-hardship register.")
        @Argument(help: "The entry.") var id: Int64
        @Option(help: "Why.") var reason: String
        @Option(help: "The clerk.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let ended = try await database.run { operations in
                try await operations.assistance.endHardship(id, reason: reason, by: try await operations.access.principal(named: user))
            }
            AssistanceCommand.printHardship(ended)
        }
    }
}
