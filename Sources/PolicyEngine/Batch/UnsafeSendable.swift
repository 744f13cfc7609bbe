/// Hands a buffer whose parts are written by different workers to a concurrent closure; each
/// worker writes only its own index.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
}
