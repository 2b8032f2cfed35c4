#include "scenarios/workloads/workload_record.h"

namespace rehearse {

namespace {

nlohmann::json Optional(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json CronToJson(const CronTickRecord& cron) {
  nlohmann::json decisions = nlohmann::json::array();
  for (const FollowUpDecision& d : cron.decisions) {
    decisions.push_back({
        {"action", FollowUpActionName(d.action)},
        {"instance_id", d.instance_id},
        {"workspace_id", d.workspace_id},
        {"sequence_id", d.sequence_id},
        {"paused_reason_before", Optional(d.paused_reason_before)},
        {"current_step_before", d.current_step_before},
        {"current_step_id", d.current_step_id},
        {"next_step_due_before", d.next_step_due_before},
        {"step_id", d.step_id},
        {"step_order", d.step_order},
        {"channel", d.channel},
        {"status_after", d.status_after},
        {"paused_reason_after", Optional(d.paused_reason_after)},
        {"current_step_after", d.current_step_after},
        {"next_step_due_after", Optional(d.next_step_due_after)},
        {"task_id", d.task_id},
        {"task_channel", d.task_channel},
        {"task_status", d.task_status},
        {"subject", Optional(d.subject)},
        {"message", Optional(d.message)},
        {"local_time", d.local_time},
    });
  }
  return {{"rate_limits", cron.rate_limits},
          {"decisions", std::move(decisions)},
          {"open_instances", cron.open_instances.size()},
          {"steps", cron.steps.size()}};
}

nlohmann::json RecoveryToJson(const RecoveryRecord& recovery) {
  nlohmann::json timers = nlohmann::json::array();
  for (const RecoveredTimer& t : recovery.timers) {
    timers.push_back({{"timer_id", t.timer_id},
                      {"participant_id", t.participant_id},
                      {"flow_type", t.flow_type},
                      {"timer_type", t.timer_type},
                      {"callback_type", t.callback_type},
                      {"fire_at", t.fire_at},
                      {"source", TimerSourceName(t.source)}});
  }
  return {{"mutual_exclusion", recovery.mutual_exclusion},
          {"conversation_timers_seen", recovery.conversation_timers_seen},
          {"legacy_ran", recovery.legacy_ran},
          {"timers", std::move(timers)},
          {"pending_reminder_participants", recovery.pending_reminder_participants}};
}

nlohmann::json TimeoutsToJson(const TimeoutRecord& t) {
  nlohmann::json jobs = nlohmann::json::array();
  for (const TimeoutJobOutcome& j : t.jobs) {
    jobs.push_back({{"action", TimeoutJobActionName(j.action)},
                    {"job_id", j.job_id},
                    {"execution_id", j.execution_id},
                    {"timeout_type", j.timeout_type},
                    {"had_calendar_click", j.had_calendar_click},
                    {"status_after", j.status_after}});
  }
  nlohmann::json events = nlohmann::json::array();
  for (const CreatedEvent& e : t.events) {
    events.push_back({{"event_id", e.event_id},
                      {"execution_id", e.execution_id},
                      {"event_type", e.event_type},
                      {"data", e.data},
                      {"synthetic", e.synthetic}});
  }
  nlohmann::json transitions = nlohmann::json::array();
  for (const CreatedTransition& tr : t.transitions) {
    transitions.push_back({{"transition_id", tr.transition_id},
                           {"execution_id", tr.execution_id},
                           {"from_state", tr.from_state},
                           {"to_state", tr.to_state},
                           {"reason", tr.reason},
                           {"event_id", tr.event_id},
                           {"origin", Optional(tr.origin)}});
  }
  nlohmann::json emails = nlohmann::json::array();
  for (const ScheduledEmail& e : t.emails) {
    emails.push_back({{"email_id", e.email_id},
                      {"execution_id", e.execution_id},
                      {"timeout_job_id", e.timeout_job_id},
                      {"template_key", e.template_key},
                      {"send_at", e.send_at},
                      {"status", e.status}});
  }
  return {{"mode", t.mode},
          {"origin_column", t.origin_column},
          {"jobs", std::move(jobs)},
          {"events", std::move(events)},
          {"transitions", std::move(transitions)},
          {"emails", std::move(emails)}};
}

}  // namespace

const char* FollowUpActionName(FollowUpAction action) {
  switch (action) {
    case FollowUpAction::kSent:
      return "sent";
    case FollowUpAction::kAwaitingApproval:
      return "awaiting_approval";
    case FollowUpAction::kDeferredBusinessHours:
      return "deferred_business_hours";
    case FollowUpAction::kDeferredRateLimit:
      return "deferred_rate_limit";
    case FollowUpAction::kSkippedCondition:
      return "skipped_condition";
    case FollowUpAction::kCompleted:
      return "completed";
    case FollowUpAction::kHeldByWorkspace:
      return "held_by_workspace";
  }
  return "?";
}

const char* WorkloadKindName(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::kNone:
      return "none";
    case WorkloadKind::kFollowUpCronTick:
      return "follow_up_cron_tick";
    case WorkloadKind::kRestartRecovery:
      return "restart_recovery";
    case WorkloadKind::kTimeoutJobProcessor:
      return "timeout_job_processor";
  }
  return "?";
}

const char* TimerSourceName(TimerSource source) {
  return source == TimerSource::kLegacy ? "legacy" : "table";
}

const char* TimeoutJobActionName(TimeoutJobAction action) {
  switch (action) {
    case TimeoutJobAction::kTransitioned:
      return "transitioned";
    case TimeoutJobAction::kCancelledCalendarClick:
      return "cancelled_calendar_click";
    case TimeoutJobAction::kCancelledStale:
      return "cancelled_stale";
  }
  return "?";
}

nlohmann::json WorkloadRecordToJson(const WorkloadRecord& record) {
  nlohmann::json out = {{"kind", WorkloadKindName(record.kind)},
                        {"workload", record.workload},
                        {"dialect", DialectName(record.dialect)},
                        {"now", record.now},
                        {"notes", record.notes}};
  switch (record.kind) {
    case WorkloadKind::kFollowUpCronTick:
      out["cron"] = CronToJson(record.cron);
      break;
    case WorkloadKind::kRestartRecovery:
      out["recovery"] = RecoveryToJson(record.recovery);
      break;
    case WorkloadKind::kTimeoutJobProcessor:
      out["timeouts"] = TimeoutsToJson(record.timeouts);
      break;
    case WorkloadKind::kNone:
      break;
  }
  return out;
}

}  // namespace rehearse
