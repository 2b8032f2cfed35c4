// The CLI contract, exercised on the built `rehearse` binary: exit codes,
// errors that name the offending path, and bad input that touches nothing.
#include "harness/common/remove_tree.h"
#include "harness/db/database.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

struct CommandRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandRun Rehearse(const std::string& args, const std::string& env = "") {
  std::string cmd = env + " " REHEARSE_BINARY " " + args + " 2>&1";
  CommandRun r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rehearse-cli-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    rehearse::RemoveTree(dir_);
    std::filesystem::create_directories(dir_ / "tmp");
  }
  void TearDown() override { EXPECT_TRUE(rehearse::RemoveTree(dir_)) << dir_; }

  void Write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << text;
  }
  // TMPDIR pointed at an empty folder: after a bad-input run it must still be
  // empty (no server booted, no database file made).
  std::string PrivateTmp() const { return "TMPDIR=" + (dir_ / "tmp").string(); }
  bool NothingTouched() const { return std::filesystem::is_empty(dir_ / "tmp"); }

  std::filesystem::path dir_;
};

TEST_F(CliTest, MissingMigrationsFolderIsBadInputNamingIt) {
  CommandRun r = Rehearse("gate --migrations /nonexistent/folder", PrivateTmp());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("/nonexistent/folder"), std::string::npos) << r.output;
  EXPECT_TRUE(NothingTouched());
}

TEST_F(CliTest, UpWithoutDownIsBadInputNamingTheFolder) {
  Write("m/0001_a/up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);");
  CommandRun r = Rehearse("gate --migrations " + (dir_ / "m").string(), PrivateTmp());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("0001_a"), std::string::npos) << r.output;
  EXPECT_TRUE(NothingTouched());
}

TEST_F(CliTest, VersionGapIsBadInput) {
  Write("m/0001_a/up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);");
  Write("m/0001_a/down.sql", "DROP TABLE a;");
  Write("m/0003_c/up.sql", "CREATE TABLE c (id INTEGER PRIMARY KEY);");
  Write("m/0003_c/down.sql", "DROP TABLE c;");
  CommandRun r = Rehearse("gate --migrations " + (dir_ / "m").string(), PrivateTmp());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(NothingTouched());
}

TEST_F(CliTest, MalformedMigrationJsonIsBadInputNamingTheFile) {
  Write("m/0001_a/up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);");
  Write("m/0001_a/down.sql", "DROP TABLE a;");
  Write("m/0001_a/migration.json", "{\"description\": ");
  CommandRun r = Rehearse("gate --migrations " + (dir_ / "m").string(), PrivateTmp());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("migration.json"), std::string::npos) << r.output;
  EXPECT_TRUE(NothingTouched());
}

TEST_F(CliTest, UnknownFlagIsUsageError) {
  CommandRun r = Rehearse("gate --bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--bogus"), std::string::npos);
}

TEST_F(CliTest, BrokenRollbackExitsOneAndCorrectMigrationsExitZero) {
  Write("m/0001_a/up.sql",
        "CREATE TABLE a (id INTEGER PRIMARY KEY, s TEXT); INSERT INTO a VALUES (1, ' X ');");
  Write("m/0001_a/down.sql", "DROP TABLE a;");
  Write("m/0002_b/up.sql", "UPDATE a SET s = trim(s);");
  Write("m/0002_b/down.sql", "SELECT 1;");
  std::string json = (dir_ / "report.json").string();
  CommandRun bad = Rehearse("gate --backend sqlite --migrations " + (dir_ / "m").string() +
                            " --report-json " + json);
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("row changed: a key id=1 column s: ' X ' -> 'X'"), std::string::npos)
      << bad.output;
  std::ifstream in(json);
  std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(report.find("\"verdict\": \"fail\""), std::string::npos) << report;

  Write("m/0002_b/down.sql", "UPDATE a SET s = ' X ' WHERE id = 1;");
  CommandRun good = Rehearse("gate --backend sqlite --migrations " + (dir_ / "m").string());
  EXPECT_EQ(good.exit_code, 0) << good.output;
}

TEST_F(CliTest, MissingPostgresServerIsInfrastructureFailure) {
  Write("m/0001_a/up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);");
  Write("m/0001_a/down.sql", "DROP TABLE a;");
  CommandRun r = Rehearse("gate --backend postgres --migrations " + (dir_ / "m").string(),
                          "REHEARSE_PG_BINDIR=/nonexistent/bin " + PrivateTmp());
  EXPECT_EQ(r.exit_code, 3) << r.output;
}

