/// What a call to the Victims Engagement and Services Line is about.
public enum CallCategory: String, CaseIterable, Sendable, Codable {
    case abuseInDetention = "abuse-in-detention"
    case victimAssistance = "victim-assistance"
    case notificationRequest = "notification-request"
    case crimeTip = "crime-tip"
    case other
}

/// Where a call stands: taken, handed to an agency or field office, or closed.
public enum CallStatus: String, CaseIterable, Sendable, Codable {
    case open, referred, closed
}

/// How a registrant is told: a text message, an email or a voice call.
public enum ChannelKind: String, CaseIterable, Sendable, Codable {
    case sms, email, voice
}

/// The languages notices are written in.
public enum NoticeLanguage: String, CaseIterable, Sendable, Codable {
    case english = "en"
    case spanish = "es"
}

/// How the detained person a registration follows is named by the custody feed.
public enum DetaineeReference: String, CaseIterable, Sendable, Codable {
    case aNumber = "a-number"
    case detentionID = "detention-id"
}

/// What the custody feed reports about a detained person.
public enum CustodyEventKind: String, CaseIterable, Sendable, Codable {
    case booked
    case transferred
    case releasedOnBond = "released-bond"
    case releasedOnOrderOfSupervision = "released-order-of-supervision"
    case releasedOther = "released-other"
    case removed
    case escaped
    case died
    case caseOutcome = "case-outcome"
}

/// Where a notification stands in the outbox.
public enum NotificationStatus: String, CaseIterable, Sendable, Codable {
    /// Waiting for its next attempt.
    case pending
    /// Claimed by a worker, being sent (the lease says until when).
    case sending
    /// A voice call placed; repeated until the registrant confirms it with their PIN.
    case awaitingConfirmation = "awaiting-confirmation"
    case delivered
    /// Given up after the retry window: an alert stands until an operator sees to it.
    case dead
    /// The registration was withdrawn before it went out.
    case cancelled
    /// A voice notice after too many wrong PINs: no more calls or tries until a hotline
    /// specialist unlocks it (`VoiceConfirmation`).
    case pinLocked = "pin-locked"
}
