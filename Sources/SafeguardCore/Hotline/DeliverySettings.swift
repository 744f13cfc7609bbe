import Foundation

/// How notifications are delivered: the HTTP gateway of each channel, and the timing of claims,
/// retries, voice repeats and alerts. Times are in seconds.
public struct DeliverySettings: Sendable, Equatable {
    public var gateways: [ChannelKind: URL]
    /// Notifications one worker claims at a time.
    public var batchSize = 100
    /// How long a claim holds: a worker that dies leaves its notifications to others after it.
    public var lease: TimeInterval = 120
    /// The first retry waits about `backoffBase`, each next one twice as long, never over `backoffCap`.
    public var backoffBase: TimeInterval = 30
    public var backoffCap: TimeInterval = 3600
    /// After this long since the first attempt, a notification is given up (a dead letter, an alert).
    public var retryWindow: TimeInterval = 48 * 3600
    /// A voice notice is placed again after this long until its PIN confirms it.
    public var voiceRepeat: TimeInterval = 900
    public var requestTimeout: TimeInterval = 20
    /// A gateway failing this many times in a row raises the `gateway-failing` alert.
    public var failingAfter = 5
    /// A custody feed that has sent nothing for this long raises the `feed-silent` alert.
    public var feedSilence: TimeInterval = 6 * 3600
    /// How long an idle worker waits before looking again.
    public var pollInterval: TimeInterval = 1

    public init(gateways: [ChannelKind: URL]) {
        self.gateways = gateways
    }
}
