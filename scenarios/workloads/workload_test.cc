// The registry and the Play contract: every known-bad workload, played by
// name at its clock on a database where its seed's change is in force, fails
// the check it names, and the faithful workload of the same seed passes it;
// every workload leaves the database byte-identical; bad input is refused
// before anything runs.
#include "scenarios/workloads/workload.h"

#include "scenarios/workloads/workload_test_support.h"

namespace rehearse {
namespace {

using workloads_test::Describe;
using workloads_test::DigestOf;
using workloads_test::kSunday;
using workloads_test::LoadMigrations;
using workloads_test::WorkloadDatabaseTest;

TEST(WorkloadRegistryTest, EveryKnownBadWorkloadNamesACheckThatExists) {
  WorkloadRegistry registry;
  ASSERT_OK(MakeWorkloadRegistry(&registry));
  size_t known_bad = 0;
  for (const WorkloadEntry* entry : registry.Entries()) {
    std::unique_ptr<Workload> workload;
    ASSERT_OK(registry.Make(entry->name, &workload));
    EXPECT_EQ(workload->name(), entry->name);
    if (entry->must_fail.empty()) continue;
    ++known_bad;
    const WorkloadCheck* check = FindWorkloadCheck(entry->must_fail);
    ASSERT_NE(check, nullptr) << entry->name << " names " << entry->must_fail;
    EXPECT_EQ(std::string(check->seed), entry->seed) << entry->name;
  }
  EXPECT_EQ(known_bad, 4u);
}

TEST(WorkloadRegistryTest, AnUnknownNameIsNotFoundAndListsTheKnownOnes) {
  std::unique_ptr<Workload> workload;
  WorkloadRegistry registry;
  ASSERT_OK(MakeWorkloadRegistry(&registry));
  const Status s = registry.Make("cron", &workload);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("follow_up_cron_tick"), std::string::npos) << s.message();
}

TEST(WorkloadRegistryTest, ANameCannotBeRegisteredTwice) {
  WorkloadRegistry registry;
  ASSERT_OK(MakeWorkloadRegistry(&registry));
  WorkloadEntry again = *registry.Find("restart_recovery");
  EXPECT_EQ(registry.Register(again).code(), Status::Code::kInvalidInput);
}

class WorkloadPlayTest : public WorkloadDatabaseTest {
 protected:
  // Brings the database to where `seed`'s change is in force: 0004 for the
  // timeout processor, 0001 for recovery, the baseline for the cron tick.
  void ApplyChangeOf(const std::string& seed) {
    const std::vector<Migration> migrations = LoadMigrations("migrations");
    std::vector<const char*> versions;
    if (seed == "002") versions = {"0001", "0002", "0004"};
    if (seed == "003") versions = {"0001"};
    for (const char* v : versions) ASSERT_OK(workloads_test::Up(db_.get(), migrations, v));
  }
};

TEST_P(WorkloadPlayTest, EveryKnownBadWorkloadFailsItsCheckAndTheFaithfulOnePassesIt) {
  WorkloadRegistry registry;
  ASSERT_OK(MakeWorkloadRegistry(&registry));
  for (const char* seed : {"000", "002", "003"}) {
    SetUp();  // a fresh clone per seed
    ApplyChangeOf(seed);
    for (const WorkloadEntry* bad : registry.Entries()) {
      if (bad->seed != seed || bad->must_fail.empty()) continue;
      const WorkloadCheck* check = FindWorkloadCheck(bad->must_fail);
      ASSERT_NE(check, nullptr);
      const std::string now = bad->clock.empty() ? kSunday : bad->clock;
      std::unique_ptr<Workload> workload;
      ASSERT_OK(registry.Make(bad->name, &workload));
      const CheckResult failed = check->run(nullptr, Play(*workload, now));
      EXPECT_TRUE(failed.failed())
          << bad->name << " / " << bad->must_fail << ": " << Describe(failed);

      for (const WorkloadEntry* good : registry.Entries()) {
        if (good->seed != seed || !good->must_fail.empty()) continue;
        ASSERT_OK(registry.Make(good->name, &workload));
        const CheckResult passed = check->run(nullptr, Play(*workload, now));
        EXPECT_TRUE(passed.passed())
            << good->name << " / " << bad->must_fail << ": " << Describe(passed);
      }
    }
  }
}

TEST_P(WorkloadPlayTest, EveryWorkloadLeavesTheDatabaseByteIdentical) {
  ApplyChangeOf("002");  // 0001, 0002 and 0004: every workload has work to do
  const Digest start = DigestOf(db_.get());
  WorkloadRegistry registry;
  ASSERT_OK(MakeWorkloadRegistry(&registry));
  for (const WorkloadEntry* entry : registry.Entries()) {
    std::unique_ptr<Workload> workload;
    ASSERT_OK(registry.Make(entry->name, &workload));
    WorkloadRecord record = Play(*workload, entry->clock.empty() ? kSunday : entry->clock);
    EXPECT_EQ(record.workload, entry->name);
    EXPECT_EQ(record.dialect, dialect());
    EXPECT_NE(record.kind, WorkloadKind::kNone);
  }
  EXPECT_EQ(DigestOf(db_.get()), start);
}

TEST_P(WorkloadPlayTest, BadInputIsRefusedBeforeAnythingRuns) {
  WorkloadRegistry registry;
  ASSERT_OK(MakeWorkloadRegistry(&registry));
  std::unique_ptr<Workload> workload;
  ASSERT_OK(registry.Make("timeout_job_processor", &workload));
  WorkloadRecord record;
  for (const char* now : {"2026-03-08T12:00:00Z", "2026-03-08 12:00:00", "yesterday"}) {
    EXPECT_EQ(workload->Play(db_.get(), now, &record).code(), Status::Code::kInvalidInput) << now;
  }
  ASSERT_OK(db_->Begin());
  EXPECT_EQ(workload->Play(db_.get(), kSunday, &record).code(), Status::Code::kInvalidInput);
  ASSERT_OK(db_->Rollback());
}

TEST_P(WorkloadPlayTest, AFailingWorkloadStillRollsBackWhatItWrote) {
  // A trigger refuses the follow-up e-mail, which the processor writes after
  // the event, the transition and the execution's update: all of those must
  // be undone, and the database usable again.
  const char* refuse =
      dialect() == Dialect::kPostgres
          ? "CREATE FUNCTION refuse_email() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'e-mail refused'; END $$;\n"
            "CREATE TRIGGER refuse_email BEFORE INSERT ON scheduled_follow_up_emails "
            "FOR EACH ROW EXECUTE FUNCTION refuse_email();"
          : "CREATE TRIGGER refuse_email BEFORE INSERT ON scheduled_follow_up_emails "
            "BEGIN SELECT RAISE(ABORT, 'e-mail refused'); END;";
  ASSERT_OK(db_->ExecuteScript(SqlScript::Parse(refuse)));
  const Digest start = DigestOf(db_.get());
  std::unique_ptr<Workload> workload;
  WorkloadRegistry registry;
  ASSERT_OK(MakeWorkloadRegistry(&registry));
  ASSERT_OK(registry.Make("timeout_job_processor", &workload));
  WorkloadRecord record;
  const Status s = workload->Play(db_.get(), kSunday, &record);
  EXPECT_EQ(s.code(), Status::Code::kDatabase) << s.ToString();
  EXPECT_NE(s.message().find("e-mail refused"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("workload timeout_job_processor"), std::string::npos);
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(DigestOf(db_.get()), start);
}

INSTANTIATE_WORKLOAD_TEST(WorkloadPlayTest);

// dialect_parity for the workloads: the same fixture gives the same record on
// both engines, up to the dialect's name — ids, timestamps, JSON and copy
// are read back as the same text.
TEST(WorkloadParityTest, EveryWorkloadRecordsTheSameOnBothEngines) {
  WorkloadRegistry registry;
  ASSERT_OK(MakeWorkloadRegistry(&registry));
  for (uint64_t seed : {uint64_t{3}, uint64_t{20260308}}) {
    std::unique_ptr<Database> postgres, sqlite;
    ASSERT_OK(workloads_test::FixtureDatabases::Open(Dialect::kPostgres, seed, &postgres));
    ASSERT_OK(workloads_test::FixtureDatabases::Open(Dialect::kSqlite, seed, &sqlite));
    for (Database* db : {postgres.get(), sqlite.get()}) {
      const std::vector<Migration> migrations = LoadMigrations("migrations");
      for (const char* v : {"0001", "0002", "0004"})
        ASSERT_OK(workloads_test::Up(db, migrations, v));
    }
    for (const WorkloadEntry* entry : registry.Entries()) {
      const std::string now = entry->clock.empty() ? kSunday : entry->clock;
      nlohmann::json records[2];
      Database* dbs[2] = {postgres.get(), sqlite.get()};
      for (int i = 0; i < 2; ++i) {
        std::unique_ptr<Workload> workload;
        ASSERT_OK(registry.Make(entry->name, &workload));
        WorkloadRecord record;
        ASSERT_OK(workload->Play(dbs[i], now, &record));
        records[i] = WorkloadRecordToJson(record);
        records[i].erase("dialect");
      }
      EXPECT_EQ(records[0], records[1]) << entry->name << " seed " << seed << "\n"
                                        << nlohmann::json::diff(records[0], records[1]).dump(1);
      EXPECT_EQ(records[0]["workload"], entry->name);
    }
  }
}

}  // namespace
}  // namespace rehearse
