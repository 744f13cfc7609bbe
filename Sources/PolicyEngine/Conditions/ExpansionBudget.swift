/// How many definition uses one condition may expand to, counted across the definitions it
/// reaches. A definition is expanded at each use, so a chain of definitions that each use the
/// one before twice grows as a power of two: forty of them would never finish compiling. A file
/// from anyone (a draft uploaded to be tried) must fail to load instead.
final class ExpansionBudget: @unchecked Sendable {
    static let limit = 10_000
    private var spent = 0

    func spend(at offset: Int) throws(ConditionError) {
        spent += 1
        guard spent <= Self.limit else {
            throw ConditionError(offset: offset, message: "the condition expands to more than \(Self.limit) uses of definitions: write it with fewer")
        }
    }
}
