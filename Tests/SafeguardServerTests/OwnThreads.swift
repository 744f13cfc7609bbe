import Foundation

/// Runs CPU-bound work on threads of its own, one per lane, and returns each lane's result in
/// order. Never on Swift's cooperative threads (two on two cores): a test that kept them busy
/// would stall every server of the test process for as long.
func onOwnThreads<Result: Sendable>(lanes: Int, _ work: @escaping @Sendable (_ lane: Int) -> Result) async -> [Result] {
    await withTaskGroup(of: (Int, Result).self) { group in
        for lane in 0..<lanes {
            group.addTask {
                await withCheckedContinuation { continuation in
                    Thread { continuation.resume(returning: (lane, work(lane))) }.start()
                }
            }
        }
        return await group.reduce(into: [(Int, Result)]()) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
