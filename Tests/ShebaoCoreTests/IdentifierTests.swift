import PropertyBased
import Testing
@testable import ShebaoCore

private let today = LocalDate(year: 2026, month: 11, day: 29)!

@Suite("ResidentID (GB 11643-1999)")
struct ResidentIDTests {
    @Test("RULES.md §12.1 examples")
    func rulesExamples() throws {
        // The standard's own example: sum 167, mod 11 = 2 → X; sequence 002 is even → female.
        let id = try ResidentID("11010519491231002X", today: today)
        #expect(id.value == "11010519491231002X")
        #expect(id.birthDate == LocalDate(year: 1949, month: 12, day: 31))
        #expect(id.sex == .female)
        #expect(ResidentID.checkCharacter(forDigits: "11010519491231002".map { Int(String($0))! }) == "X")
        #expect(ResidentID.checkCharacter(forDigits: "33100419750615441".map { Int(String($0))! }) == "6")
        // 15 → 18: insert 19 after the area code, append the check character.
        let converted = try ResidentID("331004750615441", today: today)
        #expect(converted.value == "331004197506154416")
        #expect(converted.sex == .male)
    }

    @Test func lowercaseXIsNormalised() throws {
        #expect(try ResidentID("11010519491231002x", today: today).value == "11010519491231002X")
        #expect(try ResidentID(" 11010519491231002X\t", today: today).value == "11010519491231002X")
    }

    @Test("refusals name the reason", arguments: [
        ("110105194912310021", ResidentIDError.wrongCheckCharacter(expected: "X", found: "1")),
        ("11010519491231002", .wrongLength(17)),
        ("1101051949123100212", .wrongLength(19)),
        ("", .empty),
        ("１１０１０５１９４９１２３１００２Ｘ", .fullWidthCharacters),
        ("1101051949 231002X", .invalidCharacter(position: 11)),
        ("11010519491231002Y", .invalidCharacter(position: 18)),
        ("X10105194912310021", .invalidCharacter(position: 1)),
        ("33100419950230001X", .impossibleBirthDate),
        ("33100420991231001X", .birthDateInFuture),
    ])
    func refusals(text: String, error: ResidentIDError) {
        // Give the date cases a correct check character, so that the date is what fails.
        var input = text
        if error == .impossibleBirthDate || error == .birthDateInFuture {
            input = String(input.prefix(17)) + String(ResidentID.checkCharacter(forDigits: input.prefix(17).map { Int(String($0))! }))
        }
        #expect(throws: error) { try ResidentID(input, today: today) }
    }

    @Test("an abolished area code is not an error: IDs keep the code of issuance")
    func historicalAreaCode() throws {
        // 332603 was Huangyan county before Taizhou became a city (1994); people still carry it.
        let body = "33260319700101001"
        let check = ResidentID.checkCharacter(forDigits: body.map { Int(String($0))! })
        #expect(try ResidentID(body + String(check), today: today).areaCode == "332603")
        // Born 1980 with the 331004 code created in 1994: valid here (python-stdnum refuses it, RELIABILITY §B3).
        #expect(try ResidentID("331004198001010016", today: today).birthDate.year == 1980)
    }

    @Test func masking() throws {
        #expect(try ResidentID("331004197506154416", today: today).masked == "3310**********4416")
    }

    @Test func generatedIDsValidateAndKeepTheirParts() async {
        await propertyCheck(input: Gen.int(in: -32_000...20_000), Gen.int(in: 0...999)) { days, sequence in
            let birth = LocalDate(daysSinceEpoch: days)
            let id = ResidentID(areaCode: "331004", birthDate: birth, sequence: sequence)
            let parsed = try? ResidentID(id.value, today: today)
            #expect(parsed == id)
            #expect(parsed?.birthDate == birth)
            #expect(parsed?.sex == (sequence % 2 == 1 ? .male : .female))
        }
    }

