// Migrations under test are untrusted code (issue 14): on PostgreSQL they run
// as the database owner without superuser, so what would reach outside their
// database — a shell, the server's files, its configuration, another
// cluster — fails as their own failure (a failed check, not an
// infrastructure error), and only "privileged": true gets the superuser, in
// the report for everyone to see.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/engine/postgres_cluster.h"
#include "harness/runner/gate.h"
#include "harness/runner/gate_report.h"

namespace rehearse {
namespace {

class UntrustedMigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) /
            ("rehearse-untrusted-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    // A first migration every case builds on: a table, filled by the gate.
    Write("m/0001_people/up.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);\n");
    Write("m/0001_people/down.sql", "DROP TABLE people;\n");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void Write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  // 0002_<name>: `up` on PostgreSQL, a harmless down.
  void WriteSecond(const std::string& name, const std::string& up, const std::string& json = "") {
    const std::string dir = "m/0002_" + name;
    Write(dir + "/up.postgres.sql", up);
    Write(dir + "/down.postgres.sql", "SELECT 1;\n");
    if (!json.empty()) Write(dir + "/migration.json", json);
  }

  // The gate on PostgreSQL over m/; fails the test on a non-OK Status (an
  // infrastructure failure is not how a hostile migration may show up).
  ScenarioRun GatePostgres() {
    Scenario s;
    s.name = "untrusted";
    s.migrations_dir = (root_ / "m").string();
    s.fill = Scenario::Fill::kSchema;
    s.include_first = true;
    GateOptions options;
    options.scenarios = {s};
    options.backends = {Dialect::kPostgres};
    GateResult result;
    Status st = RunGate(options, &result);
    EXPECT_TRUE(st.ok()) << st.ToString();
    summary_ = RenderGateSummary(result);
    if (result.runs.size() != 1) {
      ADD_FAILURE() << summary_;
      return {};
    }
    return result.runs.front();
  }

  static const CheckResult* Find(const ScenarioRun& run, const std::string& migration,
                                 const std::string& check) {
    for (const MigrationOutcome& o : run.outcomes)
      if (o.migration == migration)
        for (const CheckResult& c : o.checks)
          if (c.name == check) return &c;
    return nullptr;
  }

  // The migration's up failed with a permission error: forward_applies
  // failed (and the dry run before it), and the migration before it did not.
  void ExpectRefused(const ScenarioRun& run, const std::string& migration,
                     const std::string& sqlstate) {
    EXPECT_FALSE(run.passed) << summary_;
    const CheckResult* applies = Find(run, migration, "forward_applies");
    ASSERT_NE(applies, nullptr) << summary_;
    EXPECT_EQ(applies->status, CheckStatus::kFail) << summary_;
    EXPECT_NE(applies->detail.find("SQLSTATE " + sqlstate), std::string::npos) << applies->detail;
    // Failed too, or skipped for a migration outside a transaction.
    const CheckResult* dry = Find(run, migration, "dry_run_unchanged");
    ASSERT_NE(dry, nullptr);
    EXPECT_NE(dry->status, CheckStatus::kPass) << dry->detail;
    const CheckResult* first = Find(run, "0001_people", "forward_applies");
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->status, CheckStatus::kPass);
    EXPECT_EQ(Find(run, migration, "privileged"), nullptr);
  }

  std::string Marker(const std::string& name) const {
    return (std::filesystem::path(::testing::TempDir()) /
            ("rehearse-untrusted-" + std::to_string(getpid()) + "-" + name))
        .string();
  }

  std::filesystem::path root_;
  std::string summary_;
};

TEST_F(UntrustedMigrationTest, CopyToProgramFailsAsAPermissionErrorAndRunsNothing) {
  const std::string marker = Marker("copy-to-program");
  std::filesystem::remove(marker);
  WriteSecond("shell", "COPY (SELECT 1) TO PROGRAM 'touch " + marker + "';\n");
  ExpectRefused(GatePostgres(), "0002_shell", "42501");
  EXPECT_FALSE(std::filesystem::exists(marker)) << marker;
}

