// Migrator over real databases of both dialects, with SQL migrations written
// into a scratch folder per test: up/down round trips restore the snapshot
// digest, failures change nothing and say where, reruns apply nothing, dry
// runs leave the database byte-identical, edits to applied files are found.
#include "harness/migrate/migrator.h"

#include <gtest/gtest.h>

#include "harness/common/status_test_util.h"
#include "harness/db/throwaway_databases.h"
#include "harness/db/throwaway_test_util.h"
#include "harness/migrate/harness_tables.h"
#include "harness/migrate/migration_test_util.h"
#include "harness/state/snapshot.h"

namespace rehearse {
namespace {

class MigratorTest : public PerEngineTest {
 protected:
  void SetUp() override {
    Status s = dbs_->Create(GetParam(), &db_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    dir_.Migration("0001_create_t",
                   "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
                   "INSERT INTO t (id, name) VALUES (1, 'one'), (2, 'two');\n",
                   "DROP TABLE t;\n");
    dir_.Migration("0002_add_note",
                   "ALTER TABLE t ADD COLUMN note TEXT;\nUPDATE t SET note = 'n' || name;\n",
                   "ALTER TABLE t DROP COLUMN note;\n");
    dir_.Migration("0003_index_name", "CREATE INDEX t_name ON t (name);\n", "DROP INDEX t_name;\n");
  }

  Migrator Make(MigratorOptions options = {}) {
    return Migrator(db_.get(), LoadOrDie(dir_.path()), std::move(options));
  }

  Digest DigestNow() {
    Snapshot snap;
    Status s = Snapshot::Take(db_.get(), {}, &snap);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return snap.digest();
  }

  std::vector<std::string> AppliedVersions() {
    std::vector<AppliedMigration> applied;
    Status s = MigrationLedger::Read(db_.get(), &applied);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::vector<std::string> out;
    for (const AppliedMigration& a : applied) out.push_back(a.version.text());
    return out;
  }

  bool postgres() const { return GetParam() == Dialect::kPostgres; }

  std::unique_ptr<Database> db_;
  ScratchFolder dir_;
};

TEST_P(MigratorTest, UpAppliesEveryMigrationInOrderAndRecordsEachInTheLedger) {
  MigratorOptions options;
  options.now = "2026-03-08 12:00:00+00";
  Migrator m = Make(options);
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  ASSERT_EQ(report.steps.size(), 3u);
  EXPECT_EQ(report.steps[0].action, MigrationStep::Action::kApplied);
  EXPECT_EQ(report.steps[2].name, "index_name");
  std::vector<AppliedMigration> applied;
  ASSERT_OK(m.Applied(&applied));
  ASSERT_EQ(applied.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(applied[i].version, m.migrations()[i].version);
    EXPECT_EQ(applied[i].name, m.migrations()[i].name);
    EXPECT_EQ(applied[i].checksum, m.migrations()[i].For(GetParam()).checksum);
    EXPECT_EQ(applied[i].applied_at, "2026-03-08 12:00:00+00");
  }
  EXPECT_TRUE(report.mismatches.empty());
}

TEST_P(MigratorTest, UpDownUpRestoresTheSnapshotDigestExactly) {
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.UpBefore(V("2"), &report));
  EXPECT_EQ(AppliedVersions(), std::vector<std::string>{"0001"});
  Digest s0 = DigestNow();
  ASSERT_OK(m.Up(MigrationRange::Between(V("2"), V("3")), &report));
  Digest s1 = DigestNow();
  EXPECT_NE(s0, s1);
  ASSERT_OK(m.Down(MigrationRange::Between(V("2"), V("3")), {}, &report));
  ASSERT_EQ(report.steps.size(), 2u);
  EXPECT_EQ(report.steps[0].version.text(), "0003") << "newest first";
  EXPECT_EQ(report.steps[0].action, MigrationStep::Action::kRolledBack);
  EXPECT_EQ(DigestNow(), s0);
  ASSERT_OK(m.Up(MigrationRange::From(V("2")), &report));
  EXPECT_EQ(DigestNow(), s1);
}

TEST_P(MigratorTest, MigratingToBeforeTheFirstVersionStillCreatesTheLedger) {
  // Otherwise the first migration's up would create it and its down could
  // not restore the state before it.
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.UpBefore(V("1"), &report));
  EXPECT_TRUE(report.steps.empty());
  bool exists = false;
  ASSERT_OK(HarnessTableExists(db_.get(), kMigrationLedgerTable, &exists));
  EXPECT_TRUE(exists);
  Digest s0 = DigestNow();
  ASSERT_OK(m.Up(MigrationRange::Only(V("1")), &report));
  ASSERT_OK(m.Down(MigrationRange::Only(V("1")), {}, &report));
  EXPECT_EQ(DigestNow(), s0);
}

TEST_P(MigratorTest, RunningUpTwiceAppliesNothingTheSecondTime) {
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  Digest once = DigestNow();
  ASSERT_OK(m.UpAll(&report));
  EXPECT_TRUE(report.steps.empty());
  EXPECT_EQ(DigestNow(), once);
  std::vector<const Migration*> pending;
  ASSERT_OK(m.Pending(&pending));
  EXPECT_TRUE(pending.empty());
}

TEST_P(MigratorTest, FailingUpLeavesTheDatabaseIdenticalAndNamesFileLineAndStatement) {
  dir_.Migration("0004_broken",
                 "CREATE TABLE u (id INTEGER PRIMARY KEY);\n"
                 "INSERT INTO t (id, name) VALUES (3, 'three');\n"
                 "\n"
                 "INSERT INTO no_such_table VALUES (1);\n",
                 "DROP TABLE u;\n");
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.UpBefore(V("4"), &report));
  Digest before = DigestNow();
  Status s = m.UpAll(&report);
  EXPECT_EQ(s.code(), Status::Code::kDatabase);
  EXPECT_EQ(s.file(), dir_ / "0004_broken/up.sql");
  EXPECT_EQ(s.line(), 4);
  EXPECT_NE(s.statement().find("no_such_table"), std::string::npos);
  EXPECT_NE(s.message().find("applying 0004_broken"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("no_such_table"), std::string::npos) << "engine message kept";
  EXPECT_EQ(DigestNow(), before);
  EXPECT_EQ(AppliedVersions(), (std::vector<std::string>{"0001", "0002", "0003"}));
}

TEST_P(MigratorTest, FailingUpAfterNextvalLeavesSequencesWhereTheyWere) {
  // nextval is never rolled back on PostgreSQL; the migrator resets it.
  dir_.Write("0004_serial/up.postgres.sql", "CREATE TABLE s (id SERIAL PRIMARY KEY, v TEXT);");
  dir_.Write("0004_serial/up.sqlite.sql",
             "CREATE TABLE s (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);");
  dir_.Write("0004_serial/down.sql", "DROP TABLE s;");
  dir_.Migration("0005_fails", "INSERT INTO s (v) VALUES ('a'), ('b');\nSELECT * FROM nowhere;\n",
                 "DELETE FROM s;");
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.UpBefore(V("5"), &report));
  ASSERT_OK(db_->Execute("INSERT INTO s (v) VALUES ('first')"));
  Digest before = DigestNow();
  EXPECT_EQ(m.UpAll(&report).code(), Status::Code::kDatabase);
  EXPECT_EQ(DigestNow(), before);
  // A dry run that succeeds consumes sequence values too.
  dir_.Migration("0005_fails", "INSERT INTO s (v) VALUES ('a'), ('b');", "DELETE FROM s;");
  ASSERT_OK(Make().DryRun(MigrationRange::All(), &report));
  EXPECT_EQ(DigestNow(), before);
}

