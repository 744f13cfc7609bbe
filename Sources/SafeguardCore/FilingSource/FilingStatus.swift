import Foundation
import PolicyEngine

/// What a filing-status source says of one receipt number, in the contract's words where the
/// answer tells them: the benefit and role from the form type, the status from the status text.
/// Whatever it does not tell stays nil (a form that is not the benefit itself, a status text not
/// recognised), and the text is kept to be shown. The raw answer is § 1367 data.
public struct FilingStatus: Sendable, Equatable {
    public var receiptNumber: String
    public var formType: String
    /// The benefit the form asks for; nil for a related form (I-192, I-765) or one not known.
    public var benefit: BenefitType?
    /// Principal or derivative, when the form tells.
    public var role: BenefitRole?
    /// Pending, approved or denied; never `denied-final`, which no status text shows. Nil when the
    /// text is not one recognised.
    public var status: BenefitStatus?
    /// The current status as the source words it (English).
    public var statusText: String
    /// The answer's body as received.
    public var raw: String

    public init(receiptNumber: String, formType: String, benefit: BenefitType?, role: BenefitRole?, status: BenefitStatus?,
                statusText: String, raw: String) {
        self.receiptNumber = receiptNumber
        self.formType = formType
        self.benefit = benefit
        self.role = role
        self.status = status
        self.statusText = statusText
        self.raw = raw
    }
}

/// A source's answer for one receipt number: its status, or that it knows no such receipt.
public enum FilingLookup: Sendable, Equatable {
    case found(FilingStatus)
    case notFound(raw: String)
}

/// Where a claimed filing is verified: USCIS's Case Status API (`USCISCaseStatusClient`), or
/// any source that answers the same question.
public protocol FilingStatusSource: Sendable {
    /// How the source is named in the record of a verification.
    var name: String { get }
    /// The status of the filing with this receipt number (`ReceiptNumber.isValid`); throws
    /// `FilingSourceFailure` when the source did not answer it.
    func status(of receiptNumber: String) async throws -> FilingLookup
}

/// Why a source gave no answer: unreachable, too slow, over its rate limit past the retries, an
/// answer that is not one it gives; or no source is configured. The text names no receipt number.
public struct FilingSourceFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    /// No source was asked: none is configured.
    public var isNotConfigured = false

    public init(_ description: String) {
        self.description = description
    }

    static let notConfigured = {
        var failure = FilingSourceFailure("no filing-status source is configured (SAFEGUARD_USCIS_URL): verify the filing by hand")
        failure.isNotConfigured = true
        return failure
    }()
}

/// USCIS receipt numbers: three letters for the service center, ten digits.
public enum ReceiptNumber {
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 13 && bytes[..<3].allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
            && bytes[3...].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
