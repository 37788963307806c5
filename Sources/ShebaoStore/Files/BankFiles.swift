public import Foundation
public import ShebaoCore

/// One credit transfer of a payroll file: a payment to a retiree's account.
public struct BankTransfer: Sendable, Hashable {
    /// The payment's number, the text format's 序号.
    public var number: Int64
    public var amount: Money
    public var name: String
    public var account: String
    public var residentID: String
    /// What the payment is (`pension`, `work_injury` …): its remittance text in the files.
    public var kind: String

    public init(number: Int64, amount: Money, name: String, account: String, residentID: String, kind: String = "pension") {
        self.number = number
        self.amount = amount
        self.name = name
        self.account = account
        self.residentID = residentID
        self.kind = kind
    }

    /// `SB` and the payment's number: what the bank's return names it by.
    public var endToEndID: String { Self.endToEndID(number) }

    public static func endToEndID(_ number: Int64) -> String { "SB\(number)" }

    /// The payment's number in an end-to-end id, nil when it is not one of ours.
    public static func number(inEndToEndID id: String) -> Int64? {
        guard id.hasPrefix("SB"), let number = Int64(id.dropFirst(2)), number > 0 else { return nil }
        return number
    }
}

/// What every file of one bank carries: who pays, from which account, when.
public struct BankFileHeader: Sendable, Hashable {
    public var messageID: String
    public var created: Timestamp
    public var execution: LocalDate
    public var debtorName: String
    public var debtorAccount: String
    public var bic: String
    /// The remittance text per kind of payment; a kind not listed takes the pension's.
    public var remittance: [String: String]

    public init(messageID: String, created: Timestamp, execution: LocalDate, debtorName: String, debtorAccount: String, bic: String,
                remittance: [String: String]) {
        self.messageID = messageID
        self.created = created
        self.execution = execution
        self.debtorName = debtorName
        self.debtorAccount = debtorAccount
        self.bic = bic
        self.remittance = remittance
    }
}

/// An ISO 20022 customer credit transfer initiation, pain.001.001.03 (DESIGN.md §9): one payment
/// information block per file (one debtor account, one execution date), one transaction per
/// payment. Chinese accounts are not IBANs: they go in `Othr/Id`; amounts in CNY with two decimals.
public enum Pain001 {
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