    @Test func anySingleDigitChangeIsCaught() async {
        await propertyCheck(input: Gen.int(in: 0...16), Gen.int(in: 1...9)) { position, delta in
            var characters = Array("331004197506154416")
            let digit = Int(String(characters[position]))!
            characters[position] = Character(String((digit + delta) % 10))
            #expect(throws: ResidentIDError.self) { try ResidentID(String(characters), today: today) }
        }
    }
}

@Suite("CreditCode (GB 32100-2015)")
struct CreditCodeTests {
    @Test("RULES.md §12.2 examples", arguments: [
        ("91350100M000100Y4", Character("3")), ("91331004MA28A5X14", "2"), ("12331000470016007", "A"),
    ])
    func rulesExamples(body: String, check: Character) throws {
        #expect(CreditCode.checkCharacter(for: Array(body)) == check)
        let code = try CreditCode(body + String(check))
        #expect(code.value == body + String(check))
    }

    @Test func organisationCodeCheck() throws {
        #expect(try CreditCode("91350100M000100Y43").organisationCodeConsistent)
        #expect(CreditCode.organisationCheckCharacter(for: Array("47001600")) == "7")
        #expect(try CreditCode("12331000470016007A").organisationCodeConsistent)
        #expect(try CreditCode("91350100M000100Y43").registrationAreaCode == "350100")
    }

    @Test("refusals name the reason", arguments: [
        ("91350100M000100Y44", CreditCodeError.wrongCheckCharacter(expected: "3", found: "4")),
        ("91350100M000100I43", .excludedLetter("I", position: 16)),
        ("91350100O000100Y43", .excludedLetter("O", position: 9)),
        ("91350100m000100Y43", .lowercase(position: 9)),
        ("91350100M000100Y4", .wrongLength(17)),
        ("9135A100M000100Y43", .invalidCharacter(position: 5)),
        ("", .empty),
    ])
    func refusals(text: String, error: CreditCodeError) {
        #expect(throws: error) { try CreditCode(text) }
    }

    @Test func generatedCodesValidate() async {
        let alphabet = CreditCode.alphabet
        await propertyCheck(input: Gen.int(in: 0...Int.max)) { seed in
            var random = DeterministicRandom(seed: UInt64(seed))
            let tail = (0..<9).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let body = "91331004" + String(tail)
            let code = CreditCode(body: body)
            #expect((try? CreditCode(code.value)) == code)
        }
    }
}

@Suite("RegionCode")
struct RegionCodeTests {
    @Test func levelsAndScopes() throws {
        let district = try RegionCode("331004")
        #expect(district.value == "331004000000")
        #expect(district.level == .county)
        #expect(district.scopePrefix == "331004")
        let town = try RegionCode("331004103000")
        #expect(town.level == .township)
        let village = try RegionCode("331004103201")
        #expect(village.level == .village)
        #expect(district.contains(village))
        #expect(town.contains(village))
        #expect(!town.contains(try RegionCode("331004104201")))
        #expect(!town.contains(district))
        #expect(RegionCode.nation.contains(village))
        #expect(village.parent == town)
        #expect(town.parent == district)
        #expect(district.parent == RegionCode(trusted: "331000000000"))
        #expect(try RegionCode("330000000000").level == .province)
        #expect(throws: RegionCodeError.wrongLength(5)) { try RegionCode("33100") }
        #expect(throws: RegionCodeError.notDigits) { try RegionCode("33100410300A") }
    }

    @Test func areaTypes() {
        let street = RegionCode(trusted: "331004001000")
        #expect(Region.isStreet(street))
        #expect(Region.areaType(for: street, townshipIsStreet: true) == .street)
        #expect(Region.areaType(for: RegionCode(trusted: "331004001005"), townshipIsStreet: true) == .street)
        #expect(Region.areaType(for: RegionCode(trusted: "331004001205"), townshipIsStreet: true) == .rural)
        #expect(Region.areaType(for: RegionCode(trusted: "331004103000"), townshipIsStreet: false) == .town)
        #expect(Region.areaType(for: RegionCode(trusted: "331004103002"), townshipIsStreet: false) == .town)
        #expect(Region.areaType(for: RegionCode(trusted: "331004103202"), townshipIsStreet: false) == .rural)
        #expect(Region.areaType(for: RegionCode(trusted: "331004000000"), townshipIsStreet: false) == nil)
    }
}

