// MigrationVersion: numbers of any length, ordered as numbers, spelled as
// written.
#include "harness/migrate/migration_version.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace rehearse {
namespace {

MigrationVersion V(const char* text) {
  MigrationVersion v;
  Status s = MigrationVersion::Parse(text, &v);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return v;
}

TEST(MigrationVersionTest, LeadingZerosDoNotChangeTheNumber) {
  EXPECT_EQ(V("0001"), V("1"));
  EXPECT_EQ(V("0000"), V("0"));
  EXPECT_EQ(V("0001").key(), "1");
  EXPECT_EQ(V("0000").key(), "0");
}

TEST(MigrationVersionTest, TextKeepsTheSpellingForDisplay) {
  EXPECT_EQ(V("0003").text(), "0003");
  EXPECT_EQ(V("20240101120000").text(), "20240101120000");
}

TEST(MigrationVersionTest, ShorterNumberSortsFirstWhateverItsBytes) {
  EXPECT_LT(V("9"), V("10"));
  EXPECT_LT(V("0009"), V("10"));
  EXPECT_GT(V("100"), V("99"));
}

TEST(MigrationVersionTest, VersionsLongerThanSixtyFourBitsCompareAsNumbers) {
  // 2^64 = 18446744073709551616 (20 digits); these do not fit.
  MigrationVersion a = V("20240101120000000001");
  MigrationVersion b = V("20240101120000000002");
  MigrationVersion c = V("100000000000000000000000");  // 24 digits
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_LT(V("18446744073709551615"), V("18446744073709551616"));
  uint64_t out = 0;
  EXPECT_TRUE(V("18446744073709551615").ToUint64(&out));
  EXPECT_EQ(out, UINT64_MAX);
  EXPECT_FALSE(V("18446744073709551616").ToUint64(&out));
  EXPECT_FALSE(a.ToUint64(&out));
}

TEST(MigrationVersionTest, SortingMixedWidthsGivesNumericOrder) {
  std::vector<MigrationVersion> v = {V("20240101120000000000"), V("10"), V("0002"),
                                     V("20231231235959"), V("1")};
  std::sort(v.begin(), v.end());
  std::vector<std::string> texts;
  for (const auto& x : v) texts.push_back(x.text());
  EXPECT_EQ(texts, (std::vector<std::string>{"1", "0002", "10", "20231231235959",
                                             "20240101120000000000"}));
}

TEST(MigrationVersionTest, ParseRejectsAnythingButAsciiDigits) {
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1a", "0x1", "１"}) {
    MigrationVersion v = V("7");
    Status s = MigrationVersion::Parse(bad, &v);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << "'" << bad << "'";
    EXPECT_EQ(v.text(), "7") << "unchanged on failure";
  }
}

}  // namespace
}  // namespace rehearse
