import ArgumentParser

/// `shebao`: the one executable. It parses commands and calls into the libraries (STYLE.md §1).
@main
struct ShebaoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shebao",
        abstract: "Shebao (社保): social security administration for a district.",
        subcommands: [
            ServeCommand.self, InitCommand.self, MigrateCommand.self, DemoCommand.self, UserCommand.self, TokenCommand.self,
            AuditCommand.self, CheckCommand.self, ImportCommand.self, ExportCommand.self, ParamsCommand.self, CalcCommand.self,
            CaseCommand.self, RunCommand.self, BenchCommand.self, LedgerCommand.self, InsuranceCommand.self, BenefitsCommand.self, PayrollCommand.self, MedicalCommand.self,
            AssistanceCommand.self,
        ])

    static func main() async {
        ProcessMemory.keepFreedMemoryForReuse()
        await main(nil)
    }
}
