// The chain goes the whole way (issues 13 and 18): a lossy down fails its own
// checks and not the next migration's; idempotent_rerun counts only what ran
// again; rows a migration inserted with a volatile default are a warning; a
// migration that never ends is stopped; every report names the engine.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/runner/gate.h"
#include "harness/runner/gate_report.h"

namespace rehearse {
namespace {

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) /
            ("rehearse-chain-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void Write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }

  // The folder as `rehearse gate --migrations` runs it: schema-filled at
  // every N-1, both engines unless `backends` says otherwise.
  GateResult Gate(std::vector<Dialect> backends = {Dialect::kSqlite, Dialect::kPostgres},
                  std::chrono::milliseconds time_limit = std::chrono::minutes(10)) {
    Scenario s;
    s.name = "chain";
    s.migrations_dir = root_.string();
    s.fill = Scenario::Fill::kSchema;
    s.include_first = true;
    GateOptions options;
    options.scenarios = {s};
    options.backends = backends;
    options.time_limit = time_limit;
    GateResult result;
    Status st = RunGate(options, &result);
    EXPECT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(result.runs.size(), backends.size()) << RenderGateSummary(result);
    return result;
  }

  static const MigrationOutcome* Outcome(const ScenarioRun& run, const std::string& migration) {
    for (const MigrationOutcome& o : run.outcomes)
      if (o.migration == migration) return &o;
    return nullptr;
  }
  static CheckResult Check(const ScenarioRun& run, const std::string& migration,
                           const std::string& check) {
    if (const MigrationOutcome* o = Outcome(run, migration))
      for (const CheckResult& c : o->checks)
        if (c.name == check) return c;
    return CheckResult::Fail(check, "(no such check on " + migration + ")");
  }

  std::filesystem::path root_;
};

// Issue 18, 1: 0002's down leaves u behind. It fails its own rollback and
// reapply checks; 0003 starts from the state right after 0002's first up.
TEST_F(ChainTest, ALossyDownFailsItsOwnChecksAndNotTheNextMigrations) {
  Write("0001_t/up.sql", "CREATE TABLE t (id integer primary key, v text);\n");
  Write("0001_t/down.sql", "DROP TABLE t;\n");
  Write("0002_u/up.sql", "CREATE TABLE u (id integer primary key);\n");
  Write("0002_u/down.sql", "-- irreversible\n");
  Write("0003_c/up.sql", "ALTER TABLE t ADD COLUMN w integer;\n");
  Write("0003_c/down.sql", "ALTER TABLE t DROP COLUMN w;\n");
  const GateResult result = Gate();
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    EXPECT_EQ(Check(run, "0002_u", "rollback_identical").status, CheckStatus::kFail);
    EXPECT_EQ(Check(run, "0002_u", "reapply_identical").status, CheckStatus::kFail);
    const MigrationOutcome* c = Outcome(run, "0003_c");
    ASSERT_NE(c, nullptr);
    for (const CheckResult& check : c->checks) {
      EXPECT_NE(check.status, CheckStatus::kFail) << check.name << ": " << check.detail;
      EXPECT_NE(check.status, CheckStatus::kSkip) << check.name << ": " << check.detail;
    }
    // Nothing else failed: only 0002's two checks.
    size_t failed = 0;
    for (const MigrationOutcome& o : run.outcomes)
      for (const CheckResult& check : o.checks) failed += check.failed();
    EXPECT_EQ(failed, 2u) << RenderGateSummary(result);
  }
}

