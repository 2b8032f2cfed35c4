// `rehearse profile` end to end through the binary: exit codes (1 on a
// finding, 0 with --warn-only, 2 on bad input before anything boots), the
// JSON and JUnit reports naming the finding, --timings feeding
// --timings-baseline, and --rollback-log.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <vector>

#include "harness/cli/command_run_test_util.h"

namespace rehearse {
namespace {

namespace fs = std::filesystem;

class ProfileCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("profile_cli_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Profile(const std::string& flags) {
    return std::string(REHEARSE_BINARY) + " profile --migrations " + REHEARSE_SOURCE_ROOT +
           "/harness/profile/testdata/sqlite_pairs/migrations --backend sqlite --rows 2000 "
           "--min-rows 1000 --max-lock 0 --max-rows-per-transaction 1000 " +
           flags;
  }
  static std::string Read(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }

  fs::path dir_;
};

TEST_F(ProfileCliTest, FindingsFailAndGoToEveryReport) {
  const fs::path json = dir_ / "report.json", junit = dir_ / "junit.xml",
                 timings = dir_ / "timings.json", log = dir_ / "ROLLBACK_LOG.md";
  CommandRun run =
      RunCommandLine(Profile("--report-json " + json.string() + " --junit " + junit.string() +
                             " --timings " + timings.string() + " --rollback-log " + log.string()));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("FAIL 0002_rebuild table_rebuild"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("heaviest (up + down)"), std::string::npos) << run.output;
  // Each heaviest migration's longest lock names the statement that took it.
  const size_t from =
      run.output.find("the database write lock for", run.output.find("heaviest (up + down)"));
  ASSERT_NE(from, std::string::npos) << run.output;
  const std::string line = run.output.substr(from, run.output.find('\n', from) - from);
  EXPECT_NE(line.find(", from `"), std::string::npos) << line;
  EXPECT_NE(line.find(".sql:"), std::string::npos) << line;
  EXPECT_NE(Read(json).find("\"table_rebuild\""), std::string::npos);
  EXPECT_NE(Read(junit).find("unbatched_write"), std::string::npos);
  EXPECT_NE(Read(timings).find("\"reference_s\""), std::string::npos);
  EXPECT_FALSE(fs::exists(log)) << "every rollback fit its window: nothing to log";

  // The same folder against its own timings, reported only: exit 0.
  run = RunCommandLine(Profile("--warn-only --timings-baseline " + timings.string()));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("warn 0002_rebuild table_rebuild"), std::string::npos) << run.output;

  // Windows of zero: every rollback missed them, each logged in the seed's format.
  run =
      RunCommandLine(Profile("--warn-only --rollback-window 0 --rollback-deadline 0 "
                             "--rollback-log " +
                             log.string()));
  EXPECT_EQ(run.exit_code, 1) << run.output;  // rollback_window fails, even with --warn-only
  const std::string logged = Read(log);
  EXPECT_NE(logged.find("**Rollback From:** 0002_rebuild"), std::string::npos) << logged;
  EXPECT_NE(logged.find("**Severity:** High"), std::string::npos) << logged;
}

// With --baseline, only what production lacks is profiled, on the baseline's
// schema filled to size; --unit pending makes it one unit.
TEST_F(ProfileCliTest, BaselineProfilesOnlyThePendingMigrations) {
  const fs::path source =
      fs::path(REHEARSE_SOURCE_ROOT) / "harness/profile/testdata/sqlite_pairs/migrations";
  const fs::path production = dir_ / "production", json = dir_ / "report.json";
  fs::create_directories(production);
  for (const char* applied : {"0001_create", "0002_rebuild", "0003_add_column", "0004_index"})
    fs::copy(source / applied, production / applied, fs::copy_options::recursive);
  CommandRun run = RunCommandLine(
      Profile("--baseline " + production.string() + " --report-json " + json.string()));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("FAIL 0005_backfill_unbatched unbatched_write"), std::string::npos)
      << run.output;
  const std::string report = Read(json);
  EXPECT_NE(report.find("0006_backfill_batched"), std::string::npos);
  for (const char* applied : {"0001_create", "0002_rebuild", "0004_index"}) {
    EXPECT_EQ(run.output.find(applied), std::string::npos) << applied << "\n" << run.output;
    EXPECT_EQ(report.find(applied), std::string::npos) << applied;
  }

  run = RunCommandLine(Profile("--baseline " + production.string() + " --unit pending"));
  EXPECT_NE(run.output.find("0005_backfill_unbatched..0008_rename_column"), std::string::npos)
      << run.output;

  // A baseline that does not apply leaves every pending migration unreached.
  std::ofstream(production / "0004_index" / "up.sql") << "CREATE INDEX broken ON nowhere (x);\n";
  run = RunCommandLine(Profile("--baseline " + production.string()));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("FAIL baseline baseline_applies"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("no such table: main.nowhere"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("4 migrations not reached: the baseline did not apply"),
            std::string::npos)
      << run.output;
}

