#include "verifiers/domain/workload_checks.h"

#include <map>
#include <set>

namespace rehearse {

namespace {

// The judgements below are unnamed; the public functions at the end of the
// file give each its invariant name.
CheckResult Pass(std::string detail) { return CheckResult::Pass("", std::move(detail)); }
CheckResult Fail(std::string detail) { return CheckResult::Fail("", std::move(detail)); }
CheckResult Warn(std::string detail) { return CheckResult::Warn("", std::move(detail)); }
CheckResult Skip(std::string detail) { return CheckResult::Skip("", std::move(detail)); }

CheckResult Named(const char* name, CheckResult result) {
  result.name = name;
  return result;
}

// "a, b, c" for the first ten items, then " and N more".
std::string FirstTen(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < 10; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > 10) out += " and " + std::to_string(items.size() - 10) + " more";
  return out;
}

std::string Count(size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// True when `record` is of `kind`; else fills *skip.
bool IsKind(const WorkloadRecord& record, WorkloadKind kind, CheckResult* skip) {
  if (record.kind == kind) return true;
  *skip = Skip(std::string("not a ") + WorkloadKindName(kind) + " record (" +
               WorkloadKindName(record.kind) + ")");
  return false;
}

bool IsDailyReminder(const RecoveredTimer& t) {
  return t.flow_type == "conversation" && t.callback_type == "reminder";
}

// Reasons that pause an instance for scheduling; the seed lets a migration
// resume those, never the others.
bool IsSchedulingReason(const std::optional<std::string>& reason) {
  return reason && (*reason == "outside_business_hours" || *reason == "rate_limited");
}

bool ActedOn(const FollowUpDecision& d) {
  return d.action != FollowUpAction::kHeldByWorkspace && d.action != FollowUpAction::kCompleted;
}

// Timeout checks skip unless the record is the processor's and the switch
// says direct transitions.
bool TimeoutChangeInForce(const WorkloadRecord& record, CheckResult* skip) {
  if (!IsKind(record, WorkloadKind::kTimeoutJobProcessor, skip)) return false;
  if (record.timeouts.mode != "direct_transition") {
    *skip = Skip("timeout_processing mode is '" + record.timeouts.mode +
                 "': synthetic events are the expected behaviour before migration 0004");
    return false;
  }
  return true;
}

}  // namespace

namespace {

CheckResult JudgeNoDuplicateTimerRecovery(const WorkloadRecord& record) {
  CheckResult skip;
  if (!IsKind(record, WorkloadKind::kRestartRecovery, &skip)) return skip;
  std::map<int64_t, std::vector<const RecoveredTimer*>> reminders;
  for (const RecoveredTimer& t : record.recovery.timers) {
    if (IsDailyReminder(t)) reminders[t.participant_id].push_back(&t);
  }
  std::vector<std::string> doubled;
  for (const auto& [participant, timers] : reminders) {
    if (timers.size() < 2) continue;
    std::string sources;
    for (const RecoveredTimer* t : timers) {
      sources += (sources.empty() ? "" : "+") + std::string(TimerSourceName(t->source));
    }
    doubled.push_back(std::to_string(participant) + " (" + sources + ")");
  }
  if (!doubled.empty()) {
    return Fail(Count(doubled.size(), "participant") +
                " reminded more than once: " + FirstTen(doubled));
  }
  return Pass(Count(reminders.size(), "participant") + " with one reminder each");
}

CheckResult JudgeEveryPendingReminderRecovered(const WorkloadRecord& record) {
  CheckResult skip;
  if (!IsKind(record, WorkloadKind::kRestartRecovery, &skip)) return skip;
  std::set<int64_t> scheduled;
  for (const RecoveredTimer& t : record.recovery.timers) {
    if (IsDailyReminder(t)) scheduled.insert(t.participant_id);
  }
  std::vector<std::string> dropped;
  for (int64_t p : record.recovery.pending_reminder_participants) {
    if (!scheduled.count(p)) dropped.push_back(std::to_string(p));
  }
  if (!dropped.empty()) {
    return Fail(Count(dropped.size(), "pending reminder") + " not rescheduled (legacy recovery " +
                (record.recovery.legacy_ran ? "ran" : "skipped") + "), participants " +
                FirstTen(dropped));
  }
  return Pass(Count(record.recovery.pending_reminder_participants.size(), "pending reminder") +
              " all rescheduled");
}

CheckResult JudgeNoSyntheticTimeoutEvents(const WorkloadRecord& record) {
  CheckResult skip;
  if (!TimeoutChangeInForce(record, &skip)) return skip;
  std::vector<std::string> synthetic;
  for (const CreatedEvent& e : record.timeouts.events) {
    if (e.synthetic) {
      synthetic.push_back("event " + std::to_string(e.event_id) + " (" + e.event_type +
                          ", execution " + std::to_string(e.execution_id) + ")");
    }
  }
  if (!synthetic.empty()) {
    return Fail(Count(synthetic.size(), "synthetic timeout event") +
                " created: " + FirstTen(synthetic));
  }
  return Pass(Count(record.timeouts.jobs.size(), "timeout job") +
              " processed without a synthetic event");
}

CheckResult JudgeTimeoutTransitionsScheduleFollowup(const WorkloadRecord& record) {
  CheckResult skip;
  if (!TimeoutChangeInForce(record, &skip)) return skip;
  std::map<int64_t, std::set<int64_t>> emailed_jobs;  // execution -> timeout jobs e-mailed for
  for (const ScheduledEmail& e : record.timeouts.emails) {
    if (e.timeout_job_id != 0) emailed_jobs[e.execution_id].insert(e.timeout_job_id);
  }
  std::map<int64_t, std::set<int64_t>> jobs_of;  // execution -> jobs this run processed
  for (const TimeoutJobOutcome& j : record.timeouts.jobs) jobs_of[j.execution_id].insert(j.job_id);
  std::vector<std::string> missing;
  for (const CreatedTransition& t : record.timeouts.transitions) {
    bool emailed = false;
    for (int64_t job : jobs_of[t.execution_id])
      emailed = emailed || emailed_jobs[t.execution_id].count(job);
    if (!emailed) {
      missing.push_back("execution " + std::to_string(t.execution_id) + " (transition " +
                        std::to_string(t.transition_id) + ")");
    }
  }
  if (!missing.empty()) {
    return Fail(Count(missing.size(), "timeout transition") +
                " without a follow-up e-mail: " + FirstTen(missing));
  }
  return Pass(Count(record.timeouts.transitions.size(), "timeout transition") +
              ", each with its follow-up e-mail");
}

CheckResult JudgeTimeoutTransitionsHaveTimeoutReason(const WorkloadRecord& record) {
  CheckResult skip;
  if (!TimeoutChangeInForce(record, &skip)) return skip;
  std::vector<std::string> wrong;
  for (const CreatedTransition& t : record.timeouts.transitions) {
    const bool reason_ok = t.reason.rfind("Timeout: ", 0) == 0;
    const bool origin_ok = !record.timeouts.origin_column || (t.origin && *t.origin == "timeout");
    if (!reason_ok || !origin_ok || t.event_id != 0) {
      wrong.push_back("transition " + std::to_string(t.transition_id) + " reason '" + t.reason +
                      "' origin " + (t.origin ? "'" + *t.origin + "'" : std::string("none")) +
                      (t.event_id ? " event " + std::to_string(t.event_id) : ""));
    }
  }
  if (!wrong.empty()) {
    return Fail(Count(wrong.size(), "timeout transition") +
                " not recorded as a timeout: " + FirstTen(wrong));
  }
  return Pass(Count(record.timeouts.transitions.size(), "transition") + " read 'Timeout: <type>'");
}

CheckResult JudgePausedNotResumed(const WorkloadRecord& after, const WorkloadRecord* before) {
  CheckResult skip;
  if (!IsKind(after, WorkloadKind::kFollowUpCronTick, &skip)) return skip;
  std::map<int64_t, const InstancePosition*> paused_before;
  if (before && before->kind == WorkloadKind::kFollowUpCronTick) {
    for (const InstancePosition& p : before->cron.open_instances) {
      if (p.status == "paused" && !IsSchedulingReason(p.paused_reason)) {
        paused_before[p.instance_id] = &p;
      }
    }
  }
  std::vector<std::string> resumed;
  for (const FollowUpDecision& d : after.cron.decisions) {
    if (!ActedOn(d)) continue;
    const auto was = paused_before.find(d.instance_id);
    if (d.paused_reason_before && !IsSchedulingReason(d.paused_reason_before)) {
      resumed.push_back(std::to_string(d.instance_id) + " (active with paused_reason '" +
                        *d.paused_reason_before + "', " + FollowUpActionName(d.action) + ")");
    } else if (was != paused_before.end()) {
      resumed.push_back(std::to_string(d.instance_id) + " (paused '" +
                        was->second->paused_reason.value_or("") + "' before, " +
                        FollowUpActionName(d.action) + " now)");
    }
  }
  if (!resumed.empty()) {
    return Fail(Count(resumed.size(), "paused instance") + " resumed: " + FirstTen(resumed));
  }
  return Pass(Count(after.cron.decisions.size(), "due instance") +
              ", none paused for a non-scheduling reason");
}

CheckResult JudgeCurrentStepRemapped(const WorkloadRecord& before, const WorkloadRecord& after) {
  if (before.kind != WorkloadKind::kFollowUpCronTick ||
      after.kind != WorkloadKind::kFollowUpCronTick) {
    return Skip("needs follow_up_cron_tick records from before and after the migration");
  }
  std::map<int64_t, int> current_after;  // instance -> current_step after
  for (const InstancePosition& p : after.cron.open_instances)
    current_after[p.instance_id] = p.current_step;
  // The steps each sequence had, by order, before the migration.
  std::map<int64_t, std::vector<std::pair<int, int64_t>>> sequence_steps;
  for (const auto& [id, step] : before.cron.steps)
    sequence_steps[step.sequence_id].push_back({step.step_order, id});
  std::vector<std::string> resent;
  size_t judged = 0;
  for (const InstancePosition& p : before.cron.open_instances) {
    auto now = current_after.find(p.instance_id);
    if (p.current_step <= 0 || now == current_after.end()) continue;
    ++judged;
    for (const auto& [order, id] : sequence_steps[p.sequence_id]) {
      if (order > p.current_step) continue;  // not sent yet
      auto moved = after.cron.steps.find(id);
      if (moved == after.cron.steps.end()) continue;  // deleted: cannot be sent again
      if (moved->second.step_order > now->second) {
        resent.push_back(std::to_string(p.instance_id) + " (sent step " + std::to_string(id) +
                         ", now at order " + std::to_string(moved->second.step_order) +
                         ", past current_step " + std::to_string(now->second) + ")");
      }
    }
  }
  if (!resent.empty()) {
    return Fail(Count(resent.size(), "sent step") +
                " would go out again, current_step not remapped past them: " + FirstTen(resent));
  }
  return Pass(Count(judged, "instance") +
              " with sent steps: every sent step at or below the new "
              "current_step");
}

CheckResult JudgeNoRetroInsertedSteps(const WorkloadRecord& before, const WorkloadRecord& after) {
  if (before.kind != WorkloadKind::kFollowUpCronTick ||
      after.kind != WorkloadKind::kFollowUpCronTick) {
    return Skip("needs follow_up_cron_tick records from before and after the migration");
  }
  std::map<int64_t, int64_t> reached;  // instance -> step id it had reached before
  for (const InstancePosition& p : before.cron.open_instances) {
    if (p.current_step_id != 0) reached[p.instance_id] = p.current_step_id;
  }
  std::vector<std::string> retro;
  size_t judged = 0, unjudged = 0;
  for (const FollowUpDecision& d : after.cron.decisions) {
    if (d.step_id == 0 || d.action == FollowUpAction::kHeldByWorkspace) continue;
    auto r = reached.find(d.instance_id);
    if (r == reached.end()) continue;  // had reached no step: nothing can be retro
    auto step = after.cron.steps.find(r->second);
    if (step == after.cron.steps.end()) {
      ++unjudged;
      continue;
    }
    ++judged;
    if (d.step_order <= step->second.step_order) {
      retro.push_back(std::to_string(d.instance_id) + " (would get step " +
                      std::to_string(d.step_id) + " at order " + std::to_string(d.step_order) +
                      ", had reached step " + std::to_string(r->second) + ", now at order " +
                      std::to_string(step->second.step_order) + ")");
    }
  }
  if (!retro.empty()) {
    return Fail(Count(retro.size(), "instance") +
                " given a step at or before the one reached: " + FirstTen(retro));
  }
  const std::string counts = Count(judged, "progressed instance") + " judged, " +
                             std::to_string(unjudged) + " whose reached step no longer exists";
  if (judged == 0 && unjudged > 0) return Warn(counts);
  return Pass(counts);
}

CheckResult JudgeNoOverdueFlood(const WorkloadRecord& record) {
  CheckResult skip;
  if (!IsKind(record, WorkloadKind::kFollowUpCronTick, &skip)) return skip;
  if (record.cron.rate_limits.empty()) return Skip("the tick ran without rate limits configured");
  // Sends as the task rows show them: an approval task sends nothing.
  std::map<std::pair<int64_t, std::string>, int> sent;
  size_t throttled = 0;
  for (const FollowUpDecision& d : record.cron.decisions) {
    if (d.action == FollowUpAction::kDeferredRateLimit) ++throttled;
    if (d.task_id == 0 || d.action == FollowUpAction::kAwaitingApproval) continue;
    ++sent[{d.workspace_id, d.task_channel}];
  }
  std::vector<std::string> floods;
  int total = 0;
  for (const auto& [key, n] : sent) {
    total += n;
    auto limit = record.cron.rate_limits.find(key.second);
    if (limit != record.cron.rate_limits.end() && n > limit->second) {
      floods.push_back("workspace " + std::to_string(key.first) + " " + key.second + " " +
                       std::to_string(n) + " > " + std::to_string(limit->second));
    }
  }
  if (!floods.empty()) {
    return Fail(Count(floods.size(), "workspace channel") +
                " over canSendFollowUp in one tick: " + FirstTen(floods));
  }
  return Pass(std::to_string(total) + " sent within the limits, " + Count(throttled, "send") +
              " throttled to the next tick");
}

}  // namespace

CheckResult NoDuplicateTimerRecovery(const WorkloadRecord& record) {
  return Named("no_duplicate_timer_recovery", JudgeNoDuplicateTimerRecovery(record));
}

CheckResult EveryPendingReminderRecovered(const WorkloadRecord& record) {
  return Named("every_pending_reminder_recovered", JudgeEveryPendingReminderRecovered(record));
}

CheckResult NoSyntheticTimeoutEvents(const WorkloadRecord& record) {
  return Named("no_synthetic_timeout_events", JudgeNoSyntheticTimeoutEvents(record));
}

CheckResult TimeoutTransitionsScheduleFollowup(const WorkloadRecord& record) {
  return Named("timeout_transitions_schedule_followup",
               JudgeTimeoutTransitionsScheduleFollowup(record));
}

CheckResult TimeoutTransitionsHaveTimeoutReason(const WorkloadRecord& record) {
  return Named("timeout_transitions_have_timeout_reason",
               JudgeTimeoutTransitionsHaveTimeoutReason(record));
}

CheckResult PausedNotResumed(const WorkloadRecord& after, const WorkloadRecord* before) {
  return Named("paused_not_resumed", JudgePausedNotResumed(after, before));
}

CheckResult NoRetroInsertedSteps(const WorkloadRecord& before, const WorkloadRecord& after) {
  return Named("no_retro_inserted_steps", JudgeNoRetroInsertedSteps(before, after));
}

CheckResult CurrentStepRemapped(const WorkloadRecord& before, const WorkloadRecord& after) {
  return Named("current_step_remapped", JudgeCurrentStepRemapped(before, after));
}

CheckResult NoOverdueFlood(const WorkloadRecord& record) {
  return Named("no_overdue_flood", JudgeNoOverdueFlood(record));
}

const std::vector<WorkloadCheck>& WorkloadChecks() {
  static const std::vector<WorkloadCheck> kChecks = {
      {"no_duplicate_timer_recovery", "003", "no reminder recovered twice at start-up",
       "negative_recovery_without_exclusion",
       [](const WorkloadRecord*, const WorkloadRecord& r) { return NoDuplicateTimerRecovery(r); }},
      {"every_pending_reminder_recovered", "003", "every pending reminder is recovered at start-up",
       "workload_checks_test ADroppedReminderIsNamed",
       [](const WorkloadRecord*, const WorkloadRecord& r) {
         return EveryPendingReminderRecovered(r);
       }},
      {"no_synthetic_timeout_events", "002", "timeouts create no synthetic events after 0004",
       "negative_synthetic_timeout_events",
       [](const WorkloadRecord*, const WorkloadRecord& r) { return NoSyntheticTimeoutEvents(r); }},
      {"timeout_transitions_schedule_followup", "002",
       "every timeout transition schedules a follow-up", "negative_timeouts_without_followup",
       [](const WorkloadRecord*, const WorkloadRecord& r) {
         return TimeoutTransitionsScheduleFollowup(r);
       }},
      {"timeout_transitions_have_timeout_reason", "002",
       "a direct timeout transition carries the timeout reason",
       "workload_checks_test AWrongOriginOrAnEventFailsTheTimeoutReason",
       [](const WorkloadRecord*, const WorkloadRecord& r) {
         return TimeoutTransitionsHaveTimeoutReason(r);
       }},
      {"paused_not_resumed", "000", "paused instances stay paused", "negative_paused_resumed",
       [](const WorkloadRecord* before, const WorkloadRecord& r) {
         return PausedNotResumed(r, before);
       }},
      {"no_retro_inserted_steps", "000", "no instance gets a step before the one it reached",
       "negative_retro_inserting_overwrite",
       [](const WorkloadRecord* before, const WorkloadRecord& r) {
         return before ? NoRetroInsertedSteps(*before, r)
                       : Named("no_retro_inserted_steps",
                               Skip("needs the cron tick's record from before the migration"));
       }},
      {"current_step_remapped", "000", "sent steps stay at or below current_step",
       "negative_current_step_by_position",
       [](const WorkloadRecord* before, const WorkloadRecord& r) {
         return before ? CurrentStepRemapped(*before, r)
                       : Named("current_step_remapped",
                               Skip("needs the cron tick's record from before the migration"));
       }},
      {"no_overdue_flood", "000", "the cron tick respects canSendFollowUp",
       "negative_cron_unthrottled",
       [](const WorkloadRecord*, const WorkloadRecord& r) { return NoOverdueFlood(r); }},
  };
  return kChecks;
}

const WorkloadCheck* FindWorkloadCheck(std::string_view name) {
  for (const WorkloadCheck& c : WorkloadChecks()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

}  // namespace rehearse
