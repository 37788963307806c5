import Testing
@testable import ShebaoCore

@Suite("Access policy")
struct AccessPolicyTests {
    @Test func roleMatrix() {
        #expect(AccessPolicy.allows(.townClerk, .personList))
        #expect(AccessPolicy.allows(.townClerk, .personWrite))
        #expect(!AccessPolicy.allows(.statisticsViewer, .personRead))
        #expect(!AccessPolicy.allows(.citizen, .personList))
        #expect(!AccessPolicy.allows(.employerAgent, .personRead))
        #expect(AccessPolicy.allows(.auditor, .auditRead))
        // Separation of duties (三权分立): the administrator does not read the audit log.
        #expect(!AccessPolicy.allows(.admin, .auditRead))
        #expect(!AccessPolicy.allows(.auditor, .personWrite))
        #expect(AccessPolicy.allows(.citizen, .ownRecordRead))
        for role in Role.allCases where role != .admin {
            #expect(!AccessPolicy.allows(role, .userManage))
        }
    }

    @Test func outOfScopeIsNotFound() {
        let clerk = Principal(userID: 1, username: "x", displayName: "x", role: .townClerk, scope: RegionCode(trusted: "331004103000"))
        #expect(clerk.decide(.personRead, in: RegionCode(trusted: "331004103201")) == .allowed)
        #expect(clerk.decide(.personRead, in: RegionCode(trusted: "331004104201")) == .notFound)
        #expect(clerk.decide(.userManage) == .forbidden)
        // Function-level refusal comes first: a leader gets 403, not a 404 that hints at scope.
        let leader = Principal(userID: 2, username: "y", displayName: "y", role: .statisticsViewer, scope: RegionCode(trusted: "331004000000"))
        #expect(leader.decide(.personRead, in: RegionCode(trusted: "331004104201")) == .forbidden)
    }
}

@Suite("String tables")
struct StringTableTests {
    @Test func threeLanguagesHaveTheSameKeys() {
        let tables = StringTables.bundled
        let reference = Set(tables.table(.zhHans).keys)
        #expect(reference.count > 100)
        for language in Language.allCases {
            #expect(Set(tables.table(language).keys) == reference, "keys differ in \(language.rawValue)")
            for (key, value) in tables.table(language) { #expect(!value.isEmpty, "empty text for \(key) in \(language.rawValue)") }
        }
    }

    @Test func everyEnumeratedLabelExists() {
        let table = StringTables.bundled.table(.zhHans)
        for role in Role.allCases { #expect(table["role.\(role.rawValue)"] != nil) }
        for sex in Sex.allCases { #expect(table["sex.\(sex.rawValue)"] != nil) }
        for type in HukouType.allCases { #expect(table["hukou.\(type.rawValue)"] != nil) }
        for status in PersonStatus.allCases { #expect(table["person_status.\(status.rawValue)"] != nil) }
        for area in AreaType.allCases { #expect(table["area_type.\(area.rawValue)"] != nil) }
        let errors: [String] = [
            ResidentIDError.empty.code, ResidentIDError.wrongLength(1).code, ResidentIDError.fullWidthCharacters.code,
            ResidentIDError.invalidCharacter(position: 1).code, ResidentIDError.wrongCheckCharacter(expected: "1", found: "2").code,
            ResidentIDError.impossibleBirthDate.code, ResidentIDError.birthDateInFuture.code,
            CreditCodeError.empty.code, CreditCodeError.wrongLength(1).code, CreditCodeError.fullWidthCharacters.code,
            CreditCodeError.lowercase(position: 1).code, CreditCodeError.excludedLetter("I", position: 1).code,
            CreditCodeError.invalidCharacter(position: 1).code, CreditCodeError.wrongCheckCharacter(expected: "1", found: "2").code,
            RegionCodeError.wrongLength(1).code, RegionCodeError.notDigits.code, RegionCodeError.unknown("").code,
            MoneyParseError.empty.code, MoneyParseError.fullWidthCharacters.code, MoneyParseError.tooManyDecimals(3).code,
            MoneyParseError.negativeNotAllowed.code, MoneyParseError.misplacedSeparator.code, MoneyParseError.malformed.code,
            MoneyParseError.tooLarge.code,
        ]
        for code in errors { #expect(table["error.\(code)"] != nil, "no message for \(code)") }
    }

    /// The policy book is read in words (issue 14 item 5): every unit and every choice value of the
    /// shipped parameters has a label, so no stored English unit or code reaches a page.
    @Test func everyUnitAndChoiceOfThePolicyBookHasWords() {
        let table = StringTables.bundled.table(.zhHans)
        for parameter in PolicyDefaults.parameters {
            #expect(table["unit.\(parameter.unit)"] != nil, "no words for the unit \(parameter.unit) of \(parameter.key)")
            #expect(table["param.\(parameter.key)"] != nil, "no name for \(parameter.key)")
            if case .choice(let value) = parameter.value { #expect(table["choice.\(value)"] != nil, "no words for the choice \(value) of \(parameter.key)") }
        }
    }

    @Test func placeholdersAreFilled() {
        let text = StringTables.bundled.text("error.resident_id.check", .en, ["expected": "X", "found": "1"])
        #expect(text == "Wrong check character in the resident ID: expected X, found 1.")
        #expect(StringTables.bundled.text("no.such.key", .en) == "no.such.key")
    }

    @Test func posixLanguages() {
        #expect(Language.fromPOSIX("zh_TW.UTF-8") == .zhHant)
        #expect(Language.fromPOSIX("en_US.UTF-8") == .en)
        #expect(Language.fromPOSIX("C.UTF-8") == .zhHans)
        #expect(Language.fromPOSIX(nil) == .zhHans)
    }
}
