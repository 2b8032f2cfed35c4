// Data-driven: every folder of testdata/ is a small migrations folder and an
// `expect` file ("pass", "fail <check>" or "warn <check>"). The gate must pass
// the correct ones on both engines and fail the broken ones on exactly the
// named check of the last migration it reached (on every engine the migration
// has files for). "warn <check>": the gate passes, and with the schema
// filler's rows the named check warns on some migration.
#include "harness/runner/gate.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

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

// Each case with only the rows its first migration seeds, and again with the
// schema-driven filler's hostile rows at every N-1 (as `--migrations` runs).
class GateCaseTest : public ::testing::TestWithParam<std::tuple<std::string, Scenario::Fill>> {};

TEST_P(GateCaseTest, GateGivesTheExpectedVerdict) {
  const std::string name = std::get<0>(GetParam());
  const std::string dir = TestdataDir() + "/" + name;
  std::ifstream in(dir + "/expect");
  std::string word, check;
  in >> word >> check;
  ASSERT_TRUE(word == "pass" || ((word == "fail" || word == "warn") && !check.empty()))
      << dir << "/expect";

  GateOptions options;
  Scenario s;
  s.name = name;
  s.migrations_dir = dir;
  s.fill = std::get<1>(GetParam());
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
    // A broken chain leaves the migrations after it not reached.
    size_t reached = run.outcomes.size();
    while (reached > 1 && !run.outcomes[reached - 1].not_reached.empty()) --reached;
    const MigrationOutcome& last = run.outcomes[reached - 1];
    std::vector<std::string> failed, warned;
    for (const MigrationOutcome& o : run.outcomes)
      for (const CheckResult& c : o.checks)
        if (c.status == CheckStatus::kWarn) warned.push_back(c.name);
    bool no_files = false;
    for (const CheckResult& c : last.checks) {
      if (c.status == CheckStatus::kFail) failed.push_back(c.name);
      if (c.status == CheckStatus::kSkip && c.detail.rfind("no " + run.backend + " files", 0) == 0)
        no_files = true;
    }
    if (no_files) continue;  // e.g. PostgreSQL-only DDL, reported skip on SQLite
    if (word == "pass") {
      EXPECT_TRUE(run.passed) << RenderGateSummary(result);
      EXPECT_EQ(std::find(warned.begin(), warned.end(), "applies_with_data"), warned.end())
          << RenderGateSummary(result);
    } else if (word == "warn") {
      EXPECT_TRUE(run.passed) << RenderGateSummary(result);
      if (s.fill == Scenario::Fill::kSchema) {
        EXPECT_NE(std::find(warned.begin(), warned.end(), check), warned.end())
            << check << " did not warn\n"
            << RenderGateSummary(result);
      }
    } else {
      EXPECT_FALSE(run.passed);
      EXPECT_NE(std::find(failed.begin(), failed.end(), check), failed.end())
          << check << " did not fail\n"
          << RenderGateSummary(result);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Testdata, GateCaseTest,
    ::testing::Combine(::testing::ValuesIn(Cases()),
                       ::testing::Values(Scenario::Fill::kNone, Scenario::Fill::kSchema)),
    [](const auto& info) {
      return std::get<0>(info.param) +
             (std::get<1>(info.param) == Scenario::Fill::kNone ? "_seeded_rows" : "_schema_filled");
    });

// A small migrations folder written for one test, removed after it.
class GateFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) /
            ("rehearse-gate-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void Write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  std::string Dir(const std::string& rel) const { return (root_ / rel).string(); }

  // One outside folder (`--migrations`): people, then pets, then a change to
  // pets whose down cannot undo what its up did.
  void WriteChainWithLossyThirdDown(const std::string& folder) {
    Write(folder + "/0001_people/up.sql",
          "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n");
    Write(folder + "/0001_people/down.sql", "DROP TABLE people;\n");
    Write(folder + "/0002_pets/up.sql",
          "CREATE TABLE pets (id INTEGER PRIMARY KEY, owner INTEGER REFERENCES people(id), "
          "name TEXT);\n");
    Write(folder + "/0002_pets/down.sql", "DROP TABLE pets;\n");
    Write(folder + "/0003_tidy_pet_names/up.sql", "UPDATE pets SET name = lower(trim(name));\n");
    Write(folder + "/0003_tidy_pet_names/down.sql", "-- nothing to undo, or so it seemed\n");
  }

  static Scenario Outside(const std::string& dir) {
    Scenario s;
    s.name = "outside";
    s.migrations_dir = dir;
    s.fill = Scenario::Fill::kSchema;
    s.include_first = true;
    return s;
  }

  // The gate over one scenario, on both engines; fails the test on a Status.
  static GateResult Gate(const Scenario& s, const std::string& baseline = "") {
    GateOptions options;
    options.scenarios = {s};
    options.baseline_dir = baseline;
    GateResult result;
    Status st = RunGate(options, &result);
    EXPECT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(result.runs.size(), 2u) << RenderGateSummary(result);
    return result;
  }

  static const CheckResult* Find(const ScenarioRun& run, const std::string& migration,
                                 const std::string& check) {
    for (const MigrationOutcome& o : run.outcomes)
      if (o.migration == migration)
        for (const CheckResult& c : o.checks)
          if (c.name == check) return &c;
    return nullptr;
  }

  std::filesystem::path root_;
};

