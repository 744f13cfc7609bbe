/// Compiles both sides of a binary operator, letting a typed side give a string literal its
/// vocabulary (so `b.status == 'pending'` checks `'pending'` against the statuses). Shared by the
/// condition compiler and the population compiler, whatever form they compile to.
func typedOperands<Value>(
    _ left: Expression, _ right: Expression, rightIsList: Bool, type: (Value) -> ValueType,
    compile: (Expression, ValueType?) throws(ConditionError) -> Value
) throws(ConditionError) -> (Value, Value) {
    if case .stringLiteral = left.kind {
        let rhs = try compile(right, nil)
        var hint = type(rhs)
        if rightIsList, case .list(let element) = hint { hint = element }
        return (try compile(left, hint), rhs)
    }
    let lhs = try compile(left, nil)
    return (lhs, try compile(right, rightIsList ? .list(type(lhs)) : type(lhs)))
}
