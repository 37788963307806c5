import ShebaoCore
import Testing

struct HouseholdRegistrationTests {
    let today = LocalDate(year: 2026, month: 12, day: 1)!

    @Test func theFirstFilledRowIsTheHeadAndBlankRowsAreNoMembers() throws {
        let form = HouseholdRegistration(rows: [
            .init(), .init(residentID: "11010519491231002X", name: "王建国"), .init(residentID: " ", name: "", relation: "", phone: ""),
            .init(residentID: "331004197506154416", relation: "spouse"),
        ])
        let members = try form.members(today: today).get()
        #expect(members.map(\.row) == [1, 3])
        #expect(members.map(\.relation) == [.head, .spouse])
        #expect(members[0].name == "王建国" && members[1].name == nil)
    }

    @Test func everyProblemIsToldBesideItsRow() {
        let form = HouseholdRegistration(rows: [
            .init(residentID: "11010519491231002X", relation: "child"),
            .init(residentID: "110105194912310021", relation: "head"),
            .init(residentID: "11010519491231002X", name: "王1", relation: "cousin", phone: "12"),
            .init(residentID: "331004197506154416"),
        ])
        guard case .failure(let found) = form.members(today: today) else { Issue.record("accepted"); return }
        #expect(found.issues.map(\.field) == [
            "members.0.relation", "members.1.residentID", "members.1.relation", "members.2.residentID", "members.2.relation", "members.2.name",
            "members.2.phone", "members.3.relation",
        ])
        #expect(found.issues.map(\.code) == [
            "household.first_row_head", "resident_id.check", "household.one_head", "household.member_twice", "field.not_in_list", "name.digits",
            "phone.invalid", "field.required",
        ])
        #expect(found.issues[3].arguments == ["row": "1"])
    }

    @Test func anEmptyFormOrAPastedListIsRefused() {
        guard case .failure(let empty) = HouseholdRegistration(rows: [.init(), .init()]).members(today: today) else { Issue.record("accepted"); return }
        #expect(empty.issues == [FieldIssue("members.0.residentID", "field.required")])
        let many = HouseholdRegistration(rows: Array(repeating: .init(name: "王"), count: 31))
        guard case .failure(let tooMany) = many.members(today: today) else { Issue.record("accepted"); return }
        #expect(tooMany.issues.map(\.code) == ["household.too_many"])
    }

    @Test func registerNumbersFollowTheVillagesHighest() throws {
        let village = try RegionCode("331004003203")
        #expect(Household.nextRegisterNumber(in: village, taken: []) == "331004003203-1")
        #expect(Household.nextRegisterNumber(in: village, taken: ["331004003203-9", "331004003203-10", "331004003204-50", "户-3"]) == "331004003203-11")
    }
}
