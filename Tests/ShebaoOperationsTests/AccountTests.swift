import Foundation
import ShebaoCore
import ShebaoOperations
import ShebaoStore
import ShebaoTestSupport
import Testing

/// The life of an account (issue 9): privileged accounts on a second administrator's approval, an
/// administrator's two hands kept apart, disabling, password resets, token expiry — on both databases.
@Suite("Accounts")
struct AccountTests {
    static let district = RegionCode(trusted: "331004000000")
    static let xinqiao = RegionCode(trusted: "331004103000")

    /// The demo's second administrator.
    static func secondAdministrator(_ operations: Operations) async throws -> Principal {
        try await operations.access.principal(named: "admin2")
    }

    @Test(arguments: TestDatabaseKind.available)
    func privilegedAccountsWaitForASecondAdministrator(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let access = operations.access
            let admin = try await access.principal(named: "admin")
            let admin2 = try await Self.secondAdministrator(operations)
            let reviewer = try await access.createUser(username: "rev2", displayName: "rev2", role: .reviewer, region: Self.district,
                                                       password: "reviewer-two-2026", by: admin)
            #expect(reviewer.status == .pending)
            await #expect(throws: ServiceError.self) { try await access.logIn(username: "rev2", password: "reviewer-two-2026") }
            let request = try #require(try await access.accountRequests(by: admin).first { $0.user.id == reviewer.id })
            #expect(request.kind == .create && request.requestedBy == admin.userID)
            await #expect(throws: ServiceError(.forbidden, "maker_checker.own_proposal")) {
                try await access.decideAccountRequest(request.id, approve: true, by: admin)
            }
            _ = try await access.decideAccountRequest(request.id, approve: true, by: admin2)
            #expect(try await access.logIn(username: "rev2", password: "reviewer-two-2026").user.status == .active)
            await #expect(throws: ServiceError.conflict("maker_checker.not_pending")) {
                try await access.decideAccountRequest(request.id, approve: false, by: admin2)
            }
            // A clerk's account needs no second administrator.
            let clerk = try await access.createUser(username: "clerk2", displayName: "clerk2", role: .townClerk, region: Self.xinqiao,
                                                    password: "town-clerk-2026", by: admin)
            #expect(clerk.status == .active)
            // A rejected account stays unable to log in.
            let auditor = try await access.createUser(username: "aud2", displayName: "aud2", role: .auditor, region: Self.district,
                                                      password: "auditor-two-2026", by: admin2)
            let auditorRequest = try #require(try await access.accountRequests(by: admin).first { $0.user.id == auditor.id })
            _ = try await access.decideAccountRequest(auditorRequest.id, approve: false, by: admin)
            await #expect(throws: ServiceError.self) { try await access.logIn(username: "aud2", password: "auditor-two-2026") }
            #expect(try await access.user(id: auditor.id)?.status == .disabled)
        }
    }

    /// A reviewer made by an administrator cannot approve what an account made by the same
    /// administrator proposed, within the review window; after it, or for another reviewer, they can.
    @Test(arguments: TestDatabaseKind.available)
    func oneAdministratorsTwoHandsCannotApproveEachOther(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let access = operations.access
            let admin = try await access.principal(named: "admin")
            let admin2 = try await Self.secondAdministrator(operations)
            let reviewer = try await access.createUser(username: "rev2", displayName: "rev2", role: .reviewer, region: Self.district,
                                                       password: "reviewer-two-2026", by: admin)
            let request = try #require(try await access.accountRequests(by: admin2).first { $0.user.id == reviewer.id })
            _ = try await access.decideAccountRequest(request.id, approve: true, by: admin2)
            _ = try await access.createUser(username: "clerk2", displayName: "clerk2", role: .townClerk, region: Self.xinqiao,
                                            password: "town-clerk-2026", by: admin)
            let clerk2 = try await access.principal(named: "clerk2")
            let rev2 = try await access.principal(named: "rev2")

            let pair = try await mergeablePair(operations.database, in: Self.xinqiao)
            let merge = try await operations.registry.proposeMerge(keep: pair.kept.id, merge: pair.merged.id, reason: "同一人", by: clerk2)
            await #expect(throws: ServiceError(.forbidden, "maker_checker.same_administrator")) {
                try await operations.registry.decideMerge(merge.id, approve: true, note: nil, by: rev2)
            }
            // The demo's reviewer, whom no administrator touched, may decide it.
            let demoReviewer = try await access.principal(named: "reviewer")
            _ = try await operations.registry.decideMerge(merge.id, approve: false, note: "再核实", by: demoReviewer)

            // After the window the two accounts stand apart again.
            clock.advance(seconds: Int64(AccountPolicy.reviewWindowDays + 1) * 86_400)
            let again = try await operations.registry.proposeMerge(keep: pair.kept.id, merge: pair.merged.id, reason: "同一人", by: clerk2)
            let decided = try await operations.registry.decideMerge(again.id, approve: false, note: nil, by: rev2)
            #expect(decided.status == .rejected)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func disablingEndsSessionsAndRevokesTokens(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let access = operations.access
            let admin = try await access.principal(named: "admin")
            let session = try await access.logIn(username: "xinqiao", password: DemoDistrict.demoPassword)
            let token = try await access.createToken(username: "xinqiao", label: "test")
            let clerk = session.user
            await #expect(throws: ServiceError(.forbidden, "account.own")) { try await access.disableUser(admin.userID, by: admin) }
            try await access.disableUser(clerk.id, by: admin)
            let audit = try #require(try await latestAudit(operations.database).first)
            #expect(audit.action == "disable" && audit.entityID == String(clerk.id) && audit.actor == "admin")
            #expect(try await access.session(session.sessionID) == nil)
            #expect(try await access.bearer(token) == nil)
            await #expect(throws: ServiceError.self) { try await access.logIn(username: "xinqiao", password: DemoDistrict.demoPassword) }
            await #expect(throws: ServiceError.conflict("account.already_disabled")) { try await access.disableUser(clerk.id, by: admin) }
            // A clerk comes back at once; their old token does not.
            #expect(try await access.enableUser(clerk.id, by: admin) == false)
            #expect(try await access.logIn(username: "xinqiao", password: DemoDistrict.demoPassword).user.id == clerk.id)
            #expect(try await access.bearer(token) == nil)
            // A privileged account comes back only on a second administrator's approval.
            let auditor = try await access.principal(named: "auditor")
            try await access.disableUser(auditor.userID, by: admin)
            #expect(try await access.enableUser(auditor.userID, by: admin) == true)
            await #expect(throws: ServiceError.self) { try await access.logIn(username: "auditor", password: DemoDistrict.demoPassword) }
            let admin2 = try await Self.secondAdministrator(operations)
            let request = try #require(try await access.accountRequests(by: admin2).first { $0.user.id == auditor.userID })
            _ = try await access.decideAccountRequest(request.id, approve: true, by: admin2)
            #expect(try await access.logIn(username: "auditor", password: DemoDistrict.demoPassword).user.role == .auditor)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aResetPasswordIsChangedAtTheNextLogin(kind: TestDatabaseKind) async throws {
        try await withTestDistrict(kind) { operations in
            let access = operations.access
            let admin = try await access.principal(named: "admin")
            let before = try await access.logIn(username: "lunan", password: DemoDistrict.demoPassword)
            let (password, waits) = try await access.resetPassword(before.user.id, by: admin)
            #expect(!waits && password.count == 16)
            #expect(try await access.session(before.sessionID) == nil)
            await #expect(throws: ServiceError.self) { try await access.logIn(username: "lunan", password: DemoDistrict.demoPassword) }
            let signedIn = try await access.logIn(username: "lunan", password: password)
            #expect(signedIn.user.mustChangePassword)
            let lunan = signedIn.user.principal
            await #expect(throws: ServiceError.invalid("current", "account.wrong_password")) {
                try await access.changePassword(current: "not-it", new: "lunan-own-2026", by: lunan)
            }
            await #expect(throws: ServiceError.invalid("new", "password.too_short")) {
                try await access.changePassword(current: password, new: "short", by: lunan)
            }
            try await access.changePassword(current: password, new: "lunan-own-2026", by: lunan)
            let after = try await access.logIn(username: "lunan", password: "lunan-own-2026")
            #expect(!after.user.mustChangePassword)

            // A privileged account's new password waits for the second administrator.
            let auditor = try await access.principal(named: "auditor")
            let (auditorPassword, auditorWaits) = try await access.resetPassword(auditor.userID, by: admin)
            #expect(auditorWaits)
            await #expect(throws: ServiceError.self) { try await access.logIn(username: "auditor", password: auditorPassword) }
            #expect(try await access.logIn(username: "auditor", password: DemoDistrict.demoPassword).user.id == auditor.userID)
            await #expect(throws: ServiceError.conflict("account.request_pending")) { try await access.resetPassword(auditor.userID, by: admin) }
            let admin2 = try await Self.secondAdministrator(operations)
            let request = try #require(try await access.accountRequests(by: admin2).first { $0.user.id == auditor.userID })
            _ = try await access.decideAccountRequest(request.id, approve: true, by: admin2)
            #expect(try await access.logIn(username: "auditor", password: auditorPassword).user.mustChangePassword)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func tokensExpire(kind: TestDatabaseKind) async throws {
        let clock = TestClock()
        try await withTestDistrict(kind, clock: clock) { operations in
            let access = operations.access
            let shortLived = try await access.createToken(username: "district", label: "one day", days: 1)
            let standard = try await access.createToken(username: "district", label: "standard")
            #expect(try await access.tokenList().last?.expiresAt == clock.now().adding(seconds: Int64(AccountPolicy.tokenDays) * 86_400).iso8601)
            clock.advance(seconds: 86_400 + 60)
            #expect(try await access.bearer(shortLived) == nil)
            #expect(try await access.bearer(standard)?.username == "district")
            await #expect(throws: ServiceError.self) { try await access.createToken(username: "district", label: "too long", days: 400) }
            await #expect(throws: ServiceError.self) { try await access.createToken(username: "district", label: "none", days: 0) }
        }
    }
}