@Suite("Field rules")
struct FieldRuleTests {
    @Test(arguments: ["王一", "张三", "李万千", "阿依古丽·买买提", "𠮷祥", "O'Brien"])
    func namesThatAreFine(name: String) {
        #expect((try? FieldRules.personName(name).get()) == name)
    }

    @Test func namesThatAreNot() {
        #expect(FieldRules.personName("王2") == .failure(FieldIssue("name", "name.digits")))
        #expect(FieldRules.personName("王２") == .failure(FieldIssue("name", "name.digits")))
        #expect(FieldRules.personName("  ") == .failure(FieldIssue("name", "field.required")))
        #expect(FieldRules.personName(String(repeating: "王", count: 31)) == .failure(FieldIssue("name", "field.too_long", ["max": "30"])))
        #expect(FieldRules.personName("王\u{7}") == .failure(FieldIssue("name", "field.control_characters")))
        #expect((try? FieldRules.personName("努尔•艾力").get()) == "努尔·艾力", "a look-alike dot becomes the middle dot")
    }

    @Test func phonesAndAccounts() {
        #expect((try? FieldRules.phone("138 1234 5678").get()) == "13812345678")
        #expect((try? FieldRules.phone("0576-8234 5678").get()) == "057682345678")
        #expect(FieldRules.phone("12345678901234567") == .failure(FieldIssue("phone", "phone.invalid")))
        #expect((try? FieldRules.bankAccount("6228 4800 1234 5678 901").get()) == "6228480012345678901")
        #expect(FieldRules.bankAccount("6228") == .failure(FieldIssue("bankAccount", "bank_account.invalid")))
    }
}

@Suite("Masking")
struct MaskingTests {
    @Test(arguments: [("张明", "张*"), ("张小明", "张*明"), ("欧阳小明", "欧阳**"), ("阿依古丽·买买提", "阿依******"), ("李", "李")])
    func names(name: String, masked: String) {
        #expect(Masking.name(name) == masked)
    }

    @Test func phones() {
        #expect(Masking.phone("13812341234") == "138****1234")
    }
}

@Suite("Text hygiene")
struct TextHygieneTests {
    /// A name of only an ideographic space is no name; "王小明　" is "王小明"; bidi and other
    /// format characters are refused in names and addresses; full-width digits in an address become ASCII.
    @Test func namesAndAddressesAreCleanedOrRefused() {
        #expect(FieldRules.personName("\u{3000}") == .failure(FieldIssue("name", "field.required")))
        #expect(FieldRules.personName("王小明\u{3000}") == .success("王小明"))
        #expect(FieldRules.personName("\u{00A0}王小明 ") == .success("王小明"))
        #expect(FieldRules.personName("阿依古丽・买买提") == .success("阿依古丽·买买提"))
        #expect(FieldRules.personName("王\u{202E}明") == .failure(FieldIssue("name", "field.control_characters")))
        #expect(FieldRules.personName("王\u{200B}明") == .failure(FieldIssue("name", "field.control_characters")))
        #expect(FieldRules.text("新桥镇\u{202E}路７号", field: "address", max: 200) == .failure(FieldIssue("address", "field.control_characters")))
        #expect(FieldRules.text("\u{3000}新桥镇 \u{3000} 金桥路１２号\u{3000}", field: "address", max: 200) == .success("新桥镇 金桥路12号"))
        #expect(FieldRules.text("台州市路桥区某某有限公司（分公司）", field: "name", max: 100) == .success("台州市路桥区某某有限公司（分公司）"))
        #expect(FieldRules.text("\u{3000}", field: "address", max: 200, required: true) == .failure(FieldIssue("address", "field.required")))
    }
}
