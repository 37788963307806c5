public import ArgumentParser
public import ShebaoCore
import ShebaoOperations
import ShebaoStore

extension Role: ExpressibleByArgument {}

/// `shebao user add|list|disable|enable|reset-password|requests|approve|reject`. The operator at
/// the command line holds the database: what they do takes effect without a second
/// administrator, and they may decide the requests administrators made on the pages.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, ResetPassword.self, Requests.self, Approve.self, Reject.self])

    /// The account named `name`, or an error naming it.
    static func account(_ name: String, in operations: Operations) async throws(ServiceError) -> UserRecord {
        guard let user = try await operations.access.allUsers().first(where: { $0.username == name }) else {
            throw ServiceError(.notFound, "user.unknown", ["username": name])
        }
        return user
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: no login, sessions ended, API tokens revoked.")
        @Argument(help: "Login name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.run { operations in try await operations.access.disableUser(try await UserCommand.account(name, in: operations).id, by: nil) }
            print(CLI.text("account.disabled_named", ["username": name]))
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @Argument(help: "Login name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            _ = try await database.run { operations in try await operations.access.enableUser(try await UserCommand.account(name, in: operations).id, by: nil) }
            print(CLI.text("account.enabled_named", ["username": name]))
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password",
                                                        abstract: "Give a user a new random password, to be changed at their next login.")
        @Argument(help: "Login name.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (password, _) = try await database.run { operations in
                try await operations.access.resetPassword(try await UserCommand.account(name, in: operations).id, by: nil)
            }
            print(CLI.text("account.reset_named", ["username": name]))
            print(CLI.text("user.generated_password", ["password": password]))
        }
    }

    struct Requests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List requests about privileged accounts waiting for a second administrator.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            for request in try await database.run({ try await $0.access.accountRequests(by: nil) }) {
                print("\(request.id)\t\(request.kind.rawValue)\t\(request.user.username)\t\(request.user.role.rawValue)\t\(request.requestedByName ?? "-")\t\(request.requestedAt)")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a request (from `shebao user requests`).")
        @Argument(help: "Request id.") var id: Int64
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let request = try await database.run { try await $0.access.decideAccountRequest(id, approve: true, by: nil) }
            print(CLI.text("account.request_approved", ["username": request.user.username]))
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a request (from `shebao user requests`).")
        @Argument(help: "Request id.") var id: Int64
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let request = try await database.run { try await $0.access.decideAccountRequest(id, approve: false, by: nil) }
            print(CLI.text("account.request_rejected", ["username": request.user.username]))
        }
    }

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
            let initial = password ?? Secrets.randomToken().prefix(16).description
            let user = try await database.run { operations in
                try await operations.access.createUser(username: name, displayName: displayName ?? name, role: role, region: code, password: initial, by: nil)
            }
            print(CLI.text("user.added", ["username": user.username, "role": CLI.label(role), "region": code.value]))
            if password == nil { print(CLI.text("user.generated_password", ["password": initial])) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            for user in try await database.run({ try await $0.access.allUsers() }) {
                print("\(user.id)\t\(user.username)\t\(user.role.rawValue)\t\(user.region.value)\t\(user.status.rawValue)\t\(user.displayName)")
            }
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
        @Option(help: "Days until it stops working (1–\(AccountPolicy.maximumTokenDays)).") var days = AccountPolicy.tokenDays
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            print(try await database.run { try await $0.access.createToken(username: name, label: label, days: days) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their values).")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            for token in try await database.run({ try await $0.access.tokenList() }) {
                print("\(token.id)\t\(token.username)\t\(token.label)\t\(token.createdAt)\texpires \(token.expiresAt)\t\(token.revokedAt.map { "revoked " + $0 } ?? "active")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id.")
        @Argument(help: "Token id (from `shebao token list`).") var id: Int64
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.run { try await $0.access.revokeToken(id: id) }
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
            let result = try await database.run { try await $0.access.verifyAudit(by: nil) }
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