// Issue 13, 4: a PostgreSQL-only migration before the target is skipped on
// SQLite, by the first run and the second alike: nothing ran again.
TEST_F(ChainTest, IdempotentRerunCountsOnlyMigrationsThatRanAgain) {
  Write("0001_a/up.sql", "CREATE TABLE a (id integer primary key);\n");
  Write("0001_a/down.sql", "DROP TABLE a;\n");
  Write("0002_b/up.postgres.sql", "CREATE TABLE b (id integer primary key);\n");
  Write("0002_b/down.postgres.sql", "DROP TABLE b;\n");
  Write("0003_c/up.sql", "CREATE TABLE c (id integer primary key);\n");
  Write("0003_c/down.sql", "DROP TABLE c;\n");
  const GateResult result = Gate();
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    const CheckResult c = Check(run, "0003_c", "idempotent_rerun");
    EXPECT_EQ(c.status, CheckStatus::kPass) << c.detail;
    // Table b is PostgreSQL's alone, which dialect_parity rightly names;
    // nothing else fails.
    for (const MigrationOutcome& o : run.outcomes) {
      for (const CheckResult& check : o.checks) {
        if (check.name != "dialect_parity") {
          EXPECT_NE(check.status, CheckStatus::kFail) << o.migration << " " << check.name;
        }
      }
    }
  }
}

// Issue 13, 3: the correct case. An up inserts a row whose columns take a
// volatile default; up again after the down writes new values there.
TEST_F(ChainTest, ARowInsertedWithAVolatileDefaultIsAWarningNotAFailure) {
  Write("0001_events/up.postgres.sql",
        "CREATE TABLE events (id serial primary key, name text,"
        " created_at timestamptz NOT NULL DEFAULT now(), token uuid DEFAULT gen_random_uuid());\n");
  Write("0001_events/down.postgres.sql", "DROP TABLE events;\n");
  Write(
      "0001_events/up.sqlite.sql",
      "CREATE TABLE events (id integer primary key, name text,"
      " created_at text NOT NULL DEFAULT CURRENT_TIMESTAMP, token integer DEFAULT (random()));\n");
  Write("0001_events/down.sqlite.sql", "DROP TABLE events;\n");
  Write("0002_first_event/up.sql", "INSERT INTO events (name) VALUES ('installed');\n");
  Write("0002_first_event/down.sql", "DELETE FROM events WHERE name = 'installed';\n");
  const GateResult result = Gate();
  EXPECT_TRUE(result.passed()) << RenderGateSummary(result);
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    const CheckResult c = Check(run, "0002_first_event", "reapply_identical");
    EXPECT_EQ(c.status, CheckStatus::kWarn) << c.detail;
    EXPECT_NE(c.detail.find("events.token DEFAULT"), std::string::npos) << c.detail;
    // The two engines' clocks and random numbers differ too.
    const CheckResult parity = Check(run, "0002_first_event", "dialect_parity");
    EXPECT_NE(parity.status, CheckStatus::kFail) << parity.detail;
  }
  const CheckResult pg = Check(result.runs[1], "0002_first_event", "reapply_identical");
  EXPECT_NE(pg.detail.find("events.created_at DEFAULT now()"), std::string::npos) << pg.detail;
  EXPECT_NE(pg.detail.find("events.id DEFAULT nextval("), std::string::npos) << pg.detail;
}

// Issue 13, 3: the known-bad case. A down that rewrites the created_at of
// rows that were there before still fails: they are not rows it inserted.
TEST_F(ChainTest, ADownThatRewritesExistingTimestampsStillFails) {
  Write("0001_notes/up.postgres.sql",
        "CREATE TABLE notes (id integer primary key, body text,"
        " created_at timestamptz NOT NULL DEFAULT now());\n"
        "INSERT INTO notes VALUES (1, 'kept', '2020-01-01 00:00:00+00');\n");
  Write("0001_notes/down.postgres.sql", "DROP TABLE notes;\n");
  Write("0001_notes/up.sqlite.sql",
        "CREATE TABLE notes (id integer primary key, body text,"
        " created_at text NOT NULL DEFAULT CURRENT_TIMESTAMP);\n"
        "INSERT INTO notes VALUES (1, 'kept', '2020-01-01 00:00:00');\n");
  Write("0001_notes/down.sqlite.sql", "DROP TABLE notes;\n");
  Write("0002_title/up.sql", "ALTER TABLE notes ADD COLUMN title text;\n");
  Write("0002_title/down.postgres.sql",
        "ALTER TABLE notes DROP COLUMN title;\nUPDATE notes SET created_at = now();\n");
  Write("0002_title/down.sqlite.sql",
        "ALTER TABLE notes DROP COLUMN title;\nUPDATE notes SET created_at = CURRENT_TIMESTAMP;\n");
  const GateResult result = Gate();
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    EXPECT_FALSE(run.passed);
    const CheckResult c = Check(run, "0002_title", "rollback_identical");
    EXPECT_EQ(c.status, CheckStatus::kFail) << c.detail;
    EXPECT_NE(c.detail.find("row changed: notes key id=1 column created_at"), std::string::npos)
        << c.detail;
  }
}

