// The known-bad migrations of the negative scenarios on fixture databases of
// both engines — the folder of scenarios/negative/ and the file overrides of
// scenarios/known_bad/ — each observably wrong in the snapshot (or, for the
// retro-inserting overwrite, in the cron tick's records:
// follow_up_cron_tick_test.cc), and the project's migration of the same
// version is not.
#include <gtest/gtest.h>

#include "harness/state/snapshot_diff.h"
#include "scenarios/workloads/workload_sql.h"
#include "scenarios/workloads/workload_test_support.h"

namespace rehearse {
namespace {

using workloads_test::DigestOf;
using workloads_test::LoadMigrations;
using workloads_test::WithNegative;
using workloads_test::WithOverride;
using workloads_test::WorkloadDatabaseTest;

// scenarios/negative_lossy_number_rollback.json's override.
std::vector<Migration> WithSeedSqlRollback() {
  return WithOverride("0002",
                      {{"down.sql", "scenarios/known_bad/0002_seed_sql_rollback.down.sql"}});
}

// scenarios/negative_create_if_not_exists.json's override.
std::vector<Migration> WithStartUpFile() {
  return WithOverride(
      "0001", {{"up.postgres.sql", "migrations/legacy/startup_after_inplace_edit.postgres.sql"},
               {"up.sqlite.sql", "migrations/legacy/startup_after_inplace_edit.sqlite.sql"},
               {"down.sql", "scenarios/known_bad/0001_start_up_file.down.sql"}});
}

class NegativeMigrationsTest : public WorkloadDatabaseTest {
 protected:
  bool HasTimezoneColumn() {
    WorkloadSql sql(db_.get());
    bool exists = false;
    Status s = sql.ColumnExists("conversation_participants", "timezone", &exists);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return exists;
  }
};

TEST_P(NegativeMigrationsTest, TheNegativeFoldersLoadAsMigrations) {
  const std::vector<Migration> negatives = LoadMigrations("scenarios/negative");
  ASSERT_EQ(negatives.size(), 1u);
  for (const Migration& m : negatives) {
    EXPECT_TRUE(m.available(dialect())) << m.label();
    EXPECT_NE(m.description.find("KNOWN BAD"), std::string::npos) << m.label();
  }
}

TEST_P(NegativeMigrationsTest, TheLossyNumberRollbackIsNotByteIdenticalButTheRealDownIs) {
  const Digest start = DigestOf(db_.get());
  const std::vector<Migration> real = LoadMigrations("migrations");
  ASSERT_OK(workloads_test::Up(db_.get(), real, "0001"));
  const Digest at_0001 = DigestOf(db_.get());
  ASSERT_NE(at_0001, start);

  ASSERT_OK(workloads_test::Up(db_.get(), real, "0002"));
  ASSERT_OK(workloads_test::Down(db_.get(), real, "0002"));
  EXPECT_EQ(DigestOf(db_.get()), at_0001) << "the real 0002 down must restore every byte";

  const std::vector<Migration> lossy = WithSeedSqlRollback();
  ASSERT_OK(workloads_test::Up(db_.get(), lossy, "0002"));
  ASSERT_OK(workloads_test::Down(db_.get(), lossy, "0002"));
  EXPECT_NE(DigestOf(db_.get()), at_0001) << "the seed's SQL rollback must not look exact";
}

TEST_P(NegativeMigrationsTest, TheLossyRollbackDiffNamesTheLeftoverSchemaAndTheForgottenClasses) {
  const std::vector<Migration> migrations = WithSeedSqlRollback();
  ASSERT_OK(workloads_test::Up(db_.get(), migrations, "0001"));
  Snapshot before, after;
  ASSERT_OK(Snapshot::Take(db_.get(), {}, &before));
  ASSERT_OK(workloads_test::Up(db_.get(), migrations, "0002"));
  ASSERT_OK(workloads_test::Down(db_.get(), migrations, "0002"));
  ASSERT_OK(Snapshot::Take(db_.get(), {}, &after));
  SnapshotDiff diff;
  DiffOptions options;
  options.schema_only = true;
  options.max_per_table = 1000;
  ASSERT_OK(DiffSnapshots(before, after, options, &diff));
  const std::string text = diff.Render();
  EXPECT_NE(text.find("message_numbers.number_class"), std::string::npos) << text;
  EXPECT_NE(text.find("sitter_masked_numbers"), std::string::npos) << text;
}

TEST_P(NegativeMigrationsTest, TheCreateIfNotExistsStartUpFileLeavesTheTimezoneColumnMissing) {
  const Digest start = DigestOf(db_.get());
  const std::vector<Migration> bad = WithStartUpFile();
  ASSERT_OK(workloads_test::Up(db_.get(), bad, "0001"));
  EXPECT_FALSE(HasTimezoneColumn());
  // Every statement was skipped: only the ledger row tells it ran.
  ASSERT_OK(workloads_test::Down(db_.get(), bad, "0001"));
  EXPECT_EQ(DigestOf(db_.get()), start);

  ASSERT_OK(workloads_test::Up(db_.get(), LoadMigrations("migrations"), "0001"));
  EXPECT_TRUE(HasTimezoneColumn());
}

TEST_P(NegativeMigrationsTest, TheRetroInsertingOverwriteRollsBackExactly) {
  const std::vector<Migration> bad = WithNegative("0003_retro_inserting_overwrite");
  for (const char* v : {"0001", "0002"}) ASSERT_OK(workloads_test::Up(db_.get(), bad, v));
  const Digest start = DigestOf(db_.get());
  ASSERT_OK(workloads_test::Up(db_.get(), bad, "0003"));
  EXPECT_NE(DigestOf(db_.get()), start);
  ASSERT_OK(workloads_test::Down(db_.get(), bad, "0003"));
  EXPECT_EQ(DigestOf(db_.get()), start) << "it must fail only no_retro_inserted_steps";
}

INSTANTIATE_WORKLOAD_TEST(NegativeMigrationsTest);

}  // namespace
}  // namespace rehearse
