// Data-driven: every folder of testdata/ is a small migrations folder and an
// `expect` file ("pass", or "fail <check>"). The gate must pass the correct
// ones on both engines and fail the broken ones on exactly the named check of
// the last migration (on every engine the migration has files for).
#include "harness/runner/gate.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "harness/runner/gate_report.h"

namespace rehearse {
namespace {

std::string TestdataDir() { return std::string(REHEARSE_RUNNER_TESTDATA); }

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(TestdataDir()))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class GateCaseTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GateCaseTest, GateGivesTheExpectedVerdict) {
  const std::string dir = TestdataDir() + "/" + GetParam();
  std::ifstream in(dir + "/expect");
  std::string word, check;
  in >> word >> check;
  ASSERT_TRUE(word == "pass" || (word == "fail" && !check.empty())) << dir << "/expect";

  GateOptions options;
  Scenario s;
  s.name = GetParam();
  s.migrations_dir = dir;
  s.fill = Scenario::Fill::kNone;  // the first migration seeds its own rows
  s.include_first = true;
  options.scenarios = {s};
  GateResult result;
  Status st = RunGate(options, &result);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(result.runs.size(), 2u);
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    // The first migration (the seed rows) is correct in every case, on both
    // engines: a broken chain would hide the case behind skips.
    for (const CheckResult& c : run.outcomes.front().checks)
      EXPECT_NE(c.status, CheckStatus::kFail) << c.name << ": " << c.detail;
    const MigrationOutcome& last = run.outcomes.back();
    std::vector<std::string> failed;
    bool no_files = false;
    for (const CheckResult& c : last.checks) {
      if (c.status == CheckStatus::kFail) failed.push_back(c.name);
      if (c.status == CheckStatus::kSkip && c.detail.rfind("no " + run.backend + " files", 0) == 0)
        no_files = true;
    }
    if (no_files) continue;  // e.g. PostgreSQL-only DDL, reported skip on SQLite
    if (word == "pass") {
      EXPECT_TRUE(run.passed) << RenderGateSummary(result);
    } else {
      EXPECT_FALSE(run.passed);
      EXPECT_NE(std::find(failed.begin(), failed.end(), check), failed.end())
          << check << " did not fail\n"
          << RenderGateSummary(result);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Testdata, GateCaseTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param; });

TEST(GateReportTest, JunitCountsWhatTheSummaryCounts) {
  GateOptions options;
  Scenario s;
  s.name = "lossy";
  s.migrations_dir = TestdataDir() + "/lossy_text_normalisation";
  s.fill = Scenario::Fill::kNone;
  s.include_first = true;
  s.backends = {Dialect::kSqlite};
  options.scenarios = {s};
  GateResult result;
  ASSERT_TRUE(RunGate(options, &result).ok());
  GateTotals t = CountGate(result);
  // Details carry database values: markup and control characters must not
  // break the file.
  ASSERT_FALSE(result.runs.empty() || result.runs[0].outcomes.empty() ||
               result.runs[0].outcomes[0].checks.empty());
  result.runs[0].outcomes[0].checks[0].detail += " <&\"'> \x01\x1f";
  std::string path = ::testing::TempDir() + "/gate-junit-" + std::to_string(getpid()) + ".xml";
  ASSERT_TRUE(WriteGateJunit(result, path).ok());
  // Well-formed XML, by a real parser (libxml2-utils, installed by ci/setup).
  EXPECT_EQ(std::system(("xmllint --noout " + path).c_str()), 0);
  std::ifstream in(path);
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  size_t testcases = 0;
  for (size_t at = xml.find("<testcase "); at != std::string::npos;
       at = xml.find("<testcase ", at + 1))
    ++testcases;
  EXPECT_EQ(testcases, t.checks + t.scenarios);
  EXPECT_NE(xml.find("tests=\"" + std::to_string(t.checks + t.scenarios) + "\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("failures=\"" + std::to_string(t.fail + t.scenarios_failed) + "\""),
            std::string::npos);
  EXPECT_NE(xml.find("name=\"rollback_identical\""), std::string::npos);
  EXPECT_NE(RenderGateSummary(result).find("1 failed"), std::string::npos);
}

}  // namespace
}  // namespace rehearse