TEST_P(MigratorTest, DryRunLeavesTheDatabaseByteIdenticalAndReportsWhatWouldChange) {
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.UpBefore(V("2"), &report));
  Digest before = DigestNow();
  ASSERT_OK(m.DryRun(MigrationRange::From(V("2")), &report));
  EXPECT_EQ(DigestNow(), before);
  EXPECT_EQ(AppliedVersions(), std::vector<std::string>{"0001"});
  ASSERT_EQ(report.steps.size(), 2u);
  const MigrationStep& step = report.steps[0];
  EXPECT_EQ(step.action, MigrationStep::Action::kDryRun);
  std::string rendered = step.change.Render();
  EXPECT_NE(rendered.find("note"), std::string::npos) << rendered;
  ASSERT_EQ(step.change.tables.size(), 1u) << rendered;
  EXPECT_EQ(step.change.tables[0].table, "t");
  EXPECT_EQ(step.change.tables[0].rows_before, 2);
  EXPECT_EQ(step.change.tables[0].rows_after, 2);
  EXPECT_TRUE(step.change.tables[0].rows_changed) << "an UPDATE keeps the count";
  EXPECT_NE(report.steps[1].change.Render().find("t_name"), std::string::npos)
      << report.steps[1].change.Render();
}

TEST_P(MigratorTest, DryRunWithArchivesCountsRowsAndShowsSampleDifferences) {
  dir_.Migration("0004_reshuffle",
                 "UPDATE t SET name = 'ONE' WHERE id = 1;\n"
                 "DELETE FROM t WHERE id = 2;\n"
                 "INSERT INTO t (id, name, note) VALUES (3, 'three', NULL), (4, 'four', 'n4');\n",
                 "DELETE FROM t WHERE id IN (3, 4);\n"
                 "INSERT INTO t (id, name, note) VALUES (2, 'two', 'ntwo');\n"
                 "UPDATE t SET name = 'one' WHERE id = 1;\n");
  MigrationReport report;
  ASSERT_OK(Make().UpBefore(V("4"), &report));
  const Digest before = DigestNow();
  ScratchFolder archives;
  MigratorOptions o;
  o.dry_run_archive_dir = archives.path();
  o.dry_run_samples = 2;
  ASSERT_OK(Make(o).DryRun(MigrationRange::Only(V("4")), &report));
  EXPECT_EQ(DigestNow(), before);
  ASSERT_EQ(report.steps.size(), 1u);
  const StateChange& change = report.steps[0].change;
  const std::string rendered = change.Render();
  ASSERT_EQ(change.tables.size(), 1u) << rendered;
  ASSERT_TRUE(change.tables[0].tally.has_value()) << rendered;
  EXPECT_EQ(change.tables[0].tally->added, 2) << rendered;
  EXPECT_EQ(change.tables[0].tally->removed, 1) << rendered;
  EXPECT_EQ(change.tables[0].tally->changed, 1) << rendered;
  EXPECT_NE(rendered.find("table t: 2 rows -> 3 rows: 2 added, 1 removed, 1 changed"),
            std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("row changed: t key id=1 column name: 'one' -> 'ONE'"), std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("... and 2 more in t"), std::string::npos) << rendered;
  EXPECT_EQ(rendered.find("schema_migrations"), std::string::npos) << "the ledger is not news";
  EXPECT_TRUE(std::filesystem::is_empty(archives.path())) << "probe archives left behind";

  // Without archives: counts and "rows changed", no samples, nothing on disk.
  ASSERT_OK(Make().DryRun(MigrationRange::Only(V("4")), &report));
  EXPECT_FALSE(report.steps[0].change.tables[0].tally.has_value());
  EXPECT_TRUE(report.steps[0].change.samples.shown.empty());
}

