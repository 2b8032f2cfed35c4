#include "scenarios/workloads/workload.h"

#include <string_view>

#include "scenarios/workloads/canonical_timestamp.h"
#include "scenarios/workloads/follow_up_cron_tick.h"
#include "scenarios/workloads/restart_recovery.h"
#include "scenarios/workloads/timeout_job_processor.h"

namespace rehearse {

namespace {

// Monday 2026-03-09 15:00 UTC: 11:00 in New York, the first weekday
// afternoon after the harness clock (Sunday 2026-03-08 12:00 UTC).
constexpr const char* kFollowUpCronClock = "2026-03-09 15:00:00+00";

}  // namespace

Status WorkloadRegistry::Register(WorkloadEntry entry) {
  if (entry.name.empty() || !entry.make) {
    return Status::InvalidInput("a workload needs a name and a factory");
  }
  if (entries_.count(entry.name)) {
    return Status::InvalidInput("workload '" + entry.name + "' is already registered");
  }
  std::string name = entry.name;
  entries_.emplace(std::move(name), std::move(entry));
  return Status::OK();
}

const WorkloadEntry* WorkloadRegistry::Find(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

Status WorkloadRegistry::Make(const std::string& name, std::unique_ptr<Workload>* out) const {
  const WorkloadEntry* entry = Find(name);
  if (!entry) {
    std::string known;
    for (const auto& [n, e] : entries_) known += (known.empty() ? "" : ", ") + n;
    return Status::NotFound("no workload named '" + name + "' (known: " + known + ")");
  }
  *out = entry->make();
  return Status::OK();
}

std::vector<const WorkloadEntry*> WorkloadRegistry::Entries() const {
  std::vector<const WorkloadEntry*> out;
  for (const auto& [name, entry] : entries_) out.push_back(&entry);
  return out;
}

Status MakeWorkloadRegistry(WorkloadRegistry* out) {
  WorkloadRegistry registry;
  Status registered;  // the first failure
  auto add = [&](const char* seed, const char* description, const char* must_fail,
                 std::function<std::unique_ptr<Workload>()> make) {
    const std::string name = make()->name();
    const char* clock = std::string_view(seed) == "000" ? kFollowUpCronClock : "";
    Status s = registry.Register({name, seed, description, must_fail, clock, std::move(make)});
    if (registered.ok()) registered = s;
  };
  add("000", "Follow-up cron tick: due instances, business hours, canSendFollowUp, sends.", "",
      [] { return std::make_unique<FollowUpCronTick>(); });
  add("000", "Known bad: the cron tick without canSendFollowUp, so an overdue backlog floods.",
      "no_overdue_flood", [] {
        FollowUpCronTickOptions options;
        options.enforce_rate_limit = false;
        return std::make_unique<FollowUpCronTick>(options);
      });
  add("003", "Bot start-up: table recovery, and legacy recovery unless the table has timers.", "",
      [] { return std::make_unique<RestartRecovery>(); });
  add("003", "Known bad: both recoveries always run, so 'both' reminders are doubled.",
      "no_duplicate_timer_recovery",
      [] { return std::make_unique<RestartRecovery>(RestartRecoveryOptions{false}); });
  add("002", "Timeout job processor obeying the timeout_processing switch.", "",
      [] { return std::make_unique<TimeoutJobProcessor>(); });
  add("002", "Known bad: the processor ignores the switch and still creates synthetic events.",
      "no_synthetic_timeout_events", [] {
        return std::make_unique<TimeoutJobProcessor>(TimeoutProcessing::kAlwaysSyntheticEvents);
      });
  add("002", "Known bad: direct timeout transitions that schedule no follow-up e-mail.",
      "timeout_transitions_schedule_followup", [] {
        return std::make_unique<TimeoutJobProcessor>(
            TimeoutProcessing::kDirectWithoutFollowUpEmail);
      });
  REHEARSE_RETURN_IF_ERROR(registered);
  *out = std::move(registry);
  return Status::OK();
}

Status PlayAndRollBack(Database* db, WorkloadKind kind, const std::string& workload,
                       const std::string& now, WorkloadRecord* record,
                       const std::function<Status(int64_t now)>& act) {
  int64_t now_micros;
  if (!ParseCanonicalTimestamp(now, &now_micros)) {
    return Status::InvalidInput("workload " + workload + ": now '" + now +
                                "' is not a canonical timestamp (YYYY-MM-DD HH:MM:SS[.ffffff]+00)");
  }
  if (db->in_transaction()) {
    return Status::InvalidInput("workload " + workload +
                                ": the database is inside a transaction; a workload opens and "
                                "rolls back its own");
  }
  *record = WorkloadRecord();
  record->kind = kind;
  record->workload = workload;
  record->dialect = db->dialect();
  record->now = now;
  REHEARSE_RETURN_IF_ERROR(db->Begin());
  Status acted = act(now_micros);
  Status rolled_back = db->Rollback();
  if (!acted.ok()) return acted.Prepend("workload " + workload);
  return rolled_back;
}

}  // namespace rehearse
