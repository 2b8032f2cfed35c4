// The gate around applies_with_data on real servers, both engines: --strict
// turning the warning into a failure, and a chain broken without rows
// leaving the rest "not reached" in the summary and the JSON report.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/runner/gate.h"
#include "harness/runner/gate_report.h"

namespace rehearse {
namespace {

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
    ASSERT_EQ(run.outcomes.size(), 3u);
    const MigrationOutcome& found = run.outcomes[1];
    ASSERT_NE(FindCheck(found.checks, "applies_with_data"), nullptr);
    EXPECT_EQ(FindCheck(found.checks, "applies_with_data")->status, CheckStatus::kFail);
    // Rehearsed on the unfilled state: everything else holds there.
    EXPECT_EQ(found.after_up.at("tags").rows, 0);
    for (const CheckResult& c : found.checks) {
      if (c.name == "applies_with_data") continue;
      EXPECT_NE(c.status, CheckStatus::kFail) << c.name;
    }
  }
}

// After a data-dependent migration the chain goes on from the unfilled
// state, and the next target fills its tables again.
TEST(DataDependenceGateTest, TheChainGoesOnWithRowsAgain) {
  GateResult result = RunCase("rows_duplicated_by_migration", false);
  ASSERT_EQ(result.runs.size(), 2u);
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    EXPECT_TRUE(run.passed) << run.verdict;
    ASSERT_EQ(run.outcomes.size(), 3u);
    EXPECT_EQ(FindCheck(run.outcomes[1].checks, "applies_with_data")->status, CheckStatus::kWarn);
    const MigrationOutcome& next = run.outcomes[2];
    EXPECT_EQ(FindCheck(next.checks, "applies_with_data"), nullptr);
    EXPECT_EQ(next.after_up.at("tags").rows, 100);
    EXPECT_EQ(FindCheck(next.checks, "rollback_identical")->status, CheckStatus::kPass);
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
