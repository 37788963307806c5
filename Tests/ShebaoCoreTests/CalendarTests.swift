import PropertyBased
import Testing
@testable import ShebaoCore

@Suite("Period and LocalDate")
struct CalendarTests {
    @Test func periodArithmetic() throws {
        let january = try #require(Period("2004-01"))
        #expect(january.previous == Period(year: 2003, month: 12))
        #expect(january.advanced(by: 13) == Period(year: 2005, month: 2))
        #expect(january.distance(to: Period(yyyymm: 200312)!) == -1)
        #expect(Period(yyyymm: 200401)?.yyyymm == 200401)
        #expect(Array(Period("2003-11")!...Period("2004-02")!).map(\.description) == ["2003-11", "2003-12", "2004-01", "2004-02"])
        #expect(Period("2004-13") == nil)
        #expect(Period("2004-1") == nil)
        #expect(Period(year: 2004, month: 2)?.lastDay == LocalDate(year: 2004, month: 2, day: 29))
    }

    @Test func dates() throws {
        #expect(LocalDate(iso: "1995-02-30") == nil)
        #expect(LocalDate(iso: "2000-02-29") != nil)
        #expect(LocalDate(iso: "1900-02-29") == nil)
        #expect(LocalDate(iso: "2024-1-01") == nil)
        let date = try #require(LocalDate(iso: "2011-07-01"))
        #expect(date.adding(days: -1).description == "2011-06-30")
        #expect(LocalDate(iso: "1970-01-01")?.daysSinceEpoch == 0)
        #expect(LocalDate(year: 1960, month: 2, day: 29)!.age(on: LocalDate(iso: "2020-02-28")!) == 59)
        #expect(LocalDate(year: 1960, month: 2, day: 29)!.age(on: LocalDate(iso: "2020-02-29")!) == 60)
    }

    @Test func daysRoundTrip() async {
        await propertyCheck(input: Gen.int(in: -700_000...2_900_000)) { days in
            let date = LocalDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(LocalDate(iso: date.description) == date)
        }
    }

    @Test func timestamps() throws {
        let time = try #require(Timestamp(iso8601: "2026-11-29T18:09:46.123Z"))
        #expect(time.iso8601 == "2026-11-29T18:09:46.123Z")
        #expect(Timestamp(iso8601: "2026-11-29T18:09:46Z")?.iso8601 == "2026-11-29T18:09:46.000Z")
        // 18:09 UTC is already the 30th in China.
        #expect(time.dateInChina.description == "2026-11-30")
        #expect(Timestamp(iso8601: "2026-11-29 18:09:46Z") == nil)
        // Pages show the minute in China, never the stored text; other text passes as it is.
        #expect(time.chinaMinute == "2026-11-30 02:09")
        #expect(Timestamp.shown("2026-12-31T16:00:00.000Z") == "2027-01-01 00:00")
        #expect(Timestamp.shown("—") == "—")
    }
}
