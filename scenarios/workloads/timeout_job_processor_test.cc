// TimeoutJobProcessor over fixture databases on both engines: before
// migration 0004 timeouts go through synthetic events; after it, directly,
// each with a 'Timeout:' reason and a follow-up e-mail; calendar clicks still
// cancel no_click timeouts; the known-bad processors fail their checks.
#include "scenarios/workloads/timeout_job_processor.h"

#include <set>

#include "scenarios/workloads/workload_test_support.h"

namespace rehearse {
namespace {

using workloads_test::Describe;
using workloads_test::kSunday;
using workloads_test::LoadMigrations;
using workloads_test::WorkloadDatabaseTest;

class TimeoutJobProcessorTest : public WorkloadDatabaseTest {
 protected:
  // Migrates to 0004 (0001, 0002, 0004: 0003 touches no campaign table).
  void UpTo0004() {
    const std::vector<Migration> migrations = LoadMigrations("migrations");
    for (const char* v : {"0001", "0002", "0004"}) {
      ASSERT_OK(workloads_test::Up(db_.get(), migrations, v));
    }
  }

  static size_t Count(const WorkloadRecord& r, TimeoutJobAction action) {
    size_t n = 0;
    for (const TimeoutJobOutcome& j : r.timeouts.jobs) n += j.action == action;
    return n;
  }
};

TEST_P(TimeoutJobProcessorTest, AfterMigration0004TimeoutsTransitionDirectlyWithAFollowUpEmail) {
  UpTo0004();
  TimeoutJobProcessor processor;
  const WorkloadRecord r = Play(processor, kSunday);

  EXPECT_EQ(r.timeouts.mode, "direct_transition");
  EXPECT_TRUE(r.timeouts.origin_column);
  ASSERT_GT(Count(r, TimeoutJobAction::kTransitioned), 0u);
  EXPECT_TRUE(r.timeouts.events.empty());
  EXPECT_EQ(r.timeouts.transitions.size(), Count(r, TimeoutJobAction::kTransitioned));
  EXPECT_EQ(r.timeouts.emails.size(), r.timeouts.transitions.size());
  for (const CreatedTransition& t : r.timeouts.transitions) {
    EXPECT_EQ(t.reason.rfind("Timeout: ", 0), 0u) << t.reason;
    EXPECT_EQ(t.origin.value_or(""), "timeout");
    EXPECT_EQ(t.to_state, "follow_up_sent");
  }
  for (const TimeoutJobOutcome& j : r.timeouts.jobs) {
    EXPECT_EQ(j.status_after,
              j.action == TimeoutJobAction::kTransitioned ? "completed" : "cancelled");
  }
  EXPECT_TRUE(NoSyntheticTimeoutEvents(r).passed()) << Describe(NoSyntheticTimeoutEvents(r));
  EXPECT_TRUE(TimeoutTransitionsScheduleFollowup(r).passed())
      << Describe(TimeoutTransitionsScheduleFollowup(r));
  EXPECT_TRUE(TimeoutTransitionsHaveTimeoutReason(r).passed())
      << Describe(TimeoutTransitionsHaveTimeoutReason(r));
}

TEST_P(TimeoutJobProcessorTest, NoClickTimeoutsAfterACalendarClickAreCancelledNotTransitioned) {
  UpTo0004();
  TimeoutJobProcessor processor;
  const WorkloadRecord r = Play(processor, kSunday);
  std::set<int64_t> transitioned;
  for (const CreatedTransition& t : r.timeouts.transitions) transitioned.insert(t.execution_id);
  size_t calendared = 0;
  for (const TimeoutJobOutcome& j : r.timeouts.jobs) {
    if (j.timeout_type != "no_click" || !j.had_calendar_click) continue;
    ++calendared;
    EXPECT_EQ(j.action, TimeoutJobAction::kCancelledCalendarClick) << j.job_id;
    EXPECT_EQ(j.status_after, "cancelled");
    EXPECT_FALSE(transitioned.count(j.execution_id)) << j.execution_id;
  }
  EXPECT_GT(calendared, 0u);  // the fixture's coverage tenant has one overdue
}

TEST_P(TimeoutJobProcessorTest, BeforeMigration0004TimeoutsGoThroughSyntheticEvents) {
  TimeoutJobProcessor processor;
  const WorkloadRecord r = Play(processor, kSunday);
  EXPECT_EQ(r.timeouts.mode, "synthetic_event");
  EXPECT_FALSE(r.timeouts.origin_column);
  ASSERT_GT(r.timeouts.events.size(), 0u);
  EXPECT_EQ(r.timeouts.events.size(), r.timeouts.transitions.size());
  for (const CreatedEvent& e : r.timeouts.events) EXPECT_TRUE(e.synthetic) << e.data;
  for (const CreatedTransition& t : r.timeouts.transitions) {
    EXPECT_EQ(t.reason.rfind("Event: ", 0), 0u) << t.reason;
    EXPECT_NE(t.event_id, 0);
    EXPECT_FALSE(t.origin.has_value());
  }
  // The change is not in force: the seed-002 checks have nothing to judge.
  EXPECT_EQ(NoSyntheticTimeoutEvents(r).status, CheckStatus::kSkip);
  EXPECT_EQ(TimeoutTransitionsHaveTimeoutReason(r).status, CheckStatus::kSkip);
}

TEST_P(TimeoutJobProcessorTest, AProcessorThatStillCreatesSyntheticEventsFailsItsChecks) {
  UpTo0004();
  TimeoutJobProcessor processor(TimeoutProcessing::kAlwaysSyntheticEvents);
  const WorkloadRecord r = Play(processor, kSunday);
  EXPECT_EQ(r.timeouts.mode, "direct_transition");  // what the database says, not the code
  const CheckResult synthetic = NoSyntheticTimeoutEvents(r);
  EXPECT_TRUE(synthetic.failed()) << Describe(synthetic);
  EXPECT_NE(synthetic.detail.find("synthetic timeout event"), std::string::npos);
  EXPECT_TRUE(TimeoutTransitionsHaveTimeoutReason(r).failed());
}

TEST_P(TimeoutJobProcessorTest, ADirectProcessorWithoutFollowUpEmailFailsItsCheck) {
  UpTo0004();
  TimeoutJobProcessor processor(TimeoutProcessing::kDirectWithoutFollowUpEmail);
  const WorkloadRecord r = Play(processor, kSunday);
  EXPECT_TRUE(r.timeouts.emails.empty());
  EXPECT_TRUE(NoSyntheticTimeoutEvents(r).passed());
  const CheckResult followup = TimeoutTransitionsScheduleFollowup(r);
  EXPECT_TRUE(followup.failed()) << Describe(followup);
  EXPECT_NE(followup.detail.find("without a follow-up e-mail"), std::string::npos);
}

TEST_P(TimeoutJobProcessorTest, AfterTheDownOf0004TheSwitchIsOffAgain) {
  UpTo0004();
  ASSERT_OK(workloads_test::Down(db_.get(), LoadMigrations("migrations"), "0004"));
  TimeoutJobProcessor processor;
  const WorkloadRecord r = Play(processor, kSunday);
  EXPECT_EQ(r.timeouts.mode, "synthetic_event");
  EXPECT_FALSE(r.timeouts.origin_column);
  EXPECT_FALSE(r.timeouts.events.empty());
}

INSTANTIATE_WORKLOAD_TEST(TimeoutJobProcessorTest);

}  // namespace
}  // namespace rehearse