TEST_F(UntrustedMigrationTest, ServerFilesAndSettingsAreOutOfReach) {
  const std::string marker = Marker("lo-export");
  std::filesystem::remove(marker);
  WriteSecond("read_file", "SELECT pg_read_file('postgresql.conf');\n");
  ExpectRefused(GatePostgres(), "0002_read_file", "42501");

  std::filesystem::remove_all(root_ / "m/0002_read_file");
  WriteSecond("lo_export", "SELECT lo_export(lo_from_bytea(0, 'x'), '" + marker + "');\n");
  ExpectRefused(GatePostgres(), "0002_lo_export", "42501");
  EXPECT_FALSE(std::filesystem::exists(marker)) << marker;

  // ALTER SYSTEM refuses any transaction block before it checks privileges.
  std::filesystem::remove_all(root_ / "m/0002_lo_export");
  WriteSecond("alter_system", "ALTER SYSTEM SET work_mem = '1MB';\n", R"({"transaction": false})");
  ExpectRefused(GatePostgres(), "0002_alter_system", "42501");
}

// A sibling cluster — another run's, on this machine, as the same OS user —
// is out of reach: not through dblink without superuser (an untrusted
// extension), and not even with it, as a privileged migration, without the
// sibling's password.
TEST_F(UntrustedMigrationTest, ASiblingClustersSocketIsOutOfReach) {
  std::unique_ptr<PostgresCluster> sibling;
  Status booted = PostgresCluster::Boot({}, &sibling);
  ASSERT_TRUE(booted.ok()) << booted.ToString();
  const std::string connect = "SELECT dblink_connect('host=" + sibling->socket_dir() +
                              " port=5432 user=rehearse dbname=postgres');\n";
  WriteSecond("sibling", "CREATE EXTENSION dblink;\n" + connect);
  ExpectRefused(GatePostgres(), "0002_sibling", "42501");

  std::filesystem::remove_all(root_ / "m/0002_sibling");
  WriteSecond("privileged_sibling", "CREATE EXTENSION dblink;\n" + connect,
              R"({"privileged": true})");
  const ScenarioRun run = GatePostgres();
  EXPECT_FALSE(run.passed) << summary_;
  const CheckResult* applies = Find(run, "0002_privileged_sibling", "forward_applies");
  ASSERT_NE(applies, nullptr) << summary_;
  EXPECT_EQ(applies->status, CheckStatus::kFail);
  EXPECT_NE(applies->detail.find("password"), std::string::npos) << applies->detail;
}

TEST_F(UntrustedMigrationTest, TrustedExtensionsInstallWithoutPrivilege) {
  WriteSecond("extensions",
              "CREATE EXTENSION pgcrypto;\nCREATE EXTENSION citext;\nCREATE EXTENSION pg_trgm;\n"
              "CREATE EXTENSION hstore;\nCREATE EXTENSION ltree;\n"
              "CREATE EXTENSION \"uuid-ossp\";\n"
              "CREATE TABLE tokens (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "
              "email citext, path ltree, attrs hstore);\n");
  Write("m/0002_extensions/down.postgres.sql",
        "DROP TABLE tokens;\nDROP EXTENSION \"uuid-ossp\";\nDROP EXTENSION ltree;\n"
        "DROP EXTENSION hstore;\nDROP EXTENSION pg_trgm;\nDROP EXTENSION citext;\n"
        "DROP EXTENSION pgcrypto;\n");
  const ScenarioRun run = GatePostgres();
  EXPECT_TRUE(run.passed) << summary_;
  EXPECT_EQ(Find(run, "0002_extensions", "privileged"), nullptr);
}

TEST_F(UntrustedMigrationTest, APrivilegedMigrationRunsAsTheSuperuserAndTheReportSaysSo) {
  WriteSecond("untrusted_extension",
              "CREATE EXTENSION dblink;\n"
              "CREATE TABLE settings AS SELECT rolsuper AS superuser FROM pg_roles "
              "WHERE rolname = current_user;\n",
              R"({"privileged": true, "description": "dblink is not a trusted extension"})");
  Write("m/0002_untrusted_extension/down.postgres.sql",
        "DROP TABLE settings;\nDROP EXTENSION dblink;\n");
  const ScenarioRun run = GatePostgres();
  EXPECT_TRUE(run.passed) << summary_;
  const CheckResult* privileged = Find(run, "0002_untrusted_extension", "privileged");
  ASSERT_NE(privileged, nullptr) << summary_;
  EXPECT_EQ(privileged->status, CheckStatus::kWarn);
  EXPECT_NE(summary_.find("privileged"), std::string::npos) << summary_;
  EXPECT_EQ(Find(run, "0001_people", "privileged"), nullptr);
}

}  // namespace
}  // namespace rehearse
