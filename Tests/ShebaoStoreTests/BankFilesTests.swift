import Foundation
import ShebaoCore
@testable import ShebaoStore
import Testing

/// The bank files' formats: pain.001 escapes what it carries, the text file is GBK when the bank
/// asks (and refuses a name GBK cannot hold), the returns are read line by line and refused
/// whole, with line and field, when malformed.
@Suite("Bank files")
struct BankFilesTests {
    let header = BankFileHeader(messageID: "SB1-ICBC-1", created: Timestamp(millisecondsSinceEpoch: 1_780_000_000_000),
                                execution: LocalDate(year: 2026, month: 6, day: 10)!, debtorName: "路桥区社会保险基金支出户",
                                debtorAccount: "1207011129200088888", bic: "ICBKCNBJZJP", remittance: ["pension": "2026-06 基本养老金", "work_injury": "一次性伤残补助金"])

    @Test func aPain001EscapesNamesAndTotalsItsTransfers() throws {
        let transfers = [
            BankTransfer(number: 7, amount: Money(fen: 123_456), name: "张<三>&\"四\"", account: "6222000000000001", residentID: "331004195001010011"),
            BankTransfer(number: 8, amount: Money(fen: 5), name: "李四", account: "6222000000000002", residentID: "331004195001010011", kind: "work_injury"),
        ]
        let xml = String(decoding: Pain001.document(header, transfers: transfers), as: UTF8.self)
        #expect(xml.contains("<Nm>张&lt;三&gt;&amp;&quot;四&quot;</Nm>"))
        #expect(xml.contains("<NbOfTxs>2</NbOfTxs>") && xml.contains("<CtrlSum>1234.61</CtrlSum>"))
        #expect(xml.contains("<EndToEndId>SB7</EndToEndId>") && xml.contains("<InstdAmt Ccy=\"CNY\">0.05</InstdAmt>"))
        #expect(!xml.contains("331004195001010011"), "pain.001 carries no resident ID")
        #expect(xml.contains("<Ustrd>2026-06 基本养老金</Ustrd>") && xml.contains("<Ustrd>一次性伤残补助金</Ustrd>"), "each payment says what it is")
    }

    /// Every transaction in order, each with its own remittance (a kind the header does not name
    /// takes the pension's), none when there are none.
    @Test func aPain001WritesEachTransactionWithItsRemittance() throws {
        let kinds = ["pension", "work_injury", "unheard_of", "pension"]
        let transfers = kinds.enumerated().map { index, kind in
            BankTransfer(number: Int64(100 + index), amount: Money(fen: Int64(index + 1) * 101), name: "退休人员\(index)",
                         account: "62220000000000\(index)0", residentID: "", kind: kind)
        }
        let xml = String(decoding: Pain001.document(header, transfers: transfers), as: UTF8.self)
        let expected = transfers.map { transfer in
            "<CdtTrfTxInf><PmtId><EndToEndId>SB\(transfer.number)</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"CNY\">\(transfer.amount.decimalString)</InstdAmt></Amt>"
                + "<Cdtr><Nm>\(transfer.name)</Nm></Cdtr><CdtrAcct><Id><Othr><Id>\(transfer.account)</Id></Othr></Id></CdtrAcct>"
                + "<RmtInf><Ustrd>\(transfer.kind == "work_injury" ? "一次性伤残补助金" : "2026-06 基本养老金")</Ustrd></RmtInf></CdtTrfTxInf>\n"
        }.joined()
        #expect(xml.contains(expected))
        let none = String(decoding: Pain001.document(header, transfers: []), as: UTF8.self)
        #expect(none.contains("<NbOfTxs>0</NbOfTxs>") && !none.contains("CdtTrfTxInf") && none.hasSuffix("</Document>\n"))
    }