    /// The document, as UTF-8 bytes.
    public static func document(_ header: BankFileHeader, transfers: [BankTransfer]) -> Data {
        var out = XMLWriter()
        let total = transfers.reduce(Money.zero) { $0 + $1.amount }
        out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"\(namespace)\">\n<CstmrCdtTrfInitn>\n")
        out.raw("<GrpHdr>")
        out.element("MsgId", header.messageID)
        out.element("CreDtTm", String(header.created.iso8601.prefix(19)))
        out.element("NbOfTxs", String(transfers.count))
        out.element("CtrlSum", total.decimalString)
        out.raw("<InitgPty>")
        out.element("Nm", header.debtorName)
        out.raw("</InitgPty></GrpHdr>\n<PmtInf>")
        out.element("PmtInfId", header.messageID)
        out.element("PmtMtd", "TRF")
        out.element("NbOfTxs", String(transfers.count))
        out.element("CtrlSum", total.decimalString)
        out.element("ReqdExctnDt", header.execution.description)
        out.raw("<Dbtr>")
        out.element("Nm", header.debtorName)
        out.raw("</Dbtr><DbtrAcct><Id><Othr>")
        out.element("Id", header.debtorAccount)
        out.raw("</Othr></Id><Ccy>CNY</Ccy></DbtrAcct><DbtrAgt><FinInstnId>")
        out.element("BIC", header.bic)
        out.raw("</FinInstnId></DbtrAgt>\n")
        // Each transaction is the bank's own customer (a file goes to one bank): no creditor agent.
        // The constant parts are bytes made once; only the values are escaped.
        let beforeID = Array("<CdtTrfTxInf><PmtId><EndToEndId>SB".utf8)
        let beforeAmount = Array("</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"CNY\">".utf8)
        let beforeName = Array("</InstdAmt></Amt><Cdtr><Nm>".utf8)
        let beforeAccount = Array("</Nm></Cdtr><CdtrAcct><Id><Othr><Id>".utf8)
        let afters = header.remittance.mapValues {
            Array("</Id></Othr></Id></CdtrAcct><RmtInf><Ustrd>".utf8) + XMLWriter.escaped($0) + Array("</Ustrd></RmtInf></CdtTrfTxInf>\n".utf8)
        }
        let after = afters["pension"] ?? afters.values.first ?? Array("</Id></Othr></Id></CdtrAcct></CdtTrfTxInf>\n".utf8)
        // Room for every transaction at once: a file that outgrows its memory is moved whole to
        // memory twice the size, and every page of that is new to the process (perf put a tenth of
        // the payroll files' time in such moves). At most 20 digits of number and 24 of amount.
        let longestAfter = afters.values.reduce(after.count) { max($0, $1.count) }
        let constant = beforeID.count + 20 + beforeAmount.count + 24 + beforeName.count + beforeAccount.count + longestAfter
        out.bytes.reserve(transfers.reduce(0) { $0 + constant + $1.name.utf8.count + $1.account.utf8.count } + 128)
        // The constant parts in one array and the transfers where they lie, both read through
        // pointers: an array handed to `append` is retained and released each time, and so are a
        // transfer's strings copied out of the array or read through its subscript (together a
        // fifth of making the files, perf). Most are pensions: their remittance is found without
        // hashing the kind.
        let parts = [beforeID, beforeAmount, beforeName, beforeAccount, after]
        Array(parts.joined()).withUnsafeBufferPointer { constants in
            var start = 0
            let piece = parts.map { part in
                defer { start += part.count }
                return UnsafeBufferPointer(rebasing: constants[start..<start + part.count])
            }
            let (beforeID, beforeAmount, beforeName, beforeAccount, after) = (piece[0], piece[1], piece[2], piece[3], piece[4])
            transfers.withUnsafeBufferPointer { transfers in
                guard let first = transfers.baseAddress else { return }
                for index in 0..<transfers.count {
                    let transfer = first + index
                    // `BankTransfer.endToEndID`, written without making the string.
                    out.bytes.append(contentsOf: beforeID)
                    out.integer(transfer.pointee.number)
                    out.bytes.append(contentsOf: beforeAmount)
                    out.decimal(transfer.pointee.amount)
                    out.bytes.append(contentsOf: beforeName)
                    out.text(transfer.pointee.name)
                    out.bytes.append(contentsOf: beforeAccount)
                    out.text(transfer.pointee.account)
                    if transfer.pointee.kind != "pension", let other = afters[transfer.pointee.kind] {
                        out.bytes.append(contentsOf: other)
                    } else {
                        out.bytes.append(contentsOf: after)
                    }
                }
            }
        }
        out.raw("</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n")
        return out.bytes.data()
    }
}

/// Bytes of XML, escaped as they are written.
struct XMLWriter: ~Copyable {
    var bytes = ByteSink(capacity: 1 << 16)

    static func escaped(_ value: String) -> [UInt8] {
        var writer = XMLWriter()
        writer.text(value)
        return Array(writer.bytes.data())
    }

    init() {}

    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func element(_ name: String, _ value: String) {
        raw("<\(name)>")
        text(value)
        raw("</\(name)>")
    }

    /// An amount as `Money.decimalString` spells it (`1234.56`, `0.05`, `-0.05`), written as
    /// bytes without making the string.
    mutating func decimal(_ money: Money) {
        if money.fen < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = money.fen.magnitude
        digits(magnitude / 100)
        let fraction = UInt8(magnitude % 100)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + fraction / 10)
        bytes.append(UInt8(ascii: "0") + fraction % 10)
    }

    /// An integer as `String(value)` spells it.
    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(value.magnitude)
    }

    private mutating func digits(_ value: UInt64) {
        // UInt64.max has 20 digits; written from the last, on the stack.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var at = buffer.count
            var rest = value
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[at...]))
        }
    }

    mutating func text(_ value: String) {
        // The bytes in place, without a copy of the string: one pass to look for what must be
        // escaped, one to copy.
        let plain = value.utf8.withContiguousStorageIfAvailable { utf8 in
            guard utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }) else {
                bytes.append(contentsOf: utf8)
                return true
            }
            return false
        }
        if plain == true { return }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            default: bytes.append(byte)
            }
        }
    }
}

/// The text a bank may take instead of pain.001 (DESIGN.md §9): a header line, one line per
/// payment `序号|姓名|帐号|金额|身份证|`, and a totals line, in UTF-8 or GBK. The 序号 is the
/// payment's number, which the bank's text return gives back with the outcome.
public enum BankText {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8
        case gbk