// Issue 13, 5: a migration that never ends is stopped at the limit, fails
// forward_applies with "timed out after", and reports its own times.
TEST_F(ChainTest, AnUpPastItsTimeLimitFailsForwardApplies) {
  Write("0001_a/up.sql", "CREATE TABLE a (id integer primary key);\n");
  Write("0001_a/down.sql", "DROP TABLE a;\n");
  Write("0002_forever/up.postgres.sql", "SELECT pg_sleep(3600);\n");
  Write("0002_forever/up.sqlite.sql",
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)"
        " SELECT count(*) FROM n;\n");
  Write("0002_forever/down.sql", "SELECT 1;\n");
  const GateResult result = Gate({Dialect::kSqlite, Dialect::kPostgres}, std::chrono::seconds(1));
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    const CheckResult c = Check(run, "0002_forever", "forward_applies");
    EXPECT_EQ(c.status, CheckStatus::kFail) << c.detail;
    EXPECT_NE(c.detail.find("timed out after 1 s"), std::string::npos) << c.detail;
    const MigrationOutcome* a = Outcome(run, "0001_a");
    ASSERT_NE(a, nullptr);
    EXPECT_GE(a->up_seconds, 0);
    EXPECT_GE(a->down_seconds, 0);
  }
}

TEST_F(ChainTest, ADownPastItsTimeLimitFailsRollbackAppliesAndTheChainGoesOn) {
  Write("0001_a/up.sql", "CREATE TABLE a (id integer primary key);\n");
  Write("0001_a/down.postgres.sql", "SELECT pg_sleep(3600);\n");
  Write("0001_a/down.sqlite.sql",
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)"
        " SELECT count(*) FROM n;\n");
  Write("0002_b/up.sql", "CREATE TABLE b (id integer primary key);\n");
  Write("0002_b/down.sql", "DROP TABLE b;\n");
  const GateResult result = Gate({Dialect::kSqlite, Dialect::kPostgres}, std::chrono::seconds(1));
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    const CheckResult c = Check(run, "0001_a", "rollback_applies");
    EXPECT_EQ(c.status, CheckStatus::kFail) << c.detail;
    EXPECT_NE(c.detail.find("timed out after 1 s"), std::string::npos) << c.detail;
    for (const char* check : {"forward_applies", "rollback_applies", "rollback_identical"})
      EXPECT_EQ(Check(run, "0002_b", check).status, CheckStatus::kPass) << check;
  }
}