TEST_P(MigratorTest, DryRunShowsTheValuesABackfillGivesANewColumn) {
  MigrationReport report;
  ASSERT_OK(Make().UpBefore(V("2"), &report));
  ScratchFolder archives;
  MigratorOptions o;
  o.dry_run_archive_dir = archives.path();
  ASSERT_OK(Make(o).DryRun(MigrationRange::Only(V("2")), &report));
  const std::string rendered = report.steps[0].change.Render();
  EXPECT_NE(rendered.find("0 added, 0 removed, 2 changed"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("row changed: t key id=2 column note: (absent) -> 'ntwo'"),
            std::string::npos)
      << rendered;
}

TEST_P(MigratorTest, ReportQueriesOfMigrationJsonAreAnsweredAfterTheUp) {
  dir_.Write(
      "0002_add_note/migration.json",
      R"({"report": {"rows without a note": "SELECT id FROM t WHERE note IS NULL ORDER BY id",
                            "rows with a note": "SELECT id FROM t WHERE note IS NOT NULL"}})");
  MigrationReport report;
  ASSERT_OK(Make().UpBefore(V("2"), &report));
  ASSERT_OK(db_->Execute("INSERT INTO t (id, name) VALUES (3, 'three')"));
  for (bool dry : {true, false}) {
    Migrator m = Make();
    ASSERT_OK(dry ? m.DryRun(MigrationRange::Only(V("2")), &report)
                  : m.Up(MigrationRange::Only(V("2")), &report));
    ASSERT_EQ(report.steps.size(), 1u);
    const std::vector<ReportedRows>& found = report.steps[0].reported;
    ASSERT_EQ(found.size(), 2u) << (dry ? "dry run" : "up");
    EXPECT_EQ(found[0].title, "rows with a note");  // keys in sorted order
    EXPECT_EQ(found[0].count, 3);
    EXPECT_EQ(found[1].title, "rows without a note");
    EXPECT_EQ(found[1].count, 0);
    EXPECT_TRUE(found[1].first.empty());
  }
  // The same query on rows the up leaves alone.
  ASSERT_OK(Make().Down(MigrationRange::Only(V("2")), {}, &report));
  dir_.Write(
      "0002_add_note/up.sql",
      "ALTER TABLE t ADD COLUMN note TEXT;\nUPDATE t SET note = 'n' || name WHERE id < 3;\n");
  ASSERT_OK(Make().Up(MigrationRange::Only(V("2")), &report));
  ASSERT_EQ(report.steps[0].reported.size(), 2u);
  EXPECT_EQ(report.steps[0].reported[1].count, 1);
  EXPECT_EQ(report.steps[0].reported[1].first, std::vector<std::string>{"3"});
}

