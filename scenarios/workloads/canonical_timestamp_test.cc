// Canonical timestamps read back exactly as FormatTimestamp writes them, and
// nothing else is taken for one.
#include "scenarios/workloads/canonical_timestamp.h"

#include <gtest/gtest.h>

#include "fixtures/fixture_time.h"

namespace rehearse {
namespace {

TEST(CanonicalTimestampTest, RoundTripsFormatTimestamp) {
  for (int64_t micros : {kFixtureNow, kFixtureNow + 1, kFixtureNow + 500000, int64_t{0},
                         UtcMicros(1999, 12, 31, 23, 59, 59, 999999), kDstTransitions[1] - 1}) {
    int64_t parsed = -1;
    ASSERT_TRUE(ParseCanonicalTimestamp(FormatTimestamp(micros), &parsed))
        << FormatTimestamp(micros);
    EXPECT_EQ(parsed, micros) << FormatTimestamp(micros);
  }
}

TEST(CanonicalTimestampTest, OtherFormsAreRefused) {
  int64_t micros;
  for (const char* text :
       {"2026-03-08 12:00:00", "2026-03-08T12:00:00+00", "2026-03-08 12:00:00Z",
        "2026-03-08 12:00:00-05", "2026-03-08 12:00:00.+00", "2026-03-08 12:00:00.1234567+00",
        "2026-13-08 12:00:00+00", "2026-03-08 24:00:00+00", "", "now"}) {
    EXPECT_FALSE(ParseCanonicalTimestamp(text, &micros)) << text;
  }
}

TEST(CanonicalTimestampTest, Rfc3339FromTheBotBecomesCanonical) {
  std::string canonical;
  ASSERT_TRUE(CanonicalFromRfc3339("2026-03-08T12:00:00Z", &canonical));
  EXPECT_EQ(canonical, "2026-03-08 12:00:00+00");
  ASSERT_TRUE(CanonicalFromRfc3339("2026-03-08T12:00:00.250000Z", &canonical));
  EXPECT_EQ(canonical, "2026-03-08 12:00:00.25+00");
  EXPECT_FALSE(CanonicalFromRfc3339("2026-03-08T12:00:00+01:00", &canonical));
  EXPECT_FALSE(CanonicalFromRfc3339("tomorrow", &canonical));
}

}  // namespace
}  // namespace rehearse
