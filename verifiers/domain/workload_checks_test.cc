// The workload checks over hand-built records: each passes on a record that
// keeps its promise, fails naming the offending ids on one that breaks it,
// and skips what it cannot judge. The same checks over records played on
// real databases are in the workloads' own tests.
#include "verifiers/domain/workload_checks.h"

#include <gtest/gtest.h>

namespace rehearse {
namespace {

WorkloadRecord Recovery(std::vector<std::pair<int64_t, TimerSource>> reminders,
                        std::vector<int64_t> pending) {
  WorkloadRecord r;
  r.kind = WorkloadKind::kRestartRecovery;
  int64_t id = 1;
  for (const auto& [participant, source] : reminders) {
    r.recovery.timers.push_back(
        {id++, participant, "conversation", "once", "reminder", "2026-03-08 12:00:00+00", source});
  }
  r.recovery.pending_reminder_participants = std::move(pending);
  return r;
}

WorkloadRecord Timeouts(const std::string& mode) {
  WorkloadRecord r;
  r.kind = WorkloadKind::kTimeoutJobProcessor;
  r.timeouts.mode = mode;
  r.timeouts.origin_column = mode == "direct_transition";
  r.timeouts.jobs.push_back(
      {TimeoutJobAction::kTransitioned, 100, 10, "no_open", false, "completed"});
  r.timeouts.transitions.push_back(
      {500, 10, "waiting_for_open", "follow_up_sent", "Timeout: no_open", 0, "timeout"});
  r.timeouts.emails.push_back(
      {900, 10, 100, "no_open_follow_up", "2026-03-08 12:00:00+00", "scheduled"});
  return r;
}

FollowUpDecision Decision(int64_t instance, FollowUpAction action, int64_t step_id, int order) {
  FollowUpDecision d;
  d.instance_id = instance;
  d.workspace_id = 1;
  d.sequence_id = 7;
  d.action = action;
  d.step_id = step_id;
  d.step_order = order;
  d.channel = "email";
  return d;
}

WorkloadRecord Cron() {
  WorkloadRecord r;
  r.kind = WorkloadKind::kFollowUpCronTick;
  r.cron.rate_limits = {{"email", 2}};
  r.cron.steps = {{70, {7, 1, 2880}}, {71, {7, 2, 2910}}, {72, {7, 3, 7200}}};
  return r;
}

TEST(WorkloadChecksTest, DuplicateRemindersAreNamedWithTheirSources) {
  EXPECT_TRUE(NoDuplicateTimerRecovery(Recovery({{1, TimerSource::kTable}}, {1})).passed());
  const CheckResult r = NoDuplicateTimerRecovery(Recovery(
      {{1, TimerSource::kTable}, {3, TimerSource::kTable}, {3, TimerSource::kLegacy}}, {}));
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.detail, "1 participant reminded more than once: 3 (table+legacy)");
}

TEST(WorkloadChecksTest, ADroppedReminderIsNamed) {
  EXPECT_TRUE(EveryPendingReminderRecovered(Recovery({{1, TimerSource::kTable}}, {1})).passed());
  const CheckResult r = EveryPendingReminderRecovered(Recovery({{1, TimerSource::kTable}}, {1, 5}));
  EXPECT_TRUE(r.failed());
  EXPECT_NE(r.detail.find("participants 5"), std::string::npos) << r.detail;
}

TEST(WorkloadChecksTest, LongListsStopAtTenAndSayHowManyMore) {
  std::vector<std::pair<int64_t, TimerSource>> timers;
  for (int64_t p = 1; p <= 12; ++p) {
    timers.push_back({p, TimerSource::kTable});
    timers.push_back({p, TimerSource::kLegacy});
  }
  const CheckResult r = NoDuplicateTimerRecovery(Recovery(timers, {}));
  EXPECT_NE(r.detail.find("10 (table+legacy) and 2 more"), std::string::npos) << r.detail;
}

TEST(WorkloadChecksTest, TimeoutChecksPassADirectTransitionWithItsEmail) {
  const WorkloadRecord r = Timeouts("direct_transition");
  EXPECT_TRUE(NoSyntheticTimeoutEvents(r).passed());
  EXPECT_TRUE(TimeoutTransitionsScheduleFollowup(r).passed());
  EXPECT_TRUE(TimeoutTransitionsHaveTimeoutReason(r).passed());
}

TEST(WorkloadChecksTest, TimeoutChecksSkipWhileTheSwitchIsOff) {
  const WorkloadRecord r = Timeouts("synthetic_event");
  EXPECT_EQ(NoSyntheticTimeoutEvents(r).status, CheckStatus::kSkip);
  EXPECT_EQ(TimeoutTransitionsScheduleFollowup(r).status, CheckStatus::kSkip);
  EXPECT_EQ(TimeoutTransitionsHaveTimeoutReason(r).status, CheckStatus::kSkip);
  EXPECT_EQ(NoSyntheticTimeoutEvents(Cron()).status, CheckStatus::kSkip);
}

TEST(WorkloadChecksTest, AnEmailForAnotherJobDoesNotCount) {
  WorkloadRecord r = Timeouts("direct_transition");
  r.timeouts.emails[0].timeout_job_id = 0;  // scheduled, but not by this timeout
  const CheckResult c = TimeoutTransitionsScheduleFollowup(r);
  EXPECT_TRUE(c.failed());
  EXPECT_NE(c.detail.find("execution 10 (transition 500)"), std::string::npos) << c.detail;
}

TEST(WorkloadChecksTest, AWrongOriginOrAnEventFailsTheTimeoutReason) {
  WorkloadRecord r = Timeouts("direct_transition");
  r.timeouts.transitions[0].origin = "event";
  EXPECT_TRUE(TimeoutTransitionsHaveTimeoutReason(r).failed());
  r = Timeouts("direct_transition");
  r.timeouts.transitions[0].event_id = 42;
  EXPECT_TRUE(TimeoutTransitionsHaveTimeoutReason(r).failed());
  r = Timeouts("direct_transition");
  r.timeouts.transitions[0].reason = "timeout: no_open";  // case matters: reports group on it
  EXPECT_TRUE(TimeoutTransitionsHaveTimeoutReason(r).failed());
}

TEST(WorkloadChecksTest, ASyntheticEventFailsAfterTheChange) {
  WorkloadRecord r = Timeouts("direct_transition");
  r.timeouts.events.push_back({800, 10, "no_open", "{\"synthetic\": true}", true});
  const CheckResult c = NoSyntheticTimeoutEvents(r);
  EXPECT_TRUE(c.failed());
  EXPECT_NE(c.detail.find("event 800 (no_open, execution 10)"), std::string::npos) << c.detail;
}

TEST(WorkloadChecksTest, PausedForApprovalButActedOnFailsEvenAlone) {
  WorkloadRecord after = Cron();
  after.cron.decisions.push_back(Decision(1, FollowUpAction::kSent, 71, 2));
  EXPECT_TRUE(PausedNotResumed(after).passed());
  after.cron.decisions[0].paused_reason_before = "awaiting_approval";
  EXPECT_TRUE(PausedNotResumed(after).failed());
  // Scheduling pauses may be resumed by the migration.
  after.cron.decisions[0].paused_reason_before = "rate_limited";
  EXPECT_TRUE(PausedNotResumed(after).passed());
}

TEST(WorkloadChecksTest, PausedBeforeAndActedOnAfterFailsWithBefore) {
  WorkloadRecord before = Cron();
  before.cron.open_instances.push_back({1, 7, "paused", "linkedin_unreachable", 1, 70});
  WorkloadRecord after = Cron();
  after.cron.decisions.push_back(Decision(1, FollowUpAction::kDeferredBusinessHours, 71, 2));
  EXPECT_TRUE(PausedNotResumed(after).passed());  // the reason was cleared too
  const CheckResult c = PausedNotResumed(after, &before);
  EXPECT_TRUE(c.failed());
  EXPECT_NE(c.detail.find("paused 'linkedin_unreachable' before"), std::string::npos) << c.detail;
}

TEST(WorkloadChecksTest, AStepAtOrBeforeTheReachedOneIsRetroInserted) {
  WorkloadRecord before = Cron();
  before.cron.open_instances.push_back({1, 7, "active", std::nullopt, 1, 70});
  before.cron.open_instances.push_back({2, 7, "active", std::nullopt, 0, 0});
  WorkloadRecord after = Cron();
  after.cron.decisions.push_back(Decision(1, FollowUpAction::kSent, 71, 2));
  after.cron.decisions.push_back(Decision(2, FollowUpAction::kSent, 70, 1));
  EXPECT_TRUE(NoRetroInsertedSteps(before, after).passed());

  // Step 70 moved to order 2 (a new step went in front); current_step stayed 1.
  after.cron.steps = {{69, {7, 1, 30}}, {70, {7, 2, 2880}}, {71, {7, 3, 2910}}};
  after.cron.decisions[0] = Decision(1, FollowUpAction::kSent, 70, 2);
  const CheckResult c = NoRetroInsertedSteps(before, after);
  EXPECT_TRUE(c.failed());
  EXPECT_NE(c.detail.find("1 (would get step 70 at order 2, had reached step 70"),
            std::string::npos)
      << c.detail;
}

TEST(WorkloadChecksTest, RetroInsertionWarnsWhenNoReachedStepSurvives) {
  WorkloadRecord before = Cron();
  before.cron.open_instances.push_back({1, 7, "active", std::nullopt, 1, 70});
  WorkloadRecord after = Cron();
  after.cron.steps = {{80, {7, 1, 30}}, {81, {7, 2, 2880}}};  // every step re-created
  after.cron.decisions.push_back(Decision(1, FollowUpAction::kSent, 81, 2));
  EXPECT_EQ(NoRetroInsertedSteps(before, after).status, CheckStatus::kWarn);
  EXPECT_EQ(NoRetroInsertedSteps(Recovery({}, {}), after).status, CheckStatus::kSkip);
}

TEST(WorkloadChecksTest, MoreSendsThanCanSendFollowUpAllowsIsAFlood) {
  WorkloadRecord r = Cron();
  for (int64_t i = 1; i <= 3; ++i) {
    FollowUpDecision d = Decision(i, FollowUpAction::kSent, 71, 2);
    d.task_id = 100 + i;
    d.task_channel = "email";
    r.cron.decisions.push_back(d);
  }
  const CheckResult c = NoOverdueFlood(r);
  EXPECT_TRUE(c.failed());
  EXPECT_NE(c.detail.find("workspace 1 email 3 > 2"), std::string::npos) << c.detail;
  r.cron.decisions.pop_back();
  EXPECT_TRUE(NoOverdueFlood(r).passed());
  // A send the tick claims but whose task row is not there is not counted.
  r.cron.decisions[0].task_id = 0;
  EXPECT_TRUE(NoOverdueFlood(r).passed());
}

TEST(WorkloadChecksTest, EveryCheckIsFoundByItsName) {
  for (const WorkloadCheck& c : WorkloadChecks()) {
    EXPECT_EQ(FindWorkloadCheck(c.name), &c);
  }
  EXPECT_EQ(FindWorkloadCheck("no_such_check"), nullptr);
  const WorkloadCheck* retro = FindWorkloadCheck("no_retro_inserted_steps");
  ASSERT_NE(retro, nullptr);
  EXPECT_EQ(retro->run(nullptr, Cron()).status, CheckStatus::kSkip);
}

}  // namespace
}  // namespace rehearse