TEST_P(MigratorTest, DryRunOnAnEmptyDatabaseDoesNotEvenCreateTheLedger) {
  Digest before = DigestNow();
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.DryRun(MigrationRange::All(), &report));
  EXPECT_EQ(report.steps.size(), 3u);
  EXPECT_EQ(DigestNow(), before);
  EXPECT_TRUE(report.steps[0].change.tables.size() == 1u &&
              report.steps[0].change.tables[0].rows_before == -1 &&
              report.steps[0].change.tables[0].rows_after == 2)
      << report.steps[0].change.Render();
}

TEST_P(MigratorTest, EditedFileOfAnAppliedMigrationIsReported) {
  MigrationReport report;
  ASSERT_OK(Make().UpAll(&report));
  std::string recorded = LoadOrDie(dir_.path())[1].For(GetParam()).checksum;
  dir_.Write("0002_add_note/down.sql", "ALTER TABLE t DROP COLUMN note; -- edited\n");
  Migrator m = Make();
  std::vector<LedgerMismatch> mismatches;
  ASSERT_OK(m.Verify(&mismatches));
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_EQ(mismatches[0].kind, LedgerMismatch::Kind::kChecksumChanged);
  EXPECT_EQ(mismatches[0].version.text(), "0002");
  EXPECT_EQ(mismatches[0].recorded, recorded);
  EXPECT_NE(mismatches[0].current, recorded);
  EXPECT_NE(mismatches[0].ToString().find("changed after it was applied"), std::string::npos);
  ASSERT_OK(m.UpAll(&report));
  EXPECT_EQ(report.mismatches.size(), 1u) << "Up reports it too";
}

TEST_P(MigratorTest, AppliedMigrationMissingOrRenamedInTheSourceIsReported) {
  MigrationReport report;
  ASSERT_OK(Make().UpAll(&report));
  dir_.Remove("0003_index_name");
  std::filesystem::rename(dir_ / "0002_add_note", dir_ / "0002_add_notes");
  std::vector<LedgerMismatch> mismatches;
  ASSERT_OK(Make().Verify(&mismatches));
  ASSERT_EQ(mismatches.size(), 2u);
  EXPECT_EQ(mismatches[0].kind, LedgerMismatch::Kind::kRenamed);
  EXPECT_EQ(mismatches[0].current, "add_notes");
  EXPECT_EQ(mismatches[1].kind, LedgerMismatch::Kind::kMissingFromSource);
  EXPECT_EQ(mismatches[1].version.text(), "0003");
}

TEST_P(MigratorTest, PostgresOnlyMigrationIsSkippedOnSqliteAndAppliedOnPostgres) {
  dir_.Write("0004_pg_only/up.postgres.sql", "COMMENT ON TABLE t IS 'things';");
  dir_.Write("0004_pg_only/down.postgres.sql", "COMMENT ON TABLE t IS NULL;");
  dir_.Migration("0005_after", "CREATE TABLE w (id INTEGER PRIMARY KEY);", "DROP TABLE w;");
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  ASSERT_EQ(report.steps.size(), 5u);
  EXPECT_EQ(report.steps[3].action, postgres() ? MigrationStep::Action::kApplied
                                               : MigrationStep::Action::kSkippedUnavailable);
  EXPECT_EQ(report.steps[4].action, MigrationStep::Action::kApplied);
  EXPECT_EQ(AppliedVersions().size(), postgres() ? 5u : 4u);
  ASSERT_OK(m.UpAll(&report));  // the skipped one does not block later runs
}

