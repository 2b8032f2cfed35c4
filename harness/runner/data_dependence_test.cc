// applies_with_data: the detail read from each engine's errors, and the gate
// around it on real servers — --strict turning the warning into a failure,
// and a chain broken without rows leaving the rest "not reached".
#include "harness/runner/data_dependence.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/runner/gate.h"
#include "harness/runner/gate_report.h"

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

GateResult RunCase(const std::string& name, bool strict) {
  Scenario s;
  s.name = name;
  s.migrations_dir = std::string(REHEARSE_RUNNER_TESTDATA) + "/" + name;
  s.fill = Scenario::Fill::kSchema;
  s.include_first = true;
  GateOptions options;
  options.scenarios = {s};
  options.strict = strict;
  GateResult result;
  Status st = RunGate(options, &result);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return result;
}

// The known-bad case for --strict: the same data-dependent migration that
// only warns by default fails the gate, on both engines.
TEST(DataDependenceGateTest, StrictFailsADataDependentMigration) {
  GateResult result = RunCase("rows_duplicated_by_migration", true);
  ASSERT_EQ(result.runs.size(), 2u);
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    EXPECT_FALSE(run.passed);
    EXPECT_NE(run.verdict.find("applies_with_data"), std::string::npos) << run.verdict;
    EXPECT_NE(run.reproduce.find("--strict"), std::string::npos);
    // Rehearsed on the unfilled state: everything else holds there.
    for (const CheckResult& c : run.outcomes.back().checks) {
      if (c.name == "applies_with_data") continue;
      EXPECT_NE(c.status, CheckStatus::kFail) << c.name;
    }
  }
}

TEST(DataDependenceGateTest, AChainBrokenWithoutRowsLeavesTheRestNotReached) {
  GateResult result = RunCase("breaks_unfilled", false);
  ASSERT_EQ(result.runs.size(), 2u);
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    ASSERT_EQ(run.outcomes.size(), 3u);
    EXPECT_TRUE(run.outcomes[1].not_reached.empty());
    const MigrationOutcome& after = run.outcomes[2];
    EXPECT_TRUE(after.checks.empty());
    EXPECT_EQ(after.not_reached.rfind("the chain broke at 0002_broken, which fails without "
                                      "generated rows too: ",
                                      0),
              0u)
        << after.not_reached;
  }
  EXPECT_EQ(CountGate(result).not_reached, 2u);
  const std::string summary = RenderGateSummary(result);
  EXPECT_NE(summary.find("; 1 migration(s) not reached (0003_after)"), std::string::npos)
      << summary;
  const std::string path = ::testing::TempDir() + "/data_dependence_report.json";
  ASSERT_TRUE(WriteGateJson(result, path).ok());
  nlohmann::json doc = nlohmann::json::parse(std::ifstream(path));
  EXPECT_EQ(doc["totals"]["not_reached"], 2);
  EXPECT_TRUE(doc["scenarios"][0]["migrations"][2].contains("not_reached"));
  EXPECT_TRUE(doc["scenarios"][0].contains("chain_broken"));
}

}  // namespace
}  // namespace rehearse