// A migration whose own SQL fails is the migration's fault (forward_applies),
// not the infrastructure's: exit 1, and the migration is not applied.
TEST_F(CliTest, MigrateWithAFailingStatementExitsOneNotThree) {
  Write("m/0001_a/up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);");
  Write("m/0001_a/down.sql", "DROP TABLE a;");
  Write("m/0002_b/up.sql", "INSERT INTO a VALUES (1);\nINSERT INTO missing VALUES (1);");
  Write("m/0002_b/down.sql", "DELETE FROM a;");
  Write("prod.db", "");  // an empty file is an empty SQLite database
  const std::string db = (dir_ / "prod.db").string();
  const std::string args = " --migrations " + (dir_ / "m").string() + " --database " + db;
  for (const char* action : {"--dry-run", "--apply"}) {
    CommandRun r = Rehearse(std::string("migrate 0002 ") + action + args);
    EXPECT_EQ(r.exit_code, 1) << action << "\n" << r.output;
    EXPECT_NE(r.output.find("forward_applies failed"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("0002_b/up.sql:2"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("missing"), std::string::npos) << r.output;
  }
  // 0001 committed before 0002 failed; 0002's first statement was undone.
  std::unique_ptr<rehearse::Database> sqlite;
  ASSERT_TRUE(rehearse::OpenSqlite(db, &sqlite).ok());
  rehearse::ResultSet rows;
  ASSERT_TRUE(sqlite->Execute("SELECT count(*) FROM a", {}, &rows).ok());
  EXPECT_EQ(rows.rows[0][0].ToText(), "0");
  ASSERT_TRUE(sqlite->Execute("SELECT version FROM schema_migrations", {}, &rows).ok());
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(rows.rows[0][0].ToText(), "0001");
}

}  // namespace

// The project's own gate: every invariant of DESIGN.md has a negative
// scenario in scenarios/, and the gate shows each one caught on every engine
// it runs on, while the four production migrations pass with every domain
// invariant actually judged (not skipped).
TEST_F(CliTest, ProjectGateCatchesEveryInvariantAndPassesTheRealMigrations) {
  const std::string report = (dir_ / "gate.json").string();
  CommandRun r = Rehearse("gate --report-json " + report, "REHEARSE_ROOT=" REHEARSE_SOURCE_ROOT);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(report);
  const nlohmann::json doc = nlohmann::json::parse(in);
  EXPECT_EQ(doc["verdict"], "pass");

  const std::vector<std::string> invariants = {"forward_applies",
                                               "rollback_applies",
                                               "rollback_identical",
                                               "reapply_identical",
                                               "upgrade_matches_fresh",
                                               "dry_run_unchanged",
                                               "idempotent_rerun",
                                               "applied_unchanged",
                                               "dialect_parity",
                                               "no_retro_inserted_steps",
                                               "current_step_remapped",
                                               "paused_not_resumed",
                                               "completed_tasks_untouched",
                                               "pending_tasks_rerendered",
                                               "no_overdue_flood",
                                               "one_front_desk_per_org",
                                               "no_thread_without_number",
                                               "number_class_from_assigned_number",
                                               "no_synthetic_timeout_events",
                                               "timeout_transitions_schedule_followup",
                                               "timezone_column_on_existing_tables",
                                               "no_duplicate_timer_recovery"};
  std::map<std::string, int> caught;  // invariant -> runs that showed it failing as expected
  std::map<std::string, std::string> judged_on_real;  // domain check -> status on the real chain
  for (const auto& run : doc["scenarios"]) {
    EXPECT_TRUE(run["passed"].get<bool>()) << run["scenario"] << ": " << run["verdict"];
    const std::string expect = run["expect"];
    if (expect.rfind("fail ", 0) == 0 && run["passed"].get<bool>())
      ++caught[expect.substr(5, expect.find(' ', 5) - 5)];
    if (run["scenario"] == "project_migrations")
      for (const auto& m : run["migrations"])
        for (const auto& c : m["checks"]) judged_on_real[c["name"]] = c["status"];
  }
  for (const std::string& name : invariants) {
    EXPECT_GE(caught[name], 1) << name << " has no negative scenario the gate catches";
    EXPECT_EQ(judged_on_real.count(name) ? judged_on_real[name] : "pass", "pass") << name;
  }
  for (size_t i = 9; i < invariants.size(); ++i)  // the domain ones run on the real chain
    EXPECT_TRUE(judged_on_real.count(invariants[i])) << invariants[i] << " never ran";
}

// The four production migrations rehearsed at two more seeds (other data,
// other edge cases drawn) on both engines: forward, exact rollback,
// idempotent rerun, dry run, fresh install and every domain invariant.
TEST_F(CliTest, ProjectMigrationsPassAtOtherSeeds) {
  for (const char* seed : {"7", "20260308"}) {
    CommandRun r = Rehearse(std::string("gate --scenario project_migrations --seed ") + seed,
                            "REHEARSE_ROOT=" REHEARSE_SOURCE_ROOT);
    EXPECT_EQ(r.exit_code, 0) << "seed " << seed << "\n" << r.output;
    EXPECT_NE(r.output.find("scenarios: 2 passed, 0 failed"), std::string::npos) << r.output;
  }
}
