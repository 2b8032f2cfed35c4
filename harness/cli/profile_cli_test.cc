// `rehearse profile` end to end through the binary: exit codes (1 on a
// finding, 0 with --warn-only, 2 on bad input before anything boots), the
// JSON and JUnit reports naming the finding, --timings feeding
// --timings-baseline, and --rollback-log.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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
  EXPECT_NE(run.output.find("--unit: 'prefix:0' is not version or prefix:N"), std::string::npos)
      << run.output;
  run = RunCommandLine(Profile("--unit pending"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("needs a baseline"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace rehearse