TEST_P(MigratorTest, PendingVersionBelowTheRangeIsRefusedBeforeAnythingChanges) {
  Digest before = DigestNow();
  Migrator m = Make();
  MigrationReport report;
  Status s = m.Up(MigrationRange::Only(V("2")), &report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.file(), dir_ / "0001_create_t");
  EXPECT_EQ(DigestNow(), before) << "not even the ledger";
}

TEST_P(MigratorTest, PendingVersionOlderThanAnAppliedOneIsRefusedAsOutOfOrder) {
  dir_.Remove("0002_add_note");
  FolderMigrationSource gappy(dir_.path(), {GapRule::kNone});
  std::vector<Migration> without_two;
  ASSERT_OK(gappy.Load(&without_two));
  MigrationReport report;
  ASSERT_OK(Migrator(db_.get(), without_two).UpAll(&report));
  dir_.Migration("0002_late", "CREATE TABLE late (id INTEGER PRIMARY KEY);", "DROP TABLE late;");
  Digest before = DigestNow();
  Status s = Make().UpAll(&report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("out of order"), std::string::npos) << s.ToString();
  EXPECT_EQ(DigestNow(), before);
}

TEST_P(MigratorTest, DownRefusesWhileANewerVersionIsApplied) {
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  Digest before = DigestNow();
  Status s = m.Down(MigrationRange::Only(V("2")), {}, &report);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("0003"), std::string::npos) << s.ToString();
  EXPECT_EQ(DigestNow(), before);
}

TEST_P(MigratorTest, FailingDownLeavesTheDatabaseIdentical) {
  dir_.Write("0003_index_name/down.sql", "DROP INDEX t_name;\nDROP TABLE no_such_table;\n");
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  Digest before = DigestNow();
  Status s = m.Down(MigrationRange::Only(V("3")), {}, &report);
  EXPECT_EQ(s.code(), Status::Code::kDatabase);
  EXPECT_EQ(s.file(), dir_ / "0003_index_name/down.sql");
  EXPECT_EQ(s.line(), 2);
  EXPECT_EQ(DigestNow(), before);
}

TEST_P(MigratorTest, NonTransactionalMigrationKeepsStatementsBeforeAFailureAndSaysSo) {
  dir_.Migration("0004_loose",
                 "CREATE TABLE kept (id INTEGER PRIMARY KEY);\nSELECT * FROM nowhere;",
                 "DROP TABLE kept;");
  dir_.Write("0004_loose/migration.json", R"({"transaction": false})");
  Migrator m = Make();
  MigrationReport report;
  Status s = m.UpAll(&report);
  EXPECT_EQ(s.code(), Status::Code::kDatabase);
  EXPECT_NE(s.message().find("\"transaction\": false"), std::string::npos) << s.ToString();
  bool kept = false;
  ASSERT_OK(HarnessTableExists(db_.get(), "kept", &kept));
  EXPECT_TRUE(kept);
  EXPECT_EQ(AppliedVersions().size(), 3u) << "not recorded as applied";
}

TEST_P(MigratorTest, FreshInstallAppliesZeroThroughNAndRefusesAUsedDatabase) {
  Migrator m = Make();
  MigrationReport report;
  ASSERT_OK(m.FreshInstall(V("2"), &report));
  EXPECT_EQ(AppliedVersions(), (std::vector<std::string>{"0001", "0002"}));
  EXPECT_EQ(m.FreshInstall(V("3"), &report).code(), Status::Code::kInvalidInput);
}

TEST_P(MigratorTest, MigratorRefusesADatabaseInsideATransaction) {
  ASSERT_OK(db_->Begin());
  MigrationReport report;
  EXPECT_EQ(Make().UpAll(&report).code(), Status::Code::kInvalidInput);
  db_->Rollback();
}

INSTANTIATE_TEST_SUITE_P(BothEngines, MigratorTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const auto& info) { return std::string(DialectName(info.param)); });

}  // namespace
}  // namespace rehearse
