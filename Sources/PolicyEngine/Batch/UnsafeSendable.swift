import Foundation

/// Hands a buffer whose parts are written by different workers to a concurrent closure; each
/// worker writes only its own index.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
}

/// `transform` of every index, spread over the cores, in order.
func concurrentMap<Result: Sendable>(_ indices: Range<Int>, _ transform: @Sendable (Int) -> Result) -> [Result] {
    let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: indices.count)
    results.initialize(repeating: nil)
    defer {
        results.deinitialize()
        results.deallocate()
    }
    let shared = UnsafeSendable(value: results)
    DispatchQueue.concurrentPerform(iterations: indices.count) { offset in
        shared.value[offset] = transform(indices.lowerBound + offset)
    }
    return results.map { $0! }
}
