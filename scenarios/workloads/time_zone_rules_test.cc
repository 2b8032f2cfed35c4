// TimeZoneRules against the system's tz database: offsets either side of
// the DST changes around the harness clock, half-hour and 45-minute zones,
// wall-clock readings in a gap and an overlap, and names that are refused.
#include "scenarios/workloads/time_zone_rules.h"

#include <gtest/gtest.h>

#include "fixtures/fixture_time.h"

namespace rehearse {
namespace {

TimeZoneRules Load(const std::string& name) {
  TimeZoneRules rules;
  Status s = TimeZoneRules::Load(name, &rules);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return rules;
}

TEST(TimeZoneRulesTest, NewYorkSpringsForwardAtSevenUtcOnTheHarnessDay) {
  const TimeZoneRules ny = Load("America/New_York");
  EXPECT_EQ(ny.OffsetSecondsAt(UtcMicros(2026, 3, 8, 6, 59, 59)), -5 * 3600);
  EXPECT_EQ(ny.OffsetSecondsAt(UtcMicros(2026, 3, 8, 7)), -4 * 3600);
  EXPECT_EQ(ny.ToLocal(kFixtureNow), UtcMicros(2026, 3, 8, 8));         // 08:00 EDT
  EXPECT_EQ(ny.OffsetSecondsAt(UtcMicros(2025, 11, 2, 6)), -5 * 3600);  // fell back
}

TEST(TimeZoneRulesTest, HalfHourAndQuarterHourZones) {
  EXPECT_EQ(Load("Asia/Kolkata").OffsetSecondsAt(kFixtureNow), 5 * 3600 + 1800);
  // Southern summer: Lord Howe +11 (DST of 30 minutes), Chatham +13:45.
  EXPECT_EQ(Load("Australia/Lord_Howe").OffsetSecondsAt(kFixtureNow), 11 * 3600);
  EXPECT_EQ(Load("Pacific/Chatham").OffsetSecondsAt(kFixtureNow), 13 * 3600 + 45 * 60);
  EXPECT_EQ(TimeZoneRules::Utc().OffsetSecondsAt(kFixtureNow), 0);
}

TEST(TimeZoneRulesTest, WallClockReadingsInTheGapAndTheOverlap) {
  const TimeZoneRules ny = Load("America/New_York");
  // 02:30 on 2026-03-08 never happens in New York: it lands just after the gap.
  EXPECT_EQ(ny.ToUtc(UtcMicros(2026, 3, 8, 2, 30)), UtcMicros(2026, 3, 8, 7, 30));
  // 01:30 on 2025-11-02 happens twice: the earlier instant (EDT) is taken.
  EXPECT_EQ(ny.ToUtc(UtcMicros(2025, 11, 2, 1, 30)), UtcMicros(2025, 11, 2, 5, 30));
  // An ordinary reading round-trips.
  EXPECT_EQ(ny.ToUtc(UtcMicros(2026, 3, 9, 9)), UtcMicros(2026, 3, 9, 13));
}

TEST(TimeZoneRulesTest, NamesThatAreNotZonesAreNotFound) {
  TimeZoneRules rules;
  for (const char* name : {"", "Mars/Olympus_Mons", "../etc/passwd", "/etc/localtime",
                           "America/New York", "America/New_York;rm"}) {
    EXPECT_EQ(TimeZoneRules::Load(name, &rules).code(), Status::Code::kNotFound) << name;
  }
}

}  // namespace
}  // namespace rehearse
