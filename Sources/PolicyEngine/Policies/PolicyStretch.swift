/// A stretch of days over which the same documents are in force.
public struct PolicyStretch: Sendable, Equatable {
    /// nil for the stretch before the first dated document.
    public var firstDay: CalendarDate?
    /// nil for the stretch that is still open.
    public var lastDay: CalendarDate?
    /// Indices into `RuleSet.documents`.
    public var documents: [Int]

    /// A day inside the stretch, away from its edges when it has any.
    public var representativeDay: CalendarDate {
        switch (firstDay, lastDay) {
        case (nil, let last?): return CalendarDate(year: last.year - 1, month: 6, day: 15)!
        case (let first?, nil): return max(first, CalendarDate(year: first.year + 1, month: 6, day: 15)!)
        case (let first?, let last?):
            let middle = CalendarDate(year: (first.year + last.year) / 2, month: 6, day: 15)!
            return min(max(first, middle), last)
        case (nil, nil): return CalendarDate(year: 2000, month: 1, day: 1)!
        }
    }
}

extension RuleSet {
    /// Every change of the documents in force, as consecutive stretches from the earliest date on.
    public var stretches: [PolicyStretch] {
        var cuts: Set<CalendarDate> = []
        for document in documents {
            if let start = document.inForceFrom { cuts.insert(start) }
            if let end = document.inForceThrough { cuts.insert(end.nextDay) }
        }
        let sortedCuts = cuts.sorted()
        guard !sortedCuts.isEmpty else { return [PolicyStretch(firstDay: nil, lastDay: nil, documents: Array(documents.indices))] }
        var result: [PolicyStretch] = []
        var previous: CalendarDate? = nil
        for cut in sortedCuts + [nil] as [CalendarDate?] {
            let day = previous ?? sortedCuts.first.map { $0.previousDay }
            guard let day else { break }
            let inForce = documents.indices.filter { documents[$0].isInForce(on: day) }
            result.append(PolicyStretch(firstDay: previous, lastDay: cut?.previousDay, documents: inForce))
            previous = cut
        }
        return result
    }
}
