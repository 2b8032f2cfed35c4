#include "harness/common/duration.h"

#include <gtest/gtest.h>

namespace rehearse {
namespace {

TEST(DurationTest, ParsesEachUnit) {
  std::chrono::milliseconds d{0};
  ASSERT_TRUE(ParseDuration("500ms", &d).ok());
  EXPECT_EQ(d.count(), 500);
  ASSERT_TRUE(ParseDuration("30s", &d).ok());
  EXPECT_EQ(d.count(), 30000);
  ASSERT_TRUE(ParseDuration("5m", &d).ok());
  EXPECT_EQ(d.count(), 300000);
  ASSERT_TRUE(ParseDuration("5min", &d).ok());
  EXPECT_EQ(d.count(), 300000);
  ASSERT_TRUE(ParseDuration("1h", &d).ok());
  EXPECT_EQ(d.count(), 3600000);
}

TEST(DurationTest, RefusesWhatIsNotADuration) {
  std::chrono::milliseconds d{7};
  for (const char* bad : {"", "s", "10", "0s", "-1s", "1.5s", "1 s", "1d", "99999999999h"}) {
    Status s = ParseDuration(bad, &d);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << bad;
  }
  EXPECT_EQ(d.count(), 7);
}

TEST(DurationTest, FormatsInTheLargestExactUnit) {
  using std::chrono::milliseconds;
  EXPECT_EQ(FormatDuration(milliseconds(3600000)), "1 h");
  EXPECT_EQ(FormatDuration(milliseconds(600000)), "10 min");
  EXPECT_EQ(FormatDuration(milliseconds(1000)), "1 s");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1500 ms");
}

}  // namespace
}  // namespace rehearse
