// BusinessHours: windows in a workspace's own zone and days, the next
// opening from inside and outside a window, and fallbacks for settings the
// application cannot parse.
#include "scenarios/workloads/business_hours.h"

#include <gtest/gtest.h>

#include "fixtures/fixture_time.h"

namespace rehearse {
namespace {

class BusinessHoursTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(TimeZoneRules::Load("America/New_York", &new_york_).ok());
    ASSERT_TRUE(TimeZoneRules::Load("Asia/Kolkata", &kolkata_).ok());
  }
  TimeZoneRules new_york_, kolkata_;
};

TEST_F(BusinessHoursTest, OnTheHarnessSundayANewYorkWeekdayWorkspaceOpensMondayAtNine) {
  const BusinessHours hours(&new_york_, "09:00", "17:00", "mon,tue,wed,thu,fri");
  EXPECT_FALSE(hours.IsOpen(kFixtureNow));
  EXPECT_EQ(hours.DescribeLocal(kFixtureNow), "Sun 08:00");
  EXPECT_EQ(hours.NextOpen(kFixtureNow), UtcMicros(2026, 3, 9, 13));  // 09:00 EDT
}

TEST_F(BusinessHoursTest, InsideTheWindowNextOpenIsNow) {
  const BusinessHours hours(&new_york_, "09:00", "17:00", "mon,tue,wed,thu,fri");
  const int64_t monday_eleven = UtcMicros(2026, 3, 9, 15);
  EXPECT_TRUE(hours.IsOpen(monday_eleven));
  EXPECT_EQ(hours.NextOpen(monday_eleven), monday_eleven);
  // 17:00 itself is closed: the window is [start, end).
  EXPECT_FALSE(hours.IsOpen(UtcMicros(2026, 3, 9, 21)));
  EXPECT_EQ(hours.NextOpen(UtcMicros(2026, 3, 9, 21)), UtcMicros(2026, 3, 10, 13));
}

TEST_F(BusinessHoursTest, ASundayWorkspaceInKolkataIsJudgedOnItsOwnClock) {
  // 17:30 IST on Sunday: open until 20:00 when Sunday is a business day.
  const BusinessHours sunday(&kolkata_, "10:00", "20:00", "sun,mon,tue,wed,thu");
  EXPECT_TRUE(sunday.IsOpen(kFixtureNow));
  const BusinessHours early(&kolkata_, "09:00", "17:00", "sun,mon,tue,wed,thu");
  EXPECT_FALSE(early.IsOpen(kFixtureNow));
  EXPECT_EQ(early.NextOpen(kFixtureNow), UtcMicros(2026, 3, 9, 3, 30));  // Monday 09:00 IST
}

TEST_F(BusinessHoursTest, UnparseableSettingsFallBackToTheApplicationDefaults) {
  const BusinessHours hours(&new_york_, "9am", "", " , funday");
  EXPECT_EQ(hours.NextOpen(kFixtureNow), UtcMicros(2026, 3, 9, 13));
  EXPECT_TRUE(hours.IsOpen(UtcMicros(2026, 3, 9, 20, 59)));  // 16:59 EDT
}

TEST_F(BusinessHoursTest, ADayWithoutAWindowNeverOpens) {
  const BusinessHours hours(&new_york_, "17:00", "09:00", "mon");
  EXPECT_FALSE(hours.IsOpen(UtcMicros(2026, 3, 9, 15)));
  EXPECT_FALSE(hours.NextOpen(kFixtureNow).has_value());
}

}  // namespace
}  // namespace rehearse
