// `rehearse fixture` on the built binary: the digest is a function of the
// seed across processes, --out writes a database that reproduces it, and bad
// flags or a missing server map to the documented exit codes.
#include "harness/cli/command_run_test_util.h"
#include "harness/common/remove_tree.h"
#include "harness/db/throwaway_databases.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/subprocess.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

using rehearse::CommandRun;

CommandRun Rehearse(const std::string& args, const std::string& env = "") {
  return rehearse::RunCommandLine(env + " " REHEARSE_BINARY " " + args);
}

std::string LastLine(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  return t.substr(t.rfind('\n') + 1);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class FixtureCommandTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rehearse-fixture-cli-" + std::to_string(getpid()) + "-" + GetParam());
    rehearse::RemoveTree(dir_);
    fs::create_directories(dir_ / "tmp");
  }
  void TearDown() override { EXPECT_TRUE(rehearse::RemoveTree(dir_)) << dir_; }

  // The digest line of `rehearse fixture` at `seed`; fails the test if the
  // command fails or the last line is not a digest.
  std::string Digest(int seed, const std::string& extra = "") {
    CommandRun r = Rehearse("fixture --backend " + GetParam() + " --seed " + std::to_string(seed) +
                            " --scale 1 --digest " + extra);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    const std::string last = LastLine(r.output);
    EXPECT_EQ(last.rfind("digest ", 0), 0u) << r.output;
    EXPECT_EQ(last.size(), 7u + 32u) << last;
    return last;
  }

  fs::path dir_;
};

TEST_P(FixtureCommandTest, SameSeedGivesTheSameDigestInTwoProcessesAndAnotherSeedDoesNot) {
  const std::string first = Digest(11);
  EXPECT_EQ(Digest(11), first);
  EXPECT_NE(Digest(12), first);
}

TEST_P(FixtureCommandTest, OutWritesADatabaseThatReproducesTheFixture) {
  const fs::path a = dir_ / ("a." + GetParam()), b = dir_ / ("b." + GetParam());
  const std::string digest = Digest(21, "--out " + a.string());
  Digest(21, "--out " + b.string());
  ASSERT_TRUE(fs::exists(a));
  // Byte for byte: a bug report's attachment is the same for the same seed.
  EXPECT_EQ(ReadFile(a), ReadFile(b));
  if (GetParam() == "sqlite") {
    CommandRun r = Rehearse("snapshot --backend sqlite --database " + a.string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(LastLine(r.output), digest);
  } else {
    const std::string dump = ReadFile(a);
    EXPECT_NE(dump.find("COPY public.workspaces"), std::string::npos);
    EXPECT_EQ(dump.find("\\restrict"), std::string::npos);
    // Loaded with psql into an empty database of a throwaway server, the
    // dump is the fixture again: the same digest.
    rehearse::ThrowawayDatabases dbs;
    std::unique_ptr<rehearse::Database> db;
    std::string conninfo;
    ASSERT_TRUE(dbs.Create(rehearse::Dialect::kPostgres, &db, &conninfo).ok());
    db.reset();
    rehearse::PostgresInstallation pg;
    ASSERT_TRUE(rehearse::PostgresInstallation::Find("", &pg).ok());
    rehearse::SubprocessOptions o;
    o.argv = {pg.Program("psql"), "-X", "-q",      "-v", "ON_ERROR_STOP=1", "-d",
              conninfo,           "-f", a.string()};
    rehearse::SubprocessResult loaded;
    ASSERT_TRUE(rehearse::RunToCompletion(o, &loaded).ok());
    ASSERT_TRUE(loaded.succeeded()) << loaded.exit_code;
    CommandRun r = Rehearse("snapshot --backend postgres --database \"" + conninfo + "\"");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(LastLine(r.output), digest);
  }
}

TEST_P(FixtureCommandTest, CoverageReportHasEveryCaseAtScaleOne) {
  CommandRun r = Rehearse("fixture --backend " + GetParam() + " --seed 3 --scale 1 --coverage");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::istringstream lines(r.output);
  std::string line, present;
  while (std::getline(lines, line))
    if (line.find("cases present") != std::string::npos) present = line;
  int have = -1, total = -2;
  ASSERT_EQ(std::sscanf(present.c_str(), "%d of %d", &have, &total), 2) << r.output;
  EXPECT_EQ(have, total) << r.output;
  EXPECT_GT(total, 40);
  EXPECT_EQ(r.output.find("missing:"), std::string::npos) << r.output;

  // Below scale 1 nothing is promised: the report names what is absent and
  // the command still succeeds.
  CommandRun empty = Rehearse("fixture --backend " + GetParam() + " --seed 3 --scale 0 --coverage");
  ASSERT_EQ(empty.exit_code, 0) << empty.output;
  EXPECT_NE(empty.output.find("missing: "), std::string::npos) << empty.output;
  EXPECT_NE(empty.output.find("reminder_in_both"), std::string::npos) << empty.output;
}

TEST_P(FixtureCommandTest, BadFlagsExitTwoNamingTheFlagAndTouchNothing) {
  const std::string tmp = "TMPDIR=" + (dir_ / "tmp").string();
  for (const std::string& flags :
       {std::string("--scale -1"), std::string("--seed ten"), std::string("--profile odd"),
        std::string("--out /nonexistent/dir/x"), std::string("--colour")}) {
    CommandRun r = Rehearse("fixture --backend " + GetParam() + " " + flags, tmp);
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.output;
    const std::string flag = flags.substr(0, flags.find(' '));
    EXPECT_NE(r.output.find(flag), std::string::npos) << r.output;
  }
  CommandRun r = Rehearse("fixture --backend mysql", tmp);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--backend"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

INSTANTIATE_TEST_SUITE_P(BothEngines, FixtureCommandTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(FixtureCommandInfrastructureTest, ServerThatCannotStartExitsThree) {
  CommandRun r = Rehearse("fixture --backend postgres --seed 1 --scale 1",
                          "REHEARSE_PG_BINDIR=/nonexistent/bin");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("/nonexistent/bin"), std::string::npos) << r.output;
}

}  // namespace
