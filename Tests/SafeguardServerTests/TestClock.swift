import Foundation
import PolicyEngine
import SafeguardCore
import Synchronization

/// A clock that moves only when the test moves it: `advance` wakes every sleeper whose time has
/// come. It starts at the real time, so that what it stamps sorts with what the databases stamp,
/// and each reading moves it on by a microsecond, as no two readings of a real clock are equal
/// (the audit log lists records by time).
final class TestClock: WallClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [UUID: Sleeper] = [:]
    }

    private let state: Mutex<State>

    init(now: Date = Date()) {
        state = Mutex(State(now: now))
    }

    var now: Date {
        state.withLock { state in
            state.now = state.now.addingTimeInterval(1e-6)
            return state.now
        }
    }

    /// How many tasks sleep on this clock now.
    var sleepers: Int { state.withLock { $0.sleepers.count } }

    func sleep(for duration: Duration) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    let deadline = state.now.addingTimeInterval(duration.seconds)
                    guard deadline > state.now, !Task.isCancelled else { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Moves the clock forward and wakes the sleepers whose time has come.
    func advance(by duration: Duration) {
        move { $0.addingTimeInterval(duration.seconds) }
    }

    /// Sets the clock to noon of `day` in the service's time zone (`CaseCalendar`), backwards or
    /// forwards, and wakes the sleepers whose time has come.
    func set(toNoonOf day: String) {
        let calendar = CaseCalendar(clock: self)
        guard let date = CalendarDate(day) else { preconditionFailure("'\(day)' is not a day") }
        move { _ in calendar.start(of: date).addingTimeInterval(12 * 3600) }
    }

    private func move(_ change: (Date) -> Date) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = change(state.now)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return Array(due.values)
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Waits (yielding, never sleeping) until `count` tasks sleep on this clock.
    func waitForSleepers(_ count: Int = 1) async {
        while sleepers < count { await Task.yield() }
    }
}
