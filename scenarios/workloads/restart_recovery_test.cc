// RestartRecovery over fixture databases on both engines: seed 003's promise
// (each pending reminder scheduled exactly once) holds after migration 0001
// and only there; the variant without mutual exclusion doubles the
// reminders that live in both places.
#include "scenarios/workloads/restart_recovery.h"

#include <algorithm>

#include "fixtures/domain/fixture_spec.h"
#include "scenarios/workloads/workload_test_support.h"

namespace rehearse {
namespace {

using workloads_test::Describe;
using workloads_test::kSunday;
using workloads_test::LoadMigrations;
using workloads_test::WorkloadDatabaseTest;

// The coverage group's participant whose reminder sits in both homes
// (fixtures/conversation_plan.cc: group 0, participant 2).
constexpr int64_t kBothParticipant = FixtureId(0, 2);
// ... and the one whose reminder is only in state_data (participant 0).
constexpr int64_t kStateOnlyParticipant = FixtureId(0, 0);

class RestartRecoveryTest : public WorkloadDatabaseTest {
 protected:
  static size_t Reminders(const WorkloadRecord& r, int64_t participant) {
    return std::count_if(r.recovery.timers.begin(), r.recovery.timers.end(),
                         [&](const RecoveredTimer& t) {
                           return t.participant_id == participant && t.callback_type == "reminder";
                         });
  }
};

TEST_P(RestartRecoveryTest, AfterMigration0001EveryPendingReminderIsScheduledExactlyOnce) {
  ASSERT_OK(workloads_test::Up(db_.get(), LoadMigrations("migrations"), "0001"));
  RestartRecovery recovery;
  const WorkloadRecord record = Play(recovery, kSunday);

  ASSERT_EQ(record.kind, WorkloadKind::kRestartRecovery);
  EXPECT_GT(record.recovery.pending_reminder_participants.size(), 3u);
  // The table now covers every reminder, so exclusion skips legacy recovery.
  EXPECT_FALSE(record.recovery.legacy_ran);
  EXPECT_TRUE(NoDuplicateTimerRecovery(record).passed())
      << Describe(NoDuplicateTimerRecovery(record));
  EXPECT_TRUE(EveryPendingReminderRecovered(record).passed())
      << Describe(EveryPendingReminderRecovered(record));
  EXPECT_EQ(Reminders(record, kBothParticipant), 1u);
  EXPECT_EQ(Reminders(record, kStateOnlyParticipant), 1u);
}

TEST_P(RestartRecoveryTest, WithoutMutualExclusionTheBothParticipantsAreRemindedTwice) {
  ASSERT_OK(workloads_test::Up(db_.get(), LoadMigrations("migrations"), "0001"));
  RestartRecovery recovery(RestartRecoveryOptions{/*mutual_exclusion=*/false});
  const WorkloadRecord record = Play(recovery, kSunday);

  EXPECT_TRUE(record.recovery.legacy_ran);
  EXPECT_EQ(Reminders(record, kBothParticipant), 2u);
  const CheckResult check = NoDuplicateTimerRecovery(record);
  EXPECT_TRUE(check.failed()) << Describe(check);
  EXPECT_NE(check.detail.find(std::to_string(kBothParticipant) + " (table+legacy)"),
            std::string::npos)
      << check.detail;
}

TEST_P(RestartRecoveryTest, OnTheBaselineWithoutExclusionTheBothParticipantsAreDoubled) {
  RestartRecovery recovery(RestartRecoveryOptions{/*mutual_exclusion=*/false});
  const WorkloadRecord record = Play(recovery, kSunday);
  EXPECT_EQ(Reminders(record, kBothParticipant), 2u);
  EXPECT_EQ(Reminders(record, kStateOnlyParticipant), 1u);
  EXPECT_TRUE(NoDuplicateTimerRecovery(record).failed());
}

TEST_P(RestartRecoveryTest, OnTheBaselineExclusionAloneDropsStateDataOnlyReminders) {
  RestartRecovery recovery;
  const WorkloadRecord record = Play(recovery, kSunday);
  EXPECT_FALSE(record.recovery.legacy_ran);
  EXPECT_GT(record.recovery.conversation_timers_seen, 0);
  EXPECT_EQ(Reminders(record, kStateOnlyParticipant), 0u);
  EXPECT_TRUE(NoDuplicateTimerRecovery(record).passed());
  const CheckResult check = EveryPendingReminderRecovered(record);
  EXPECT_TRUE(check.failed()) << Describe(check);
  EXPECT_NE(check.detail.find(std::to_string(kStateOnlyParticipant)), std::string::npos)
      << check.detail;
}

TEST_P(RestartRecoveryTest, ChecksOfOtherWorkloadsSkipThisRecord) {
  RestartRecovery recovery;
  const WorkloadRecord record = Play(recovery, kSunday);
  EXPECT_EQ(NoSyntheticTimeoutEvents(record).status, CheckStatus::kSkip);
  EXPECT_EQ(NoOverdueFlood(record).status, CheckStatus::kSkip);
}

INSTANTIATE_WORKLOAD_TEST(RestartRecoveryTest);

}  // namespace
}  // namespace rehearse