    /// The bytes a bank file is made of come out as written, however the memory grew under them.
    @Test func aByteSinkHandsOverWhatWasWritten() {
        var expected: [UInt8] = []
        var sink = ByteSink(capacity: 1)
        for round in 0..<300 {
            let piece = (0..<(round % 37)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ round) }
            sink.append(contentsOf: piece)
            sink.append(UInt8(truncatingIfNeeded: round))
            expected += piece + [UInt8(truncatingIfNeeded: round)]
            if round == 150 { sink.reserve(100_000) }
        }
        #expect(sink.count == expected.count)
        #expect(Array(sink.data()) == expected)
        #expect(ByteSink(capacity: 0).data().isEmpty)
    }

    /// pain.001 writes amounts as bytes: exactly as `Money.decimalString` spells them.
    @Test(arguments: [Int64.min, -100, -5, 0, 5, 99, 100, 123_456, 1_000_000_00, Int64.max])
    func aPain001AmountIsTheDecimalString(fen: Int64) {
        // The numbers as end-to-end ids, written as bytes too, are the strings a return is read by.
        let number = fen == 0 ? 1 : fen
        let transfer = BankTransfer(number: number, amount: Money(fen: fen), name: "张三", account: "6222000000000001", residentID: "")
        let xml = String(decoding: Pain001.document(header, transfers: [transfer]), as: UTF8.self)
        #expect(xml.contains("<InstdAmt Ccy=\"CNY\">\(Money(fen: fen).decimalString)</InstdAmt>"))
        #expect(xml.contains("<EndToEndId>\(BankTransfer.endToEndID(number))</EndToEndId>"))
    }

    @Test func theTextFileIsGBKWhenTheBankAsksAndRefusesWhatGBKCannotHold() throws {
        let transfers = [BankTransfer(number: 9, amount: Money(fen: 250_000), name: "王五", account: "6222000000000003", residentID: "33100419500101001X")]
        let data = try BankText.document(header, transfers: transfers, encoding: .gbk)
        #expect(data.contains(0xCD) && !data.contains(0xE7), "王 is CD F5 in GBK, not E7 8E 8B as in UTF-8")
        let text = try #require(String(data: data, encoding: String.Encoding(rawValue: 0x8000_0632)))
        #expect(text == "H|SB1-ICBC-1|1|2500.00|2026-06-10|1207011129200088888|\r\n9|王五|6222000000000003|2500.00|33100419500101001X|\r\nT|1|2500.00|\r\n")
        // 𠀀 (CJK Extension B) has no GBK code: GB 18030 gives it four bytes.
        let rare = [BankTransfer(number: 10, amount: Money(fen: 1), name: "王𠀀", account: "6222000000000004", residentID: "33100419500101001X")]
        #expect(throws: BankText.Unencodable.self) { _ = try BankText.document(header, transfers: rare, encoding: .gbk) }
        #expect(try BankText.document(header, transfers: rare, encoding: .utf8).count > 0)
    }

    @Test func aPain002IsReadTransactionByTransaction() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.11"><CstmrPmtStsRpt>
            <GrpHdr><MsgId>R1</MsgId><CreDtTm>2026-06-11T09:00:00</CreDtTm></GrpHdr>
            <OrgnlGrpInfAndSts><OrgnlMsgId>SB1-ICBC-1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
            <OrgnlPmtInfAndSts><OrgnlPmtInfId>SB1-ICBC-1</OrgnlPmtInfId>
            <TxInfAndSts><OrgnlEndToEndId>SB7</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>
            <TxInfAndSts><OrgnlEndToEndId>SB8</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>账户已销户</AddtlInf></StsRsnInf></TxInfAndSts>
            <TxInfAndSts><OrgnlEndToEndId>SB9</OrgnlEndToEndId><TxSts>PDNG</TxSts></TxInfAndSts>
            </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
            """
        let file = try BankReturnReader.read(Data(xml.utf8))
        #expect(file.format == .pain002 && file.messageID == "SB1-ICBC-1")
        #expect(file.lines.map(\.endToEndID) == ["SB7", "SB8", "SB9"])
        #expect(file.lines.map(\.outcome) == [.paid, .failed, .notFinal])
        #expect(file.lines[1].reason == "AC04 账户已销户")
        #expect(throws: BankReturnError.self) { _ = try BankReturnReader.read(Data("<Document><Other/></Document>".utf8)) }
        #expect(throws: BankReturnError.self) { _ = try BankReturnReader.read(Data("<!DOCTYPE x [<!ENTITY a \"b\">]><Document/>".utf8)) }
    }

    @Test func aTextReturnNamesTheLineAndFieldItCannotRead() throws {
        let good = "H|SB1-ICBC-1|2|\r\n7|张三|6222|1234.56|3310|成功||\r\n8|李四|6222|0.05|3310|失败|账户冻结|\r\nT|2|\r\n"
        let file = try BankReturnReader.read(Data(good.utf8))
        #expect(file.format == .text && file.messageID == "SB1-ICBC-1")
        #expect(file.lines.map(\.outcome) == [.paid, .failed] && file.lines[1].reason == "账户冻结" && file.lines[0].amount == Money(fen: 123_456))
        for (text, line, column, code) in [
            ("7|张三|6222|1234.56|3310|\n", 1, 6, "bank_return.missing_field"),
            ("H|M|\nx|张三|6222|1.00|3310|成功|\n", 2, 1, "bank_return.bad_number"),
            ("7|张三|6222|1.2.3|3310|成功|\n", 1, 4, "bank_return.bad_amount"),
            ("7|张三|6222|1.00|3310|也许|\n", 1, 6, "bank_return.bad_outcome"),
        ] {
            #expect(throws: BankReturnError(line: line, column: column, code: code)) { _ = try BankReturnReader.read(Data(text.utf8)) }
        }
        // GBK returns are read too.
        let gbk = try #require("8|李四|6222|0.05|3310|失败|账户冻结|\r\n".data(using: String.Encoding(rawValue: 0x8000_0632)))
        #expect(try BankReturnReader.read(gbk).lines.first?.reason == "账户冻结")
    }
}
