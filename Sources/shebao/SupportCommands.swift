import ArgumentParser
import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore

/// `shebao assistance support|support-apply|support-end|add-home`: five-guarantees and
/// three-withouts support — the homes and the supported with the centralised rate, an
/// application (moved on with `shebao case …`), ending support, adding a home.
extension AssistanceCommand {
    static func printSupport(_ grant: SupportGrant) {
        print("\(grant.caseID)\t\(grant.personID)\t\(grant.region.value)\t\(grant.kind.rawValue)\t\(grant.arrangement.rawValue)\t"
              + "\(grant.institutionName ?? "—")\t\(grant.certificate)\t\(grant.monthly.decimalString)\t\(grant.monthlyFrom)\t"
              + "\(grant.paidThrough?.description ?? "—")\t\(grant.endsFrom?.description ?? "—")")
    }

    struct Support: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The homes (beds, residents), the supported (case, person, region, kind, arrangement, home, certificate, monthly, from, paid through, ended) and the centralised rate against its target.")
        @Option(help: "The user reading them.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let overview = try await database.run { operations in
                try await operations.assistance.supportOverview(by: try await operations.access.principal(named: user))
            }
            for home in overview.institutions {
                print("home\t\(home.id)\t\(home.name)\t\(home.kind.rawValue)\t\(home.region.value)\tbeds \(home.beds)\tresidents \(home.residents)")
            }
            overview.grants.forEach(AssistanceCommand.printSupport)
            let rate = overview.rate
            print("centralised \(rate.centralised), dispersed \(rate.dispersed), rate \(rate.rate?.decimal(places: 4) ?? "—"), "
                  + "target \(rate.target.decimal(places: 4))\(rate.rate == nil ? "" : rate.met ? " (met)" : " (not met)")")
        }
    }

    struct SupportApply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "support-apply",
                                                        abstract: "Open a five-guarantees or three-withouts support application; prints the case number.")
        @Argument(help: "The person.") var person: Int64
        @Option(help: "five_guarantees or three_withouts.") var kind: String
        @Option(help: "elderly, disabled or minor.") var ground: String
        @Option(help: "institution, foster_agreement or pairing.") var arrangement: String
        @Option(help: "The home's number (in a home).") var home = ""
        @Option(help: "The payment point's number (at home).") var paymentPoint = ""
        @Option(help: "The person's account (at home).") var account = ""
        @Option(help: "The clerk opening it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.assistance.openSupport(person: person, kind: kind, ground: ground, arrangement: arrangement, institution: home,
                                                            paymentPoint: paymentPoint, account: account,
                                                            by: try await operations.access.principal(named: user))
            }
            print(id)
        }
    }

    struct SupportEnd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "support-end", abstract: "End a person's support from a month not yet paid.")
        @OptionGroup var ending: Ending

        func run() async throws {
            let e = ending
            let grant = try await e.database.run { operations in
                try await operations.assistance.endSupport(e.id, from: e.from, reason: e.reason, by: try await operations.access.principal(named: e.user))
            }
            AssistanceCommand.printSupport(grant)
        }
    }

    struct AddHome: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-home", abstract: "Add a nursing or welfare home; prints its number.")
        @Option(help: "Its name.") var name: String
        @Option(help: "nursing_home or welfare_home.") var kind: String
        @Option(help: "The region code it lies in.") var region: String
        @Option(help: "Beds.") var beds: String
        @Option(help: "Bed and common space, m².") var floorArea: String
        @Option(help: "The payment point's number.") var paymentPoint: String
        @Option(help: "The home's account.") var account: String
        @Option(help: "The district clerk adding it.") var user: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = try await database.run { operations in
                try await operations.assistance.addInstitution(name: name, kind: kind, region: region, beds: beds, floorArea: floorArea,
                                                               paymentPoint: paymentPoint, account: account,
                                                               by: try await operations.access.principal(named: user))
            }
            print(id)
        }
    }
}
