// Migration 0001 on databases built from seed 003's legacy start-up files,
// on both engines: before the in-place edit (no active_timers, no timezone)
// and the edited file on a fresh database (both there, timezone mid-table).
// Up gives each the schema the timers code needs and moves the pending
// reminder; down puts back exactly what was there; up again gives the same
// state. (The baseline's own path — active_timers there, timezone missing —
// is rehearsed by the project gate.)
#include "migrations/code/timers_timezone.h"

#include <gtest/gtest.h>

#include <tuple>

#include "harness/db/sql_script.h"
#include "migrations/code/migration_test_support.h"

namespace rehearse {
namespace {

using namespace migration_test;

using LegacyStart = std::tuple<Dialect, std::string>;  // engine, start-up file stem

class TimersTimezoneTest : public ::testing::TestWithParam<LegacyStart> {
 protected:
  Dialect dialect() const { return std::get<0>(GetParam()); }
  const std::string& stem() const { return std::get<1>(GetParam()); }
  bool edited() const { return stem() == "startup_after_inplace_edit"; }

  void SetUp() override {
    std::string name;
    ASSERT_OK(Databases::Get().throwaway()->Create(dialect(), &db_, nullptr, "", &name));
    SqlScript legacy;
    ASSERT_OK(SqlScript::FromFile(std::string(REHEARSE_MIGRATIONS_DIR) + "/legacy/" + stem() + "." +
                                      DialectName(dialect()) + ".sql",
                                  &legacy));
    ASSERT_OK(db_->ExecuteScript(legacy));
    // Two participants, one with a daily reminder pending only in state_data.
    ASSERT_OK(db_->Execute(
        "INSERT INTO conversation_participants (id, phone_number, name, status, enrolled_at, "
        "created_at, updated_at) VALUES "
        "(1, '+15550001', 'Ann', 'active', '2026-03-01 09:00:00+00', '2026-03-01 09:00:00+00', "
        "'2026-03-01 09:00:00+00'), "
        "(2, '+15550002', NULL, 'paused', '2026-03-02 09:00:00+00', '2026-03-02 09:00:00+00', "
        "'2026-03-02 09:00:00+00')"));
    ASSERT_OK(db_->Execute(
        "INSERT INTO flow_states (id, participant_id, flow_type, current_state, state_data, "
        "created_at, updated_at) VALUES "
        "(7, 1, 'conversation', 'awaiting_reply', "
        "'{\"dailyPromptPending\": {\"reminderDueAt\": \"2026-03-09T09:00:00Z\"}}', "
        "'2026-03-07 09:00:00+00', '2026-03-07 10:00:00+00'), "
        "(8, 2, 'conversation', 'idle', '{}', '2026-03-07 09:00:00+00', "
        "'2026-03-07 09:00:00+00')"));
    if (edited()) {
      ASSERT_OK(db_->Execute(
          "UPDATE conversation_participants SET timezone = 'America/New_York' WHERE id = 1"));
    }
    // The chain as such a database meets it: 0001 is the first migration.
    for (const Migration& m : Databases::Get().migrations())
      if (m.version == Version("0001")) chain_.push_back(m);
    ASSERT_EQ(chain_.size(), 1u);
    identity_ = name;
    MigrationReport ignored;  // the ledger and the identity, before S0
    ASSERT_OK(Migrator(db_.get(), chain_, Options()).UpBefore(Version("0001"), &ignored));
  }

  MigratorOptions Options() { return Databases::Get().Options(MakeDatabaseIdentity(1, identity_)); }
  Status Up(RollbackArtifact* artifact) {
    MigrationReport report;
    REHEARSE_RETURN_IF_ERROR(
        Migrator(db_.get(), chain_, Options()).Up(MigrationRange::Only(Version("0001")), &report));
    if (report.steps.size() != 1 || !report.steps[0].artifact)
      return Status::InvalidInput("0001 applied without an artifact");
    *artifact = *report.steps[0].artifact;
    return Status::OK();
  }
  Status Down(const RollbackArtifact& artifact) {
    MigrationReport report;
    return Migrator(db_.get(), chain_, Options())
        .Down(MigrationRange::Only(Version("0001")), {artifact}, &report);
  }
  int64_t Count(const std::string& sql) {
    std::vector<Row> rows;
    Status s = Query(db_.get(), sql, &rows);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return rows.empty() ? -1 : Int(rows[0][0]);
  }
  int64_t TimezoneColumns() {
    return Count(dialect() == Dialect::kPostgres
                     ? "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                       "current_schema() AND table_name = 'conversation_participants' AND "
                       "column_name = 'timezone'"
                     : "SELECT count(*) FROM pragma_table_xinfo('conversation_participants') "
                       "WHERE name = 'timezone'");
  }

