import Foundation
import PolicyEngine

/// The day it is where the service works. An open encounter is about an action contemplated now,
/// so it is decided as of this day; one time zone serves every office, so that a day begins at the
/// same moment for all of them (`SAFEGUARD_TIME_ZONE`, default America/New_York).
public struct CaseCalendar: Sendable {
    public static let defaultTimeZone = TimeZone(identifier: "America/New_York")!

    public let clock: any WallClock
    public let timeZone: TimeZone

    public init(clock: any WallClock = SystemClock(), timeZone: TimeZone = CaseCalendar.defaultTimeZone) {
        self.clock = clock
        self.timeZone = timeZone
    }

    public var today: CalendarDate { day(of: clock.now) }

    /// The day `moment` falls on here.
    public func day(of moment: Date) -> CalendarDate {
        let parts = gregorian.dateComponents([.year, .month, .day], from: moment)
        guard let year = parts.year, let month = parts.month, let day = parts.day, let date = CalendarDate(year: year, month: month, day: day) else {
            preconditionFailure("the Gregorian calendar gave no day for \(moment)")
        }
        return date
    }

    /// The moment `day` begins here.
    public func start(of day: CalendarDate) -> Date {
        guard let moment = gregorian.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) else {
            preconditionFailure("the Gregorian calendar has no \(day)")
        }
        return moment
    }

    /// The same day a year after `day` (February 28 for February 29).
    public static func yearAfter(_ day: CalendarDate) -> CalendarDate {
        CalendarDate(year: day.year + 1, month: day.month, day: day.day) ?? CalendarDate(year: day.year + 1, month: day.month, day: day.day - 1)!
    }

    private var gregorian: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
