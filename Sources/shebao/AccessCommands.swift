public import ArgumentParser
public import ShebaoCore
import ShebaoStore

extension Role: ExpressibleByArgument {}

/// `shebao user add|list`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with a role and a region scope.")

        @Argument(help: "Login name.") var name: String
        @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: Role
        @Option(help: "Region scope: a 12-digit code (6 or 9 digits are padded), e.g. 331004103000.") var region: String
        @Option(help: "Name shown on screen (defaults to the login name).") var displayName: String?
        @Option(help: "Initial password; a random one is generated and printed when omitted.") var password: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let code: RegionCode
            do {
                code = try RegionCode(region)
            } catch {
                throw ValidationError(CLI.text("error.\(error.code)", error.arguments))
            }
            let db = try await database.open(logger: CLI.logger())
            let initial = password ?? Secrets.randomToken().prefix(16).description
            do {
                let user = try await UserStore(database: db).create(
                    username: name, displayName: displayName ?? name, role: role, region: code, password: initial,
                    by: .system("cli"))
                print(CLI.text("user.added", ["username": user.username, "role": CLI.text("role.\(role.rawValue)"), "region": code.value]))
                if password == nil { print(CLI.text("user.generated_password", ["password": initial])) }
            } catch let error as UserStoreError {
                await db.close()
                CLI.printError(CLI.text("error.\(error.code)", ["username": name, "code": code.value]))
                throw ExitCode(1)
            }
            await db.close()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.open(logger: CLI.logger())
            for user in try await UserStore(database: db).list() {
                print("\(user.id)\t\(user.username)\t\(user.role.rawValue)\t\(user.region.value)\t\(user.status.rawValue)\t\(user.displayName)")
            }
            await db.close()
        }
    }
}

/// `shebao token create|list|revoke`: API bearer tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API bearer tokens.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token for a user; it is printed once.")

        @Argument(help: "The user's login name.") var name: String
        @Option(help: "What the token is for.") var label = "cli"
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.open(logger: CLI.logger())
            do {
                let token = try await TokenStore(database: db).create(username: name, label: label, by: .system("cli"))
                print(token)
            } catch let error as UserStoreError {
                await db.close()
                CLI.printError(CLI.text("error.\(error.code)", ["username": name]))
                throw ExitCode(1)
            }
            await db.close()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their values).")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.open(logger: CLI.logger())
            for token in try await TokenStore(database: db).list() {
                print("\(token.id)\t\(token.username)\t\(token.label)\t\(token.createdAt)\t\(token.revokedAt.map { "revoked " + $0 } ?? "active")")
            }
            await db.close()
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id.")
        @Argument(help: "Token id (from `shebao token list`).") var id: Int64
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.open(logger: CLI.logger())
            let revoked = try await TokenStore(database: db).revoke(id: id, by: .system("cli"))
            await db.close()
            guard revoked else {
                CLI.printError(CLI.text("token.not_found", ["id": String(id)]))
                throw ExitCode(1)
            }
            print(CLI.text("token.revoked", ["id": String(id)]))
        }
    }
}

/// `shebao audit verify`: recompute the audit log's hash chain.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check that no audit row was changed or removed; exit 1 if any was.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.open(logger: CLI.logger())
            let result = try await AuditLog.verify(db)
            await db.close()
            if result.isIntact {
                print(CLI.text("audit.intact", ["rows": String(result.rowsChecked)]))
            } else {
                for problem in result.problems { CLI.printError(CLI.text(problem.code, problem.arguments)) }
                CLI.printError(CLI.text("audit.broken", ["rows": String(result.rowsChecked)]))
                throw ExitCode(1)
            }
        }
    }
}