// Issue 16: a migration that applies at once without rows but runs past its
// limit on the filled tables is too slow at that size. That is its own
// failure, not applies_with_data (nothing in the rows is at fault), and the
// chain goes on from the state without the rows.
TEST_F(ChainTest, AnUpTooSlowOnlyWithRowsFailsAndTheChainGoesOn) {
  Write("0001_a/up.sql", "CREATE TABLE a (id integer primary key, v text);\n");
  Write("0001_a/down.sql", "DROP TABLE a;\n");
  Write("0002_slow/up.sql",
        "CREATE TABLE product AS SELECT count(*) AS n FROM a a1, a a2, a a3, a a4, a a5;\n");
  Write("0002_slow/down.sql", "DROP TABLE product;\n");
  Write("0003_b/up.sql", "CREATE TABLE b (id integer primary key);\n");
  Write("0003_b/down.sql", "DROP TABLE b;\n");
  const GateResult result = Gate({Dialect::kSqlite, Dialect::kPostgres}, std::chrono::seconds(1));
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    EXPECT_FALSE(run.passed);
    const MigrationOutcome* slow = Outcome(run, "0002_slow");
    ASSERT_NE(slow, nullptr);
    int applies = 0;
    for (const CheckResult& c : slow->checks) {
      EXPECT_NE(c.name, "applies_with_data") << c.detail;
      if (c.name != "forward_applies") continue;
      ++applies;
      EXPECT_EQ(c.status, CheckStatus::kFail) << c.detail;
      EXPECT_NE(c.detail.find("timed out after 1 s"), std::string::npos) << c.detail;
      EXPECT_NE(c.detail.find("without the generated rows it applies in"), std::string::npos)
          << c.detail;
    }
    EXPECT_EQ(applies, 1);
    for (const char* check : {"forward_applies", "rollback_applies", "rollback_identical"})
      EXPECT_EQ(Check(run, "0003_b", check).status, CheckStatus::kPass)
          << check << "\n"
          << RenderGateSummary(result);
  }
}

// Issue 18, 5: every report names the engines, exactly; a syntax error or an
// unknown function hints that the migration may need a newer one.
TEST_F(ChainTest, ReportsNameTheEnginesAndHintAtANewerOne) {
  Write("0001_a/up.sql", "CREATE TABLE a (id integer primary key, h text);\n");
  Write("0001_a/down.sql", "DROP TABLE a;\n");
  Write("0002_unhex/up.sql", "UPDATE a SET h = unhex('00');\n");
  Write("0002_unhex/down.sql", "SELECT 1;\n");
  const GateResult result = Gate();
  const std::map<std::string, std::string> engines = result.engines();
  ASSERT_EQ(engines.size(), 2u);
  EXPECT_EQ(engines.at("sqlite").rfind("SQLite 3.", 0), 0u) << engines.at("sqlite");
  EXPECT_EQ(engines.at("postgres").rfind("PostgreSQL 15", 0), 0u) << engines.at("postgres");
  EXPECT_NE(engines.at("postgres").find("libpq "), std::string::npos) << engines.at("postgres");
  const std::string summary = RenderGateSummary(result);
  EXPECT_NE(summary.find("\npostgres: PostgreSQL 15"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\nsqlite: SQLite 3."), std::string::npos) << summary;
  for (const ScenarioRun& run : result.runs) {
    SCOPED_TRACE(run.backend);
    const CheckResult c = Check(run, "0002_unhex", "forward_applies");
    EXPECT_EQ(c.status, CheckStatus::kFail) << c.detail;
    EXPECT_NE(c.detail.find("hint: this may need a newer engine than this run's " + run.engine),
              std::string::npos)
        << c.detail;
  }
  const std::string path = ::testing::TempDir() + "/chain-" + std::to_string(getpid()) + ".json";
  ASSERT_TRUE(WriteGateJson(result, path).ok());
  std::ifstream in(path);
  const nlohmann::json doc = nlohmann::json::parse(in);
  std::remove(path.c_str());
  EXPECT_EQ(doc["engines"]["postgres"], engines.at("postgres"));
  for (const auto& run : doc["scenarios"]) {
    EXPECT_FALSE(run["engine"].get<std::string>().empty());
    const auto& first = run["migrations"][0];
    EXPECT_TRUE(first["up_s"].is_number()) << first.dump();
    EXPECT_TRUE(first["down_s"].is_number()) << first.dump();
    EXPECT_TRUE(run["migrations"][1]["down_s"].is_null()) << run["migrations"][1].dump();
  }
}

}  // namespace
}  // namespace rehearse
