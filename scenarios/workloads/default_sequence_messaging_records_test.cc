// Seed 000's promises on the real migration 0003 (C++, migrations/code/),
// judged on the follow-up cron tick's records before and after it on both
// engines: no retro-inserted step, paused stays paused, the overdue backlog
// is throttled rather than flooded — and the same holds after its rollback.
#include "migrations/code/data_migrations.h"
#include "scenarios/workloads/follow_up_cron_tick.h"
#include "scenarios/workloads/workload_test_support.h"

namespace rehearse {
namespace {

using workloads_test::Describe;
using workloads_test::DigestOf;
using workloads_test::kMonday;
using workloads_test::kSunday;
using workloads_test::Version;
using workloads_test::WorkloadDatabaseTest;

class DefaultSequenceMessagingRecordsTest : public WorkloadDatabaseTest {
 protected:
  void SetUp() override {
    WorkloadDatabaseTest::SetUp();
    ASSERT_OK(RegisterDataMigrations(&registry_));
    FolderMigrationSourceOptions source_options;
    source_options.gaps = GapRule::kNone;
    FolderMigrationSource source(workloads_test::RepoPath("migrations"), source_options);
    ASSERT_OK(source.Load(&migrations_));
    options_.registry = &registry_;
    options_.identity = "workloads-test";  // a data migration binds its artifact to it
    for (const char* v : {"0001", "0002"}) {
      MigrationReport report;
      ASSERT_OK(Migrator(db_.get(), migrations_, options_).Up(Only(v), &report));
    }
  }

  static MigrationRange Only(const char* v) { return MigrationRange::Only(Version(v)); }

  DataMigrationRegistry registry_;
  std::vector<Migration> migrations_;
  MigratorOptions options_;
};

TEST_P(DefaultSequenceMessagingRecordsTest, TheCronTickKeepsSeedZeroPromisesAcrossUpAndDown) {
  for (const std::string& now : {kMonday, kSunday}) {
    SCOPED_TRACE(now);
    FollowUpCronTick tick;
    const WorkloadRecord before = Play(tick, now);
    const Digest start = DigestOf(db_.get());

    Migrator migrator(db_.get(), migrations_, options_);
    MigrationReport up;
    ASSERT_OK(migrator.Up(Only("0003"), &up));
    const WorkloadRecord after = Play(tick, now);
    const CheckResult retro = NoRetroInsertedSteps(before, after);
    EXPECT_TRUE(retro.passed()) << Describe(retro);
    EXPECT_NE(retro.detail.rfind("0 progressed", 0), 0u) << "nothing was judged";
    EXPECT_TRUE(PausedNotResumed(after, &before).passed())
        << Describe(PausedNotResumed(after, &before));
    EXPECT_TRUE(NoOverdueFlood(after).passed()) << Describe(NoOverdueFlood(after));

    std::vector<RollbackArtifact> artifacts;
    for (const MigrationStep& step : up.steps) {
      if (step.artifact) artifacts.push_back(*step.artifact);
    }
    MigrationReport down;
    ASSERT_OK(migrator.Down(Only("0003"), artifacts, &down));
    EXPECT_EQ(DigestOf(db_.get()), start);
  }
}

INSTANTIATE_WORKLOAD_TEST(DefaultSequenceMessagingRecordsTest);

}  // namespace
}  // namespace rehearse
