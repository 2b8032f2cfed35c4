// applies_with_data: the detail read from each engine's errors.
#include "verifiers/applies_with_data.h"

#include <gtest/gtest.h>

namespace rehearse {
namespace {

TEST(DescribeDataFailureTest, PostgresDuplicateKeyNamesTableColumnsAndValues) {
  Status s = Status::Database(
                 "ERROR:  could not create unique index \"unique_num\"\n"
                 "DETAIL:  Key (package_id, num)=(-2147483648, AT&T Partners delta) is "
                 "duplicated.",
                 "23505")
                 .WithStatement(
                     "ALTER TABLE versions ADD CONSTRAINT unique_num UNIQUE "
                     "(package_id, num)");
  EXPECT_EQ(DescribeDataFailure(s),
            "versions holds duplicate (package_id, num), e.g. (-2147483648, AT&T Partners delta)");
}

TEST(DescribeDataFailureTest, PostgresNullCheckAndForeignKey) {
  EXPECT_EQ(DescribeDataFailure(Status::Database(
                "ERROR:  column \"code\" of relation \"tags\" contains null values", "23502")),
            "tags holds NULL in code");
  EXPECT_EQ(DescribeDataFailure(Status::Database(
                "ERROR:  check constraint \"tags_upper\" of relation \"tags\" is violated by some "
                "row",
                "23514")),
            "tags holds rows that violate CHECK tags_upper");
  EXPECT_EQ(DescribeDataFailure(Status::Database(
                "ERROR:  insert or update on table \"pets\" violates foreign key constraint "
                "\"pets_owner_fkey\"\nDETAIL:  Key (owner)=(7) is not present in table \"people\".",
                "23503")),
            "pets holds (owner)=(7), which is not present in people");
}

TEST(DescribeDataFailureTest, PostgresNotNullColumnAddedWithoutDefault) {
  Status s =
      Status::Database("ERROR:  column \"user_id\" of relation \"activity\" contains null values",
                       "23502")
          .WithStatement(
              "ALTER TABLE activity ADD COLUMN user_id integer REFERENCES user_ "
              "NOT NULL");
  EXPECT_EQ(DescribeDataFailure(s),
            "activity holds any row: the NOT NULL column user_id it adds has no default to fill "
            "them with");
}

TEST(DescribeDataFailureTest, SqliteConstraintMessages) {
  EXPECT_EQ(DescribeDataFailure(
                Status::Database("UNIQUE constraint failed: versions.package_id, versions.num")),
            "versions holds duplicate (package_id, num)");
  EXPECT_EQ(DescribeDataFailure(Status::Database("NOT NULL constraint failed: tags.code")),
            "tags holds NULL in (code)");
}

TEST(DescribeDataFailureTest, AnythingElseKeepsTheEnginesWords) {
  Status s = Status::Database(
                 "ERROR:  a negative number raised to a non-integer power yields a complex result",
                 "2201F")
                 .WithStatement("CREATE MATERIALIZED VIEW m AS SELECT rank(published) FROM posts");
  EXPECT_EQ(DescribeDataFailure(s),
            "posts holds values it cannot take: a negative number raised to a non-integer power "
            "yields a complex result (SQLSTATE 2201F)");
}

TEST(AppliesWithDataTest, WarnsUnlessStrict) {
  Status s = Status::Database("UNIQUE constraint failed: tags.label")
                 .At("0002_unique/up.sql", 4)
                 .WithStatement("CREATE UNIQUE INDEX tags_label_key\n  ON tags (label);");
  CheckResult warn = AppliesWithData("up", s, false);
  EXPECT_EQ(warn.status, CheckStatus::kWarn);
  EXPECT_EQ(warn.detail.rfind("up: 0002_unique/up.sql:4: CREATE UNIQUE INDEX tags_label_key ON "
                              "tags (label) fails when tags holds duplicate (label); production "
                              "must hold none before this runs",
                              0),
            0u)
      << warn.detail;
  EXPECT_EQ(AppliesWithData("down", s, true).status, CheckStatus::kFail);
}

}  // namespace
}  // namespace rehearse