// A profile at production size runs for hours: one stopped halfway (a CI
// job's time limit, SIGKILL) leaves reports of what it profiled, marked
// incomplete so that nothing reads them as a pass.
TEST_F(ProfileCliTest, AStoppedRunLeavesReportsMarkedIncomplete) {
  const fs::path chain = dir_ / "chain", json = dir_ / "report.json", junit = dir_ / "junit.xml";
  fs::create_directories(chain);
  fs::copy(fs::path(REHEARSE_SOURCE_ROOT) / "harness/profile/testdata/sqlite_pairs/migrations" /
               "0001_create",
           chain / "0001_create", fs::copy_options::recursive);
  // Instant on the unfilled pass over the chain; hours on 2000 filled rows.
  fs::create_directories(chain / "0002_cross_join");
  std::ofstream(chain / "0002_cross_join" / "up.sql")
      << "CREATE TABLE product AS SELECT count(*) AS n FROM events a, events b, events c;\n";
  std::ofstream(chain / "0002_cross_join" / "down.sql") << "DROP TABLE product;\n";
  const std::string command = std::string("exec ") + REHEARSE_BINARY + " profile --migrations " +
                              chain.string() + " --backend sqlite --rows 2000 --report-json " +
                              json.string() + " --junit " + junit.string() + " 2>/dev/null";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  bool written = false;
  for (int i = 0; i < 1200 && !written; ++i) {
    written = Read(json).find("0001_create") != std::string::npos &&
              Read(junit).find("0001_create") != std::string::npos;
    if (!written) usleep(100 * 1000);
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(written) << "no reports after 0001_create within 2 minutes";
  const std::string report = Read(json);
  EXPECT_NE(report.find("\"verdict\": \"incomplete\""), std::string::npos) << report;
  EXPECT_NE(report.find("written after 0001_create on sqlite"), std::string::npos) << report;
  EXPECT_NE(report.find("\"profile_up\""), std::string::npos) << report;
  EXPECT_EQ(report.find("0002_cross_join"), std::string::npos) << report;
  const std::string xml = Read(junit);
  EXPECT_NE(xml.find("name=\"complete\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"the run had not finished"), std::string::npos) << xml;

  // A run that ends writes its reports whole.
  fs::remove_all(chain / "0002_cross_join");
  CommandRun run =
      RunCommandLine(std::string(REHEARSE_BINARY) + " profile --migrations " + chain.string() +
                     " --backend sqlite --rows 2000 --report-json " + json.string());
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(Read(json).find("incomplete"), std::string::npos) << Read(json);
}

// An up stopped at --timeout on the filled tables, though instant without
// rows, did not finish at this size: profile_up fails saying so, with the
// lock it held, not applies_with_data (the rows are not at fault); it leads
// the heaviest; the chain goes on.
TEST_F(ProfileCliTest, AnUpStoppedAtItsTimeoutIsTooSlowAtThisSize) {
  const fs::path chain = dir_ / "chain", json = dir_ / "report.json";
  const std::vector<std::array<std::string, 3>> migrations = {
      {"0001_create", "CREATE TABLE events (id integer PRIMARY KEY, v text);",
       "DROP TABLE events;"},
      {"0002_cross_join",
       "CREATE TABLE product AS SELECT count(*) AS n FROM events a, events b, events c;",
       "DROP TABLE product;"},
      {"0003_after", "CREATE TABLE after (id integer PRIMARY KEY);", "DROP TABLE after;"}};
  for (const auto& [name, up, down] : migrations) {
    fs::create_directories(chain / name);
    std::ofstream(chain / name / "up.sql") << up << "\n";
    std::ofstream(chain / name / "down.sql") << down << "\n";
  }
  CommandRun run =
      RunCommandLine(std::string(REHEARSE_BINARY) + " profile --migrations " + chain.string() +
                     " --rows 2000 --timeout 1s --report-json " + json.string() + " 2>/dev/null");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_EQ(run.output.find("applies_with_data"), std::string::npos) << run.output;
  for (const char* backend : {"sqlite", "postgres"}) {
    SCOPED_TRACE(backend);
    const size_t from = run.output.find(std::string("\n") + backend + ": ");
    ASSERT_NE(from, std::string::npos) << run.output;
    const std::string section = run.output.substr(from, run.output.find("\n\n", from + 1) - from);
    const size_t at = section.find("FAIL 0002_cross_join profile_up: did not finish at 2000 rows");
    ASSERT_NE(at, std::string::npos) << section;
    const std::string line = section.substr(at, section.find('\n', at) - at);
    EXPECT_NE(line.find("timed out after 1 s"), std::string::npos) << line;
    EXPECT_NE(line.find("longest so far: "), std::string::npos) << line;
    EXPECT_NE(section.find("heaviest (up + down):\n    0002_cross_join: up stopped after"),
              std::string::npos)
        << section;
    EXPECT_EQ(section.find("not reached"), std::string::npos) << section;
    EXPECT_NE(section.find("0003_after: up "), std::string::npos) << section;
  }
}

// A table the filler cannot fill to its size is not tried again before each
// later migration (ShortTables) until a migration redefines it; the summary
// gives its warning once, with how many fills repeated it.
TEST_F(ProfileCliTest, AShortTableIsHeldUntilRedefinedAndWarnedOnce) {
  const fs::path chain = dir_ / "chain";
  const std::vector<std::array<std::string, 3>> migrations = {
      {"0001_few",
       "CREATE TABLE few (id integer PRIMARY KEY, v integer NOT NULL UNIQUE "
       "CHECK (v BETWEEN 1 AND 3));",
       "DROP TABLE few;"},
      {"0002_a", "CREATE TABLE a (id integer PRIMARY KEY);", "DROP TABLE a;"},
      {"0003_b", "CREATE TABLE b (id integer PRIMARY KEY);", "DROP TABLE b;"},
      {"0004_widen", "ALTER TABLE few ADD COLUMN note text;", "ALTER TABLE few DROP COLUMN note;"},
      {"0005_c", "CREATE TABLE c (id integer PRIMARY KEY);", "DROP TABLE c;"}};
  for (const auto& [name, up, down] : migrations) {
    fs::create_directories(chain / name);
    std::ofstream(chain / name / "up.sql") << up << "\n";
    std::ofstream(chain / name / "down.sql") << down << "\n";
  }
  CommandRun run = RunCommandLine(std::string(REHEARSE_BINARY) + " profile --migrations " +
                                  chain.string() + " --backend sqlite --rows 50 2>/dev/null");
  const std::string warning = "fill: before 0002_a: table few";
  const size_t at = run.output.find(warning);
  ASSERT_NE(at, std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("table few", at + warning.size()), std::string::npos) << run.output;
  const std::string line = run.output.substr(at, run.output.find('\n', at) - at);
  // Tried before 0002 and, once 0004 redefined it, before 0005; not before
  // 0003 and 0004, where it was held at its 3 rows.
  EXPECT_NE(line.find("(and again before 1 later migration)"), std::string::npos) << line;
}

TEST_F(ProfileCliTest, BadInputIsExitTwoNamingWhere) {
  const fs::path sizes = dir_ / "sizes.csv", baseline = dir_ / "baseline.json";
  std::ofstream(sizes) << "relname,reltuples\nevents;12\n";
  CommandRun run = RunCommandLine(Profile("--rows-file " + sizes.string()));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find(sizes.string() + ":2"), std::string::npos) << run.output;

  std::ofstream(baseline) << R"({"verdict": "pass"})";
  run = RunCommandLine(Profile("--timings-baseline " + baseline.string()));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("\"format\""), std::string::npos) << run.output;

  run = RunCommandLine(std::string(REHEARSE_BINARY) + " profile --rows 10");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  run = RunCommandLine(Profile("--max-lock soon"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  run = RunCommandLine(Profile("--unit prefix:0"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(
      run.output.find("--unit: 'prefix:0' is not version, prefix:N (1 <= N <= 40) or pending"),
      std::string::npos)
      << run.output;
  run = RunCommandLine(Profile("--unit pending"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--unit pending needs --baseline"), std::string::npos) << run.output;
  run = RunCommandLine(Profile("--baseline " + (dir_ / "nowhere").string()));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--baseline: no folder at"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace rehearse
