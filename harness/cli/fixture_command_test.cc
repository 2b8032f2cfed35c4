// `rehearse fixture` on the built binary: the digest is a function of the
// seed across processes, the logical digest is the same on both engines,
// --out writes a database that reproduces it, a folder of another project's
// migrations is filled by the schema-driven filler, and bad flags, bad SQL
// or a missing server map to the documented exit codes.
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
#include <set>
#include <sstream>
#include <vector>

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

  // A folder of another project's migrations: two tables the filler can
  // fill (a foreign key, a unique key, a CHECK) and one it cannot.
  fs::path ForeignMigrations(const std::string& up_sql) {
    const fs::path m = dir_ / "foreign" / "0001_init";
    fs::create_directories(m);
    std::ofstream(m / "up.sql") << up_sql;
    std::ofstream(m / "down.sql")
        << "DROP TABLE impossible;\nDROP TABLE child;\nDROP TABLE parent;\n";
    return dir_ / "foreign";
  }

  fs::path dir_;
};

// The lines of `text` that start with `prefix`.
std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  return out;
}

// Reads --coverage's "N of M cases present" line.
bool CasesPresent(const std::string& output, int* have, int* total) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (line.find("cases present") != std::string::npos)
      return std::sscanf(line.c_str(), "%d of %d", have, total) == 2;
  return false;
}

constexpr const char* kForeignSchema =
    "CREATE TABLE parent (id integer PRIMARY KEY, name text NOT NULL UNIQUE);\n"
    "CREATE TABLE child (id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES "
    "parent(id), qty integer CHECK (qty > 0), note text);\n"
    "CREATE TABLE impossible (id integer PRIMARY KEY, x integer NOT NULL CHECK (x > 5 AND x < "
    "3));\n";

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
  int have = -1, total = -2;
  ASSERT_TRUE(CasesPresent(r.output, &have, &total)) << r.output;
  EXPECT_EQ(have, total) << r.output;
  EXPECT_GT(total, 40);
  EXPECT_EQ(r.output.find("missing:"), std::string::npos) << r.output;

  // Below scale 1 nothing is promised: the report names what is absent and
  // the command still succeeds.
  CommandRun empty = Rehearse("fixture --backend " + GetParam() + " --seed 3 --scale 0 --coverage");
  ASSERT_EQ(empty.exit_code, 0) << empty.output;
  EXPECT_NE(empty.output.find("missing: "), std::string::npos) << empty.output;
  EXPECT_NE(empty.output.find("reminder_in_both"), std::string::npos) << empty.output;

  // The plain profile promises every case but the hostile ones, and the
  // count says so.
  CommandRun plain = Rehearse("fixture --backend " + GetParam() +
                              " --seed 3 --scale 1 --profile plain --coverage");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  int plain_have = -1, plain_total = -2;
  ASSERT_TRUE(CasesPresent(plain.output, &plain_have, &plain_total)) << plain.output;
  EXPECT_EQ(plain_have, plain_total) << plain.output;
  EXPECT_LT(plain_total, total) << plain.output;
  EXPECT_NE(plain.output.find("not made with profile plain"), std::string::npos) << plain.output;
}