TEST_F(GateFolderTest, SchemaFillReachesTablesThatALaterMigrationCreated) {
  WriteChainWithLossyThirdDown("m");
  const GateResult result = Gate(Outside(Dir("m")));
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    EXPECT_FALSE(run.passed);
    const CheckResult* c = Find(run, "0003_tidy_pet_names", "rollback_identical");
    ASSERT_NE(c, nullptr) << RenderGateSummary(result);
    EXPECT_EQ(c->status, CheckStatus::kFail) << c->detail;
    EXPECT_NE(c->detail.find("row changed: pets key id="), std::string::npos) << c->detail;
    // The migrations before it are correct, filled or not.
    const CheckResult* pets = Find(run, "0002_pets", "rollback_identical");
    ASSERT_NE(pets, nullptr);
    EXPECT_EQ(pets->status, CheckStatus::kPass) << pets->detail;
  }
}

TEST_F(GateFolderTest, CorrectOutsideFolderPassesDialectParityOnSchemaFilledData) {
  WriteChainWithLossyThirdDown("m");
  std::filesystem::remove_all(Dir("m/0003_tidy_pet_names"));
  Write("m/0003_pet_tag/up.sql", "ALTER TABLE pets ADD COLUMN tag TEXT DEFAULT 'none';\n");
  Write("m/0003_pet_tag/down.sql", "ALTER TABLE pets DROP COLUMN tag;\n");
  const GateResult result = Gate(Outside(Dir("m")));
  EXPECT_TRUE(result.passed()) << RenderGateSummary(result);
  for (const ScenarioRun& run : result.runs) {
    const CheckResult* parity = Find(run, "0003_pet_tag", "dialect_parity");
    ASSERT_NE(parity, nullptr);
    EXPECT_EQ(parity->status, CheckStatus::kPass) << parity->detail;
  }
}

TEST_F(GateFolderTest, FillWarningsShowInTheSummaryAndTheGateStillPasses) {
  Write("m/0001_impossible/up.sql",
        "CREATE TABLE impossible (id INTEGER PRIMARY KEY,"
        " x INTEGER NOT NULL CHECK (x > 5 AND x < 3));\n");
  Write("m/0001_impossible/down.sql", "DROP TABLE impossible;\n");
  Write("m/0002_more/up.sql", "CREATE TABLE more (id INTEGER PRIMARY KEY);\n");
  Write("m/0002_more/down.sql", "DROP TABLE more;\n");
  const GateResult result = Gate(Outside(Dir("m")));
  EXPECT_TRUE(result.passed());
  const std::string summary = RenderGateSummary(result);
  for (const char* backend : {"sqlite", "postgres"}) {
    const std::string header = std::string("WARNINGS outside [") + backend + "] seed ";
    const size_t at = summary.find(header);
    ASSERT_NE(at, std::string::npos) << summary;
    // The warning under its run, naming the table and the constraint.
    const std::string line = summary.substr(summary.find('\n', at) + 1);
    EXPECT_EQ(line.rfind("    warn: 0002_more fill: 1 table(s) not fully filled; table impossible: "
                         "CHECK",
                         0),
              0u)
        << summary;
    EXPECT_NE(line.substr(0, line.find('\n')).find("x > 5"), std::string::npos) << summary;
  }
  EXPECT_NE(summary.find("0 fail, 2 warn"), std::string::npos) << summary;
  EXPECT_NE(summary.find("verdict: pass"), std::string::npos) << summary;
}