  std::unique_ptr<Database> db_;
  std::vector<Migration> chain_;
  std::string identity_;
};

TEST_P(TimersTimezoneTest, UpAdaptsToTheStartUpFileAndDownRestoresItExactly) {
  Snapshot s0, s1, s2, s3;
  ASSERT_OK(Databases::Get().Snap(db_.get(), &s0));

  RollbackArtifact artifact;
  ASSERT_OK(Up(&artifact));
  EXPECT_EQ(TimezoneColumns(), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM active_timers WHERE id = -7 AND participant_id = 1 AND "
                  "callback_type = 'reminder'"),
            1)
      << "the pending reminder was not moved";
  EXPECT_EQ(Count("SELECT count(*) FROM active_timers"), 1);
  const nlohmann::json& summary = artifact.payload["summary"];
  EXPECT_EQ(summary["activeTimers"], edited() ? "already there" : "created") << summary.dump();
  EXPECT_EQ(summary["timezone"], edited() ? "already there" : "added") << summary.dump();
  ASSERT_OK(Databases::Get().Snap(db_.get(), &s1));

  ASSERT_OK(Down(artifact));
  ASSERT_OK(Databases::Get().Snap(db_.get(), &s2));
  EXPECT_EQ(s2.digest(), s0.digest()) << DiffText(s0, s2);

  RollbackArtifact again;
  ASSERT_OK(Up(&again));
  ASSERT_OK(Databases::Get().Snap(db_.get(), &s3));
  EXPECT_EQ(s3.digest(), s1.digest()) << DiffText(s1, s3);
}

TEST_P(TimersTimezoneTest, UpOnItsOwnResultRestoresNothing) {
  RollbackArtifact first;
  ASSERT_OK(Up(&first));
  Snapshot s1, s2;
  ASSERT_OK(Databases::Get().Snap(db_.get(), &s1));
  // The code itself, run again: the schema is there and the reminder moved.
  TimersTimezone code;
  RollbackArtifact again;
  ASSERT_OK(db_->Begin());
  Status s = code.Up(
      db_.get(), {false, "", kNow, std::string(REHEARSE_MIGRATIONS_DIR) + "/0001_timers_timezone"},
      &again);
  ASSERT_OK(db_->Commit());
  ASSERT_OK(s);
  EXPECT_EQ(again.payload["restores"], 0) << again.payload.dump();
  ASSERT_OK(Databases::Get().Snap(db_.get(), &s2));
  EXPECT_EQ(s2.digest(), s1.digest()) << DiffText(s1, s2);
}

// What the application stores after the apply in what Down would drop — a
// participant's timezone in the column Up added — is not silently lost.
TEST_P(TimersTimezoneTest, DownRefusesToDropTimezonesSetSinceUnlessForced) {
  RollbackArtifact artifact;
  ASSERT_OK(Up(&artifact));
  ASSERT_OK(
      db_->Execute("UPDATE conversation_participants SET timezone = 'Europe/Paris' "
                   "WHERE id = 2"));
  Status s = Down(artifact);
  if (edited()) {
    // The column was there before 0001, so Down keeps it and what it holds.
    ASSERT_OK(s);
    EXPECT_EQ(TimezoneColumns(), 1);
    return;
  }
  EXPECT_EQ(s.code(), Status::Code::kConflict) << s.ToString();
  EXPECT_NE(s.ToString().find("conversation_participants id 2 timezone: null after 0001, "
                              "\"Europe/Paris\" now"),
            std::string::npos)
      << s.ToString();
  EXPECT_EQ(TimezoneColumns(), 1);

  MigratorOptions forced = Options();
  forced.force_rollback = true;
  MigrationReport report;
  ASSERT_OK(Migrator(db_.get(), chain_, forced)
                .Down(MigrationRange::Only(Version("0001")), {artifact}, &report));
  EXPECT_EQ(TimezoneColumns(), 0);
}

// A timer the application scheduled in the table 0001 created would go with
// the table; the timer Up itself moved there (id -7) is Up's own.
TEST_P(TimersTimezoneTest, DownRefusesToDropTimersScheduledSinceUnlessForced) {
  RollbackArtifact artifact;
  ASSERT_OK(Up(&artifact));
  ASSERT_OK(db_->Execute(
      "INSERT INTO active_timers (id, participant_id, flow_type, timer_type, callback_type, "
      "fire_at, created_at) VALUES (41, 2, 'conversation', 'once', 'feedback', "
      "'2026-03-10 09:00:00+00', '2026-03-08 12:00:00+00')"));
  Status s = Down(artifact);
  if (edited()) {
    // The table was there before 0001: Down deletes only Up's row.
    ASSERT_OK(s);
    EXPECT_EQ(Count("SELECT count(*) FROM active_timers WHERE id = 41"), 1);
    return;
  }
  EXPECT_EQ(s.code(), Status::Code::kConflict) << s.ToString();
  EXPECT_NE(s.ToString().find("1 row was changed after 0001"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("active_timers id 41 (row): no row after 0001, a timer now"),
            std::string::npos)
      << s.ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM active_timers"), 2);
}

INSTANTIATE_TEST_SUITE_P(
    LegacyStartUpFiles, TimersTimezoneTest,
    ::testing::Combine(::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                       ::testing::Values(std::string("startup_before"),
                                         std::string("startup_after_inplace_edit"))),
    [](const ::testing::TestParamInfo<LegacyStart>& info) {
      return std::string(DialectName(std::get<0>(info.param))) + "_" + std::get<1>(info.param);
    });

}  // namespace
}  // namespace rehearse
