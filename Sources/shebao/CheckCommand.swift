import ArgumentParser
import ShebaoCore
import ShebaoStore

/// `shebao check id NUMBER` and `shebao check credit-code CODE`: validate and normalise an identifier.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a resident ID or a unified social credit code.",
        subcommands: [CheckID.self, CheckCreditCode.self])

    struct CheckID: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "id", abstract: "Validate a resident ID (GB 11643-1999); 15-character numbers are converted.")

        @Argument(help: "The 18- or 15-character number.") var number: String

        func run() async throws {
            do {
                let id = try ResidentID(number, today: SystemClock().now().dateInChina)
                print(id.value)
                print(CLI.text("check.birth_date", ["date": id.birthDate.description]))
                print(CLI.text("check.sex", ["sex": CLI.label(id.sex)]))
            } catch {
                CLI.printError(CLI.text("error.\(error.code)", error.arguments))
                throw ExitCode(1)
            }
        }
    }

    struct CheckCreditCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credit-code", abstract: "Validate a unified social credit code (GB 32100-2015).")

        @Argument(help: "The 18-character code.") var code: String

        func run() async throws {
            do {
                let code = try CreditCode(code)
                print(code.value)
                if !code.organisationCodeConsistent { print(CLI.text("check.organisation_code_warning")) }
            } catch {
                CLI.printError(CLI.text("error.\(error.code)", error.arguments))
                throw ExitCode(1)
            }
        }
    }
}