TEST_F(GateFolderTest, AnEditedAppliedMigrationFailsEvenWithNothingPending) {
  WriteChainWithLossyThirdDown("production");
  WriteChainWithLossyThirdDown("repository");
  Write("repository/0001_people/up.sql",
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, nick TEXT);\n");
  const GateResult result = Gate(Outside(Dir("repository")), Dir("production"));
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    EXPECT_FALSE(run.passed);
    const CheckResult* c = Find(run, "applied", "applied_unchanged");
    ASSERT_NE(c, nullptr) << RenderGateSummary(result);
    EXPECT_EQ(c->status, CheckStatus::kFail);
    EXPECT_NE(c->detail.find("0001"), std::string::npos) << c->detail;
  }
}

TEST_F(GateFolderTest, ShardsSplitScenariosAndKeepTheirBackendsTogether) {
  WriteChainWithLossyThirdDown("m");
  std::vector<Scenario> scenarios;
  for (const char* name : {"a", "b", "c"}) {
    Scenario s = Outside(Dir("m"));
    s.name = name;
    s.targets = {"0002"};
    scenarios.push_back(s);
  }
  std::multiset<std::string> seen;
  for (int shard = 0; shard < 2; ++shard) {
    GateOptions options;
    options.scenarios = scenarios;
    options.shard_index = shard;
    options.shard_count = 2;
    GateResult result;
    ASSERT_TRUE(RunGate(options, &result).ok());
    std::map<std::string, int> backends;
    for (const ScenarioRun& run : result.runs) {
      seen.insert(run.scenario + "/" + run.backend);
      ++backends[run.scenario];
      // dialect_parity was judged: both engines' runs were in this shard.
      EXPECT_NE(Find(run, "0002_pets", "dialect_parity"), nullptr) << run.scenario;
    }
    for (const auto& [name, count] : backends) EXPECT_EQ(count, 2) << name;
  }
  EXPECT_EQ(seen.size(), 6u);
  for (const char* name : {"a", "b", "c"})
    for (const char* b : {"/sqlite", "/postgres"}) EXPECT_EQ(seen.count(name + std::string(b)), 1u);
}

TEST_F(GateFolderTest, ADialectParityCaseIsNotRunOnOneBackend) {
  Scenario s;
  s.name = "parity";
  s.migrations_dir = TestdataDir() + "/dialect_mismatch";
  s.fill = Scenario::Fill::kNone;
  s.include_first = true;
  s.expect_fail_check = "dialect_parity";
  GateOptions options;
  options.scenarios = {s};
  options.backends = {Dialect::kSqlite};
  GateResult result;
  ASSERT_TRUE(RunGate(options, &result).ok());
  EXPECT_TRUE(result.runs.empty());
  ASSERT_EQ(result.not_run.size(), 1u);
  EXPECT_NE(result.not_run[0].find("needs both backends"), std::string::npos);
  EXPECT_TRUE(result.passed());
}

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

TEST(GateReportTest, SummaryShowsTenWarningsPerRunAndCountsTheRest) {
  GateResult result;
  for (int r = 0; r < 2; ++r) {
    ScenarioRun run;
    run.scenario = "s";
    run.backend = r == 0 ? "sqlite" : "postgres";
    run.passed = r == 0;
    run.expect = "pass";
    run.verdict = r == 0 ? "every check holds" : "1 check(s) failed, first: 0001_a broken";
    run.reproduce = "rehearse reproduce --scenario s";
    MigrationOutcome o;
    o.migration = "0001_a";
    for (int i = 0; i < (r == 0 ? 12 : 1); ++i)
      o.checks.push_back(CheckResult::Warn("w" + std::to_string(i),
                                           "detail " + std::to_string(i) + "\nsecond line"));
    if (r == 1) o.checks.push_back(CheckResult::Fail("broken", "what broke"));
    run.outcomes.push_back(o);
    result.runs.push_back(run);
  }
  const std::string summary = RenderGateSummary(result);
  EXPECT_NE(summary.find("WARNINGS s [sqlite] seed 0: every check holds\n"
                         "    warn: 0001_a w0: detail 0\n"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("    warn: 0001_a w9: detail 9\n"
                         "    \u2026 and 2 more warnings\n"),
            std::string::npos)
      << summary;
  EXPECT_EQ(summary.find("w10"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("second line"), std::string::npos) << summary;
  // A failed run shows its failures, then its warnings, then how to reproduce.
  EXPECT_NE(summary.find("FAILED s [postgres] seed 0: 1 check(s) failed, first: 0001_a broken\n"
                         "    0001_a broken\n"
                         "      what broke\n"
                         "    warn: 0001_a w0: detail 0\n"
                         "    reproduce: rehearse reproduce --scenario s\n"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("13 warn"), std::string::npos) << summary;
}

}  // namespace
}  // namespace rehearse