        /// GBK as its superset GB 18030, which Foundation converts on every platform; a name
        /// outside GBK (a four-byte GB 18030 sequence) is refused line by line.
        var foundation: String.Encoding {
            switch self {
            case .utf8: .utf8
            case .gbk: String.Encoding(rawValue: 0x8000_0632)
            }
        }
    }

    /// Why a payroll text file could not be written.
    public struct Unencodable: Error, Sendable, CodedError {
        public var number: Int64
        public var code: String { "bank_text.unencodable" }
        public var arguments: [String: String] { ["number": String(number)] }
    }

    /// The file: `H|报文号|笔数|金额|执行日期|付款帐号|`, the lines, `T|笔数|金额|`.
    public static func document(_ header: BankFileHeader, transfers: [BankTransfer], encoding: Encoding) throws(Unencodable) -> Data {
        let total = transfers.reduce(Money.zero) { $0 + $1.amount }
        var data = Data()
        data.reserveCapacity(transfers.count * 64 + 128)
        func append(_ line: String, number: Int64) throws(Unencodable) {
            switch encoding {
            case .utf8: data.append(contentsOf: line.utf8)
            case .gbk:
                guard let bytes = line.data(using: encoding.foundation), !containsFourByteSequence(bytes) else { throw Unencodable(number: number) }
                data.append(bytes)
            }
        }
        try append("H|\(header.messageID)|\(transfers.count)|\(total.decimalString)|\(header.execution)|\(header.debtorAccount)|\r\n", number: 0)
        for transfer in transfers {
            try append("\(transfer.number)|\(transfer.name)|\(transfer.account)|\(transfer.amount.decimalString)|\(transfer.residentID)|\r\n",
                       number: transfer.number)
        }
        try append("T|\(transfers.count)|\(total.decimalString)|\r\n", number: 0)
        return data
    }

    /// GB 18030's four-byte sequences: a lead byte 0x81–0xFE followed by a digit 0x30–0x39.
    static func containsFourByteSequence(_ bytes: Data) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let following = bytes.index(after: index)
            if following < bytes.endIndex, (0x30...0x39).contains(bytes[following]) { return true }
            index += 2
        }
        return false
    }

    /// Decodes a file as UTF-8, or else as GBK.
    static func decode(_ data: Data) -> String? {
        if let text = String(data: data, encoding: .utf8) { return text }
        return String(data: data, encoding: Encoding.gbk.foundation)
    }
}

/// One line of a bank's return: the payment it names and what became of it.
public struct BankReturnLine: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case paid
        case failed
        /// A status that is not final (pending, accepted for processing): nothing to post yet.
        case notFinal = "not_final"
    }

    /// The line (text) or transaction (pain.002) in file order, from 1.
    public var lineNumber: Int
    public var endToEndID: String
    public var outcome: Outcome
    /// The amount when the return states it (the text return does; pain.002 may).
    public var amount: Money?
    public var reason: String

    public init(lineNumber: Int, endToEndID: String, outcome: Outcome, amount: Money?, reason: String) {
        self.lineNumber = lineNumber
        self.endToEndID = endToEndID
        self.outcome = outcome
        self.amount = amount
        self.reason = reason
    }
}

/// A bank's return file read: its format, the message it answers or its own id, and its lines.
public struct BankReturnFile: Sendable {
    public enum Format: String, Sendable {
        case pain002 = "pain.002"
        case text
    }

    public var format: Format
    public var messageID: String
    public var lines: [BankReturnLine]
}

/// Why a return file was refused as a whole: the line (and, for text, the column) and the reason.
public struct BankReturnError: Error, Sendable, Hashable, CodedError {
    public var line: Int
    public var column: Int
    public var code: String
    public var arguments: [String: String] { ["line": String(line), "column": String(column)] }

    public init(line: Int, column: Int, code: String) {
        self.line = line
        self.column = column
        self.code = code
    }
}

