// FollowUpCronTick: one run of the outreach app's follow-up cron (seed 000).
//
// It picks the due instances — status 'active' and next_step_due <= now —
// oldest first, and for each finds the next step: the step of its sequence
// with the smallest step_order above current_step (current_step is the order
// of the last step sent). Then, in this order:
//   held      workspace follow-ups paused or sequence inactive: untouched;
//   complete  no next step: status 'completed';
//   defer     now is outside the workspace's business hours/days in its own
//             time zone (business_hours.h): next_step_due moves to the next
//             opening;
//   skip      the step's condition fails for the lead (has_phone,
//             has_linkedin/linkedin_connected, no_response = lead still
//             'new' or 'contacted'): current_step moves past it;
//   approve   the step requires approval: a pending task, instance paused
//             'awaiting_approval';
//   throttle  canSendFollowUp(workspace, channel) says the tick already sent
//             its limit: next_step_due moves to the next tick;
//   send      a follow_up_tasks row with the step's subject and message
//             rendered for the lead and workspace — 'completed' for an
//             e-mail (it went out), 'pending' for SMS and LinkedIn (a human
//             sends it) — and current_step = the step's order, last_step_at =
//             now, next_step_due = now + the spacing to the step after it.
//
// Known-bad variant "follow_up_cron_tick_unthrottled": no canSendFollowUp,
// so an overdue backlog (the flood seed 000 warns of) goes out in one tick.
//
// Observed: where every open instance stood (status, paused_reason,
// current_step and the id of the step it points at) and the steps of their
// sequences, before the tick; then each touched instance and each task row
// written, read back. A step chosen but deferred is recorded too, so the
// record says what the instance *would* get next even outside business hours
// (the harness clock, Sunday 2026-03-08, is outside most workspaces' days).
#ifndef REHEARSE_SCENARIOS_WORKLOADS_FOLLOW_UP_CRON_TICK_H_
#define REHEARSE_SCENARIOS_WORKLOADS_FOLLOW_UP_CRON_TICK_H_

#include <map>
#include <string>

#include "scenarios/workloads/workload.h"

namespace rehearse {

struct FollowUpCronTickOptions {
  // canSendFollowUp: sends per channel, per workspace, per tick (15 min). A
  // channel not listed is not limited. Deliberately tight — 8 e-mails an
  // hour per workspace, as a sender warming its domains would set it — so
  // that a backlog of a few overdue instances already shows as throttled.
  std::map<std::string, int> rate_limits = {{"email", 2}, {"sms", 2}, {"linkedin", 1}};
  bool enforce_rate_limit = true;  // false: the known-bad unthrottled variant
  // The cron cadence: a throttled send is retried at now + this.
  int64_t tick_interval_minutes = 15;
  std::string zoneinfo_dir = "/usr/share/zoneinfo";
};

class FollowUpCronTick final : public Workload {
 public:
  explicit FollowUpCronTick(FollowUpCronTickOptions options = {}) : options_(std::move(options)) {}

  // "follow_up_cron_tick", or "follow_up_cron_tick_unthrottled".
  std::string name() const override;
  Status Play(Database* db, const std::string& now, WorkloadRecord* record) override;

 private:
  FollowUpCronTickOptions options_;
};

}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_FOLLOW_UP_CRON_TICK_H_
