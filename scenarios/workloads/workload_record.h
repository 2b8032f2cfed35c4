// WorkloadRecord: what one play of a workload did, as read back from the
// database before the workload rolled its transaction back.
//
// Every field below marked "observed" was SELECTed from the database after
// the workload's writes — the rows it inserted, the rows it updated, the
// state it started from — never copied from the workload's own variables. So
// a check over a record (verifiers/workload_checks.h) sees what the application would
// have left behind, and fails when a migration (or a known-bad variant of the
// application) makes that wrong. The few fields that are the workload's
// configuration or intent say so.
//
// A record has one section per workload family; the sections of the other
// families stay empty.
#ifndef REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_RECORD_H_
#define REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_RECORD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/db/database.h"

namespace rehearse {

// ---- follow-up cron tick (seed 000) ---------------------------------------

// What the tick did with one due instance (intent; its effects are observed
// in the fields after it).
enum class FollowUpAction {
  kSent,                   // the next step went out (e-mail) or to a human (SMS, LinkedIn)
  kAwaitingApproval,       // the step needs approval: task created, instance paused
  kDeferredBusinessHours,  // outside the workspace's window: moved to its next opening
  kDeferredRateLimit,      // canSendFollowUp said no: moved to the next tick
  kSkippedCondition,       // the step's condition does not hold for the lead
  kCompleted,              // no step after current_step: the instance is done
  kHeldByWorkspace,        // follow-ups paused in the workspace, or sequence inactive
};
const char* FollowUpActionName(FollowUpAction action);

struct FollowUpDecision {
  FollowUpAction action = FollowUpAction::kSent;
  int64_t instance_id = 0;
  int64_t workspace_id = 0;
  int64_t sequence_id = 0;
  // Observed when the tick picked the instance.
  std::optional<std::string> paused_reason_before;  // of an active instance: left by someone
  int current_step_before = 0;
  int64_t current_step_id = 0;  // the step at current_step_before, 0 when none
  std::string next_step_due_before;
  // The step the tick chose (step_id 0 when none), observed.
  int64_t step_id = 0;
  int step_order = 0;
  std::string channel;
  // Observed after the tick's writes.
  std::string status_after;
  std::optional<std::string> paused_reason_after;
  int current_step_after = 0;
  std::optional<std::string> next_step_due_after;
  // The follow_up_tasks row the tick wrote, observed (task_id 0 when none):
  // 'completed' for an e-mail that went out, 'pending' for a human.
  int64_t task_id = 0;
  std::string task_channel;
  std::string task_status;
  std::optional<std::string> subject;
  std::optional<std::string> message;
  std::string local_time;  // the workspace's wall clock at "now", for people
};

// Where an open (active or paused) instance stood when the tick started.
struct InstancePosition {
  int64_t instance_id = 0;
  int64_t sequence_id = 0;
  std::string status;
  std::optional<std::string> paused_reason;
  int current_step = 0;
  int64_t current_step_id = 0;  // 0 when no step has that order
};

struct StepPosition {
  int64_t sequence_id = 0;
  int step_order = 0;
  int64_t offset_minutes = 0;  // day_offset * 1440 + minute_offset
};

struct CronTickRecord {
  std::map<std::string, int> rate_limits;  // configuration: per channel, per workspace, per tick
  std::vector<FollowUpDecision> decisions;
  std::vector<InstancePosition> open_instances;  // observed, by instance id
  std::map<int64_t, StepPosition> steps;         // observed: steps of open instances' sequences
};

// ---- restart recovery (seed 003) ------------------------------------------

enum class TimerSource { kTable, kLegacy };
const char* TimerSourceName(TimerSource source);

struct RecoveredTimer {
  int64_t timer_id = 0;
  int64_t participant_id = 0;
  std::string flow_type;
  std::string timer_type;
  std::string callback_type;
  std::string fire_at;
  TimerSource source = TimerSource::kTable;
};

struct RecoveryRecord {
  bool mutual_exclusion = true;          // configuration
  int64_t conversation_timers_seen = 0;  // observed by the exclusion test
  bool legacy_ran = false;               // intent: whether legacy recovery ran
  std::vector<RecoveredTimer> timers;    // observed: every timer scheduled
  // Observed before recovery: participants with a pending daily-prompt
  // reminder in flow_states.state_data or in active_timers, ascending.
  std::vector<int64_t> pending_reminder_participants;
};

// ---- timeout job processor (seed 002) -------------------------------------

enum class TimeoutJobAction { kTransitioned, kCancelledCalendarClick, kCancelledStale };
const char* TimeoutJobActionName(TimeoutJobAction action);

struct TimeoutJobOutcome {
  TimeoutJobAction action = TimeoutJobAction::kTransitioned;
  int64_t job_id = 0;
  int64_t execution_id = 0;
  std::string timeout_type;
  bool had_calendar_click = false;  // observed before the job ran
  std::string status_after;         // observed
};

struct CreatedEvent {
  int64_t event_id = 0;
  int64_t execution_id = 0;
  std::string event_type;
  std::string data;        // as stored (jsonb output / canonical text)
  bool synthetic = false;  // data's "synthetic" is JSON boolean true
};

struct CreatedTransition {
  int64_t transition_id = 0;
  int64_t execution_id = 0;
  std::string from_state;
  std::string to_state;
  std::string reason;
  int64_t event_id = 0;               // 0 when NULL
  std::optional<std::string> origin;  // nullopt when the column does not exist
};

struct ScheduledEmail {
  int64_t email_id = 0;
  int64_t execution_id = 0;
  int64_t timeout_job_id = 0;  // 0 when NULL
  std::string template_key;
  std::string send_at;
  std::string status;
};

struct TimeoutRecord {
  // Observed: the switch as the database holds it — "synthetic_event" when
  // timeout_processing is missing or empty — and whether
  // campaign_transitions.origin exists.
  std::string mode;
  bool origin_column = false;
  std::vector<TimeoutJobOutcome> jobs;
  std::vector<CreatedEvent> events;            // observed: rows inserted
  std::vector<CreatedTransition> transitions;  // observed: rows inserted
  std::vector<ScheduledEmail> emails;          // observed: rows inserted
};

// ---- the record -----------------------------------------------------------

// Which section of the record a workload filled.
enum class WorkloadKind { kNone, kFollowUpCronTick, kRestartRecovery, kTimeoutJobProcessor };
const char* WorkloadKindName(WorkloadKind kind);

struct WorkloadRecord {
  WorkloadKind kind = WorkloadKind::kNone;
  std::string workload;  // the registry name of the workload that played
  Dialect dialect = Dialect::kSqlite;
  std::string now;                 // the clock it played at (canonical text)
  std::vector<std::string> notes;  // anything a person should know (a zone that failed to load)

  CronTickRecord cron;
  RecoveryRecord recovery;
  TimeoutRecord timeouts;
};

// The record as JSON, for reports and for reproducing a failure by eye.
nlohmann::json WorkloadRecordToJson(const WorkloadRecord& record);

}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_RECORD_H_