TEST_P(FixtureCommandTest, ForeignMigrationsAreFilledByTheSchemaDrivenFiller) {
  const fs::path foreign = ForeignMigrations(kForeignSchema);
  const std::string args = "fixture --backend " + GetParam() + " --seed 4 --scale 2 --digest " +
                           "--migrations " + foreign.string();
  CommandRun r = Rehearse(args);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("schema-driven"), std::string::npos) << r.output;
  // kSchemaFillRowsPerScale (100) rows per table per unit of scale.
  EXPECT_EQ(LinesStartingWith(r.output, "parent ").size(), 1u) << r.output;
  EXPECT_NE(r.output.find(" 200\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("total                                     400"), std::string::npos)
      << r.output;
  // The table it cannot fill is a warning naming the table and the CHECK.
  const std::vector<std::string> warnings = LinesStartingWith(r.output, "warning: ");
  ASSERT_EQ(warnings.size(), 1u) << r.output;
  EXPECT_NE(warnings[0].find("table impossible: CHECK"), std::string::npos) << warnings[0];
  EXPECT_EQ(LastLine(Rehearse(args).output), LastLine(r.output));  // deterministic
}

TEST_P(FixtureCommandTest, ForeignMigrationsRefuseDomainFlagsAndBadSqlIsBadInput) {
  const std::string tmp = "TMPDIR=" + (dir_ / "tmp").string();
  const fs::path foreign = ForeignMigrations(kForeignSchema);
  for (const std::string flag : {"--coverage", "--profile hostile"}) {
    CommandRun r = Rehearse(
        "fixture --backend " + GetParam() + " --migrations " + foreign.string() + " " + flag, tmp);
    EXPECT_EQ(r.exit_code, 2) << flag << "\n" << r.output;
    EXPECT_NE(r.output.find(flag.substr(0, flag.find(' '))), std::string::npos) << r.output;
  }
  // A migration that does not apply is the folder's fault: exit 2 naming the
  // file and the statement's line.
  ForeignMigrations("CREATE TABLE parent (id integer PRIMARY KEY);\nCREATE TABLE (;\n");
  CommandRun r =
      Rehearse("fixture --backend " + GetParam() + " --migrations " + foreign.string(), tmp);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("0001_init/up.sql:2"), std::string::npos) << r.output;
  // A folder without migrations is refused before any server is needed.
  fs::create_directories(dir_ / "none");
  CommandRun none =
      Rehearse("fixture --backend " + GetParam() + " --migrations " + (dir_ / "none").string(),
               tmp + " REHEARSE_PG_BINDIR=/nonexistent/bin");
  EXPECT_EQ(none.exit_code, 2) << none.output;
  EXPECT_NE(none.output.find("no migration layout matches"), std::string::npos) << none.output;
  // Its throwaway database is gone: only the run directories' shared root
  // (run_directory.h) stays, empty.
  for (const fs::directory_entry& e : fs::directory_iterator(dir_ / "tmp")) {
    EXPECT_EQ(e.path().filename().string().rfind("rehearse-", 0), 0u) << e.path();
    EXPECT_TRUE(fs::is_empty(e.path())) << e.path();
  }
}

TEST_P(FixtureCommandTest, BadFlagsExitTwoNamingTheFlagAndTouchNothing) {
  const std::string tmp = "TMPDIR=" + (dir_ / "tmp").string();
  for (const std::string& flags :
       {std::string("--scale -1"), std::string("--seed ten"), std::string("--profile odd"),
        std::string("--out /nonexistent/dir/x"), std::string("--out /proc/rehearse.db"),
        std::string("--colour")}) {
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

// The proof of dialect parity from the command line: the same seed and
// profile give the same logical digest on SQLite and PostgreSQL, while the
// snapshot digests (engine-specific types and spellings) differ.
TEST(FixtureCommandParityTest, LogicalDigestIsTheSameOnBothEngines) {
  std::set<std::string> per_profile;
  for (const std::string profile : {"default", "hostile"}) {
    std::vector<std::string> logical, snapshot;
    for (const std::string backend : {"sqlite", "postgres"}) {
      CommandRun r = Rehearse("fixture --backend " + backend + " --seed 9 --scale 2 --profile " +
                              profile + " --digest");
      ASSERT_EQ(r.exit_code, 0) << r.output;
      const std::vector<std::string> l = LinesStartingWith(r.output, "logical digest ");
      ASSERT_EQ(l.size(), 1u) << r.output;
      logical.push_back(l[0]);
      snapshot.push_back(LastLine(r.output));
    }
    EXPECT_EQ(logical[0], logical[1]) << profile;
    EXPECT_NE(snapshot[0], snapshot[1]) << profile;
    per_profile.insert(logical[0]);
  }
  EXPECT_EQ(per_profile.size(), 2u) << "the logical digest must follow the data";
}

TEST(FixtureCommandInfrastructureTest, ServerThatCannotStartExitsThree) {
  CommandRun r = Rehearse("fixture --backend postgres --seed 1 --scale 1",
                          "REHEARSE_PG_BINDIR=/nonexistent/bin");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("/nonexistent/bin"), std::string::npos) << r.output;
}

}  // namespace
