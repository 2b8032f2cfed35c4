// TimeoutJobProcessor: the campaign timeout job (seed 002) processing every
// pending timeout_jobs row whose run_at has come.
//
// For each due job, oldest first:
// - the execution has moved on (no_open no longer waiting_for_open,
//   no_click no longer waiting_for_click, no_reply no longer follow_up_sent,
//   or not 'waiting'): the job is cancelled as stale;
// - a no_click job whose execution has a calendar_click event: cancelled,
//   never transitioned ("calendar click validation still works");
// - otherwise the execution moves to follow_up_sent, the follow-up e-mail
//   '<type>_follow_up' is scheduled at `now`, and the job completes —
//     before the change (timeout_processing missing or without
//     'direct_transition'): through a synthetic no_open/no_click event
//     (data {"synthetic": true, "timeoutJobId", "timeoutType"}) and the
//     normal event path, reason 'Event: <type>';
//     after it (mode 'direct_transition', migration 0004): directly, no
//     event, reason 'Timeout: <type>', origin 'timeout'.
//
// Variants (TimeoutProcessing): the faithful processor obeys the switch; two
// known-bad ones ignore it — one still creates synthetic events, one
// transitions directly but schedules no follow-up e-mail.
//
// Observed: the switch and the origin column as the database has them, each
// job's status after, and every event, transition and e-mail row inserted.
#ifndef REHEARSE_SCENARIOS_WORKLOADS_TIMEOUT_JOB_PROCESSOR_H_
#define REHEARSE_SCENARIOS_WORKLOADS_TIMEOUT_JOB_PROCESSOR_H_

#include <string>

#include "scenarios/workloads/workload.h"

namespace rehearse {

enum class TimeoutProcessing {
  kFollowSwitch,                // the faithful processor
  kAlwaysSyntheticEvents,       // known bad: the switch is ignored, old path always
  kDirectWithoutFollowUpEmail,  // known bad: direct transitions, no e-mail scheduled
};

class TimeoutJobProcessor final : public Workload {
 public:
  explicit TimeoutJobProcessor(TimeoutProcessing processing = TimeoutProcessing::kFollowSwitch)
      : processing_(processing) {}

  // "timeout_job_processor", "timeout_job_processor_synthetic_events",
  // "timeout_job_processor_without_followup".
  std::string name() const override;
  Status Play(Database* db, const std::string& now, WorkloadRecord* record) override;

 private:
  TimeoutProcessing processing_;
};

}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_TIMEOUT_JOB_PROCESSOR_H_