/// Reads the bank's answer to a payroll file: an ISO 20022 pain.002 status report (its
/// transactions' `OrgnlEndToEndId` and `TxSts`) or the text return — the payroll text's lines
/// with two more fields, `结果|说明|` (成功 or 失败, and why).
public enum BankReturnReader {
    public static func read(_ data: Data) throws(BankReturnError) -> BankReturnFile {
        guard let text = BankText.decode(data) else { throw BankReturnError(line: 1, column: 0, code: "bank_return.encoding") }
        if text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).hasPrefix("<") { return try pain002(text) }
        return try plainText(text)
    }

    /// pain.002: each `TxInfAndSts` gives one line. ACSC/ACCC (settled) pay, RJCT fails, the rest are not final.
    static func pain002(_ text: String) throws(BankReturnError) -> BankReturnFile {
        var scanner = XMLScanner(text)
        var path: [Substring] = []
        var messageID = ""
        var originalMessageID = ""
        var lines: [BankReturnLine] = []
        var current: (endToEnd: String, status: String, reason: String, amount: Money?)?
        var textBuffer = ""
        var sawDocument = false
        func local(_ name: Substring) -> Substring { name.split(separator: ":").last ?? name }
        do {
            while let event = try scanner.next() {
                switch event {
                case .start(let name, _, let selfClosing):
                    let name = local(name)
                    if name == "CstmrPmtStsRpt" { sawDocument = true }
                    if name == "TxInfAndSts" { current = ("", "", "", nil) }
                    textBuffer = ""
                    if !selfClosing { path.append(name) }
                case .text(let value):
                    textBuffer += value
                case .end(let name):
                    let name = local(name)
                    let value = textBuffer.trimmingCharacters(in: .whitespacesAndNewlines)
                    let parent = path.dropLast().last
                    switch name {
                    case "MsgId" where parent == "GrpHdr": messageID = value
                    case "OrgnlMsgId" where parent == "OrgnlGrpInfAndSts": originalMessageID = value
                    case "OrgnlEndToEndId": current?.endToEnd = value
                    case "TxSts": current?.status = value
                    case "Cd" where path.contains("StsRsnInf"), "AddtlInf" where path.contains("StsRsnInf"):
                        if current != nil, !value.isEmpty { current!.reason = current!.reason.isEmpty ? value : current!.reason + " " + value }
                    case "InstdAmt" where path.contains("OrgnlTxRef"), "Amt" where path.contains("OrgnlTxRef"):
                        if current != nil, let amount = try? Money.parse(value) { current!.amount = amount }
                    case "TxInfAndSts":
                        if let found = current {
                            let number = lines.count + 1
                            guard !found.endToEnd.isEmpty else { throw BankReturnError(line: number, column: 0, code: "bank_return.no_end_to_end") }
                            let outcome: BankReturnLine.Outcome = switch found.status {
                            case "ACSC", "ACCC": .paid
                            case "RJCT": .failed
                            default: .notFinal
                            }
                            lines.append(BankReturnLine(lineNumber: number, endToEndID: found.endToEnd, outcome: outcome, amount: found.amount,
                                                        reason: found.reason.isEmpty ? found.status : found.reason))
                        }
                        current = nil
                    default: break
                    }
                    textBuffer = ""
                    if path.last == name { path.removeLast() }
                }
            }
        } catch let error as BankReturnError {
            throw error
        } catch {
            throw BankReturnError(line: lines.count + 1, column: 0, code: "bank_return.not_xml")
        }
        guard sawDocument else { throw BankReturnError(line: 1, column: 0, code: "bank_return.not_pain002") }
        return BankReturnFile(format: .pain002, messageID: originalMessageID.isEmpty ? messageID : originalMessageID, lines: lines)
    }

    /// The text return: the header names the payroll file; each payment line ends `结果|说明|`.
    static func plainText(_ text: String) throws(BankReturnError) -> BankReturnFile {
        var messageID = ""
        var lines: [BankReturnLine] = []
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r\u{FEFF}"))
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            var fields = line.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            if fields.last == "" { fields.removeLast() }
            if fields.first == "H" {
                guard fields.count >= 2 else { throw BankReturnError(line: number, column: 2, code: "bank_return.bad_header") }
                messageID = fields[1]
                continue
            }
            if fields.first == "T" { continue }
            guard fields.count >= 6 else { throw BankReturnError(line: number, column: fields.count + 1, code: "bank_return.missing_field") }
            guard let payment = Int64(fields[0]), payment > 0 else { throw BankReturnError(line: number, column: 1, code: "bank_return.bad_number") }
            guard let amount = try? Money.parse(fields[3]) else { throw BankReturnError(line: number, column: 4, code: "bank_return.bad_amount") }
            let outcome: BankReturnLine.Outcome
            switch fields[5] {
            case "成功", "0", "S": outcome = .paid
            case "失败", "1", "F": outcome = .failed
            default: throw BankReturnError(line: number, column: 6, code: "bank_return.bad_outcome")
            }
            lines.append(BankReturnLine(lineNumber: number, endToEndID: BankTransfer.endToEndID(payment), outcome: outcome, amount: amount,
                                        reason: fields.count > 6 ? fields[6] : fields[5]))
        }
        guard !lines.isEmpty else { throw BankReturnError(line: number, column: 0, code: "bank_return.empty") }
        return BankReturnFile(format: .text, messageID: messageID, lines: lines)
    }
}
