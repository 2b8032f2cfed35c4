// FollowUpCronTick over fixture databases on both engines: business hours in
// each workspace's zone, canSendFollowUp, rendered copy, and the seed-000
// checks — including the retro-inserting overwrite of scenarios/negative/.
#include "scenarios/workloads/follow_up_cron_tick.h"

#include "scenarios/workloads/workload_test_support.h"

namespace rehearse {
namespace {

using workloads_test::Describe;
using workloads_test::kMonday;
using workloads_test::kSunday;
using workloads_test::LoadMigrations;
using workloads_test::WithNegative;
using workloads_test::WorkloadDatabaseTest;

class FollowUpCronTickTest : public WorkloadDatabaseTest {
 protected:
  static size_t Count(const WorkloadRecord& r, FollowUpAction action) {
    size_t n = 0;
    for (const FollowUpDecision& d : r.cron.decisions) n += d.action == action;
    return n;
  }
  static const FollowUpDecision* Find(const WorkloadRecord& r, int64_t instance) {
    for (const FollowUpDecision& d : r.cron.decisions) {
      if (d.instance_id == instance) return &d;
    }
    return nullptr;
  }
};

TEST_P(FollowUpCronTickTest, OnSundayWorkspaceZeroDefersToMondayNineInNewYork) {
  FollowUpCronTick tick;
  const WorkloadRecord r = Play(tick, kSunday);
  ASSERT_EQ(r.kind, WorkloadKind::kFollowUpCronTick);
  ASSERT_FALSE(r.cron.decisions.empty());
  // Workspace 0 is America/New_York, mon..fri; the harness clock is Sunday
  // 08:00 EDT (clocks sprang forward at 07:00 UTC that morning).
  size_t deferred = 0;
  for (const FollowUpDecision& d : r.cron.decisions) {
    if (d.workspace_id != FixtureId(0, 0) || d.action != FollowUpAction::kDeferredBusinessHours) {
      continue;
    }
    ++deferred;
    EXPECT_EQ(d.local_time, "Sun 08:00");
    // 09:00 EDT on Monday, or whatever later start the workspace has.
    EXPECT_GE(d.next_step_due_after.value_or(""), "2026-03-09 12:00:00+00");
    EXPECT_LE(d.next_step_due_after.value_or(""), "2026-03-09 14:00:00+00");
    EXPECT_NE(d.step_id, 0);  // the step it will get is recorded even so
    EXPECT_EQ(d.task_id, 0);
  }
  EXPECT_GT(deferred, 0u);
}

TEST_P(FollowUpCronTickTest, OnMondayDueStepsGoOutWithTheirCopyRendered) {
  FollowUpCronTick tick;
  const WorkloadRecord r = Play(tick, kMonday);
  ASSERT_GT(Count(r, FollowUpAction::kSent), 0u);
  for (const FollowUpDecision& d : r.cron.decisions) {
    if (d.action != FollowUpAction::kSent) continue;
    EXPECT_NE(d.task_id, 0) << d.instance_id;
    EXPECT_EQ(d.task_channel, d.channel);
    EXPECT_EQ(d.task_status, d.channel == "email" ? "completed" : "pending");
    EXPECT_EQ(d.current_step_after, d.step_order);
    ASSERT_TRUE(d.message.has_value());
    EXPECT_EQ(d.message->find("{firstName}"), std::string::npos) << *d.message;
    EXPECT_EQ(d.message->find("{calendarLink}"), std::string::npos) << *d.message;
  }
  for (const FollowUpDecision& d : r.cron.decisions) {
    if (d.action != FollowUpAction::kAwaitingApproval) continue;
    EXPECT_EQ(d.status_after, "paused");
    EXPECT_EQ(d.paused_reason_after.value_or(""), "awaiting_approval");
    EXPECT_EQ(d.task_status, "pending");
  }
  EXPECT_TRUE(PausedNotResumed(r).passed()) << Describe(PausedNotResumed(r));
  EXPECT_TRUE(NoOverdueFlood(r).passed()) << Describe(NoOverdueFlood(r));
}

TEST_P(FollowUpCronTickTest, CanSendFollowUpThrottlesAndTheUnthrottledTickFloods) {
  FollowUpCronTickOptions strict;
  strict.rate_limits = {{"email", 1}, {"sms", 1}, {"linkedin", 1}};
  FollowUpCronTick tick(strict);
  const WorkloadRecord limited = Play(tick, kMonday);
  EXPECT_GT(Count(limited, FollowUpAction::kDeferredRateLimit), 0u);
  EXPECT_TRUE(NoOverdueFlood(limited).passed()) << Describe(NoOverdueFlood(limited));

  FollowUpCronTickOptions unthrottled = strict;
  unthrottled.enforce_rate_limit = false;
  FollowUpCronTick flood(unthrottled);
  EXPECT_EQ(flood.name(), "follow_up_cron_tick_unthrottled");
  const WorkloadRecord flooded = Play(flood, kMonday);
  EXPECT_EQ(Count(flooded, FollowUpAction::kDeferredRateLimit), 0u);
  const CheckResult check = NoOverdueFlood(flooded);
  EXPECT_TRUE(check.failed()) << Describe(check);
  EXPECT_NE(check.detail.find("over canSendFollowUp"), std::string::npos) << check.detail;
}

TEST_P(FollowUpCronTickTest, ARetroInsertingOverwriteFailsNoRetroInsertedSteps) {
  const std::vector<Migration> migrations = WithNegative("0003_retro_inserting_overwrite");
  for (const char* v : {"0001", "0002"}) ASSERT_OK(workloads_test::Up(db_.get(), migrations, v));
  FollowUpCronTick tick;
  const WorkloadRecord before = Play(tick, kMonday);
  ASSERT_OK(workloads_test::Up(db_.get(), migrations, "0003"));
  const WorkloadRecord after = Play(tick, kMonday);
  const CheckResult check = NoRetroInsertedSteps(before, after);
  EXPECT_TRUE(check.failed()) << Describe(check);
  EXPECT_NE(check.detail.find("had reached step"), std::string::npos) << check.detail;
}

TEST_P(FollowUpCronTickTest, AMigrationThatLeavesSequencesAloneRetroInsertsNothing) {
  FollowUpCronTick tick;
  const WorkloadRecord before = Play(tick, kMonday);
  ASSERT_OK(workloads_test::Up(db_.get(), LoadMigrations("migrations"), "0001"));
  const WorkloadRecord after = Play(tick, kMonday);
  const CheckResult check = NoRetroInsertedSteps(before, after);
  EXPECT_TRUE(check.passed()) << Describe(check);
  EXPECT_TRUE(PausedNotResumed(after, &before).passed())
      << Describe(PausedNotResumed(after, &before));
}

TEST_P(FollowUpCronTickTest, ResumingInstancesPausedForApprovalFailsPausedNotResumed) {
  FollowUpCronTick tick;
  const WorkloadRecord before = Play(tick, kMonday);
  // What a careless overwrite does: every paused instance back to active.
  ASSERT_OK(
      db_->Execute("UPDATE follow_up_instances SET status = 'active' WHERE status = 'paused'"));
  const WorkloadRecord after = Play(tick, kMonday);
  const CheckResult alone = PausedNotResumed(after);
  EXPECT_TRUE(alone.failed()) << Describe(alone);
  const CheckResult compared = PausedNotResumed(after, &before);
  EXPECT_TRUE(compared.failed()) << Describe(compared);
  EXPECT_NE(compared.detail.find("linkedin_unreachable"), std::string::npos) << compared.detail;
}

INSTANTIATE_WORKLOAD_TEST(FollowUpCronTickTest);

}  // namespace
}  // namespace rehearse
