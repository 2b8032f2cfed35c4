// The Migrator's reading of its ledger (migrator.h, "Ledger and identity",
// "applied_unchanged"): each Up, Down and DryRun reads the ledger once and
// plans from that reading, and the next call reads it again, so that a
// migration which edits or deletes ledger rows is seen by the very next call
// of the same Migrator; versions in the ledger are matched to the source's by
// text or by number.
#include <gtest/gtest.h>

#include "harness/common/status_test_util.h"
#include "harness/db/throwaway_databases.h"
#include "harness/db/throwaway_test_util.h"
#include "harness/migrate/migration_test_util.h"
#include "harness/migrate/migrator.h"

namespace rehearse {
namespace {

class MigratorLedgerTest : public PerEngineTest {
 protected:
  void SetUp() override {
    ASSERT_OK(dbs_->Create(GetParam(), &db_));
    dir_.Migration("0001_people", "CREATE TABLE people (id INTEGER PRIMARY KEY);\n",
                   "DROP TABLE people;\n");
  }

  // 0002, whose up also runs `ledger_sql` (nothing when empty).
  Migrator MakeWithSecond(const std::string& ledger_sql) {
    dir_.Migration("0002_pets", "CREATE TABLE pets (id INTEGER PRIMARY KEY);\n" + ledger_sql,
                   "DROP TABLE pets;\n");
    return Migrator(db_.get(), LoadOrDie(dir_.path()));
  }

  std::unique_ptr<Database> db_;
  ScratchFolder dir_;
};

TEST_P(MigratorLedgerTest, AMigrationThatLeavesTheLedgerAloneLeavesNothingPending) {
  Migrator m = MakeWithSecond("");
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  std::vector<const Migration*> pending;
  ASSERT_OK(m.Pending(&pending));
  EXPECT_TRUE(pending.empty());
  ASSERT_OK(m.UpAll(&report));
  EXPECT_TRUE(report.steps.empty()) << "a rerun applies nothing";
  EXPECT_TRUE(report.mismatches.empty());
}

TEST_P(MigratorLedgerTest, ARowAMigrationDeletesFromTheLedgerIsPendingAtTheNextCall) {
  Migrator m = MakeWithSecond("DELETE FROM schema_migrations WHERE name = 'people';\n");
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  ASSERT_EQ(report.steps.size(), 2u);
  std::vector<const Migration*> pending;
  ASSERT_OK(m.Pending(&pending));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]->name, "people");
  // The same Migrator, called again, refuses to apply 0001 below the applied
  // 0002: it read the ledger the migration left, not the one it planned from.
  EXPECT_EQ(m.UpAll(&report).code(), Status::Code::kInvalidInput);
}

TEST_P(MigratorLedgerTest, AChecksumAMigrationRewritesInTheLedgerIsReportedAtTheNextCall) {
  Migrator m = MakeWithSecond(
      "UPDATE schema_migrations SET checksum = 'rewritten' WHERE name = 'people';\n");
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  EXPECT_TRUE(report.mismatches.empty()) << "read before 0002 ran";
  ASSERT_OK(m.UpAll(&report));
  ASSERT_EQ(report.mismatches.size(), 1u);
  EXPECT_EQ(report.mismatches[0].kind, LedgerMismatch::Kind::kChecksumChanged);
  EXPECT_EQ(report.mismatches[0].recorded, "rewritten");
  ASSERT_OK(m.DryRun(MigrationRange::All(), &report));
  EXPECT_EQ(report.mismatches.size(), 1u) << "a dry run reads it too";
  ASSERT_OK(m.Down(MigrationRange::Only(V("2")), {}, &report));
  EXPECT_EQ(report.mismatches.size(), 1u) << "and a rollback";
}

TEST_P(MigratorLedgerTest, ALedgerAMigrationDropsAndCreatesAgainIsReadAgain) {
  Migrator m = MakeWithSecond(
      "DROP TABLE schema_migrations;\n"
      "CREATE TABLE schema_migrations (version TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, "
      "checksum TEXT NOT NULL, applied_at TEXT NOT NULL);\n");
  MigrationReport report;
  ASSERT_OK(m.Up(MigrationRange::Through(V("1")), &report));
  ASSERT_OK(m.Up(MigrationRange::Only(V("2")), &report));
  // 0002's own row is written after its SQL: the only one left.
  std::vector<AppliedMigration> applied;
  ASSERT_OK(m.Applied(&applied));
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0].name, "pets");
  EXPECT_EQ(m.FreshInstall(V("2"), &report).code(), Status::Code::kInvalidInput);
}

TEST_P(MigratorLedgerTest, AMigrationThatDropsTheLedgerFailsAndIsRolledBack) {
  Migrator m = MakeWithSecond("DROP TABLE schema_migrations;\n");
  MigrationReport report;
  ASSERT_OK(m.Up(MigrationRange::Through(V("1")), &report));
  EXPECT_EQ(m.Up(MigrationRange::Only(V("2")), &report).code(), Status::Code::kDatabase)
      << "its own row cannot be recorded";
  std::vector<AppliedMigration> applied;
  ASSERT_OK(m.Applied(&applied));
  ASSERT_EQ(applied.size(), 1u) << "the ledger is back";
  EXPECT_EQ(applied[0].name, "people");
}

TEST_P(MigratorLedgerTest, LedgerVersionsMatchTheSourceByTextOrByNumber) {
  Migrator m = MakeWithSecond("");
  MigrationReport report;
  ASSERT_OK(m.UpAll(&report));
  // Another spelling of version 1 ("1" for "0001"), as another tool wrote it.
  ASSERT_OK(db_->Execute("UPDATE schema_migrations SET version = '1' WHERE version = '0001'"));
  std::vector<AppliedMigration> applied;
  ASSERT_OK(m.Applied(&applied));
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[0].version.text(), "0001") << "the source's own version";
  EXPECT_EQ(applied[0].name, "people");
  EXPECT_EQ(applied[1].version.text(), "0002");
  std::vector<LedgerMismatch> mismatches;
  ASSERT_OK(m.Verify(&mismatches));
  EXPECT_TRUE(mismatches.empty());
  // A version the source does not have stays as written and is reported.
  ASSERT_OK(db_->Execute("UPDATE schema_migrations SET version = '7' WHERE version = '1'"));
  ASSERT_OK(m.Applied(&applied));
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[1].version.text(), "7");
  ASSERT_OK(m.Verify(&mismatches));
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_EQ(mismatches[0].kind, LedgerMismatch::Kind::kMissingFromSource);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, MigratorLedgerTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const auto& info) { return std::string(DialectName(info.param)); });

}  // namespace
}  // namespace rehearse
