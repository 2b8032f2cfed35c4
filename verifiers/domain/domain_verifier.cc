#include "verifiers/domain/domain_verifier.h"

#include <algorithm>

#include "verifiers/domain/number_checks.h"
#include "verifiers/domain/timezone_column_check.h"
#include "verifiers/domain/workload_checks.h"

namespace rehearse {

namespace {

// A version of the project's own folder, by its digits.
MigrationVersion Own(std::string_view digits) {
  MigrationVersion v;
  // Digits always parse (the literals below), so the Status says nothing.
  return MigrationVersion::Parse(digits, &v).ok() ? v : MigrationVersion();
}

// The migration that made each seed's promise; its checks apply from there.
const MigrationVersion kTimersTimezone = Own("0001");     // seed 003
const MigrationVersion kNumberBackfill = Own("0002");     // seed 001
const MigrationVersion kSequenceMessaging = Own("0003");  // seed 000
const MigrationVersion kDirectTimeouts = Own("0004");     // seed 002

void RunWorkloadChecks(const std::string& seed, const WorkloadRecord* before,
                       const WorkloadRecord& after, std::vector<CheckResult>* checks) {
  for (const WorkloadCheck& c : WorkloadChecks())
    if (seed == c.seed) checks->push_back(c.run(before, after));
}

}  // namespace

const CheckRegistry& DomainVerifier::Checks() {
  static const CheckRegistry kChecks = [] {
    std::vector<CheckInfo> checks = {
        {"timezone_column_on_existing_tables", CheckKind::kDomain,
         "0001 adds the column where the table existed", "negative_create_if_not_exists"},
        {"one_front_desk_per_org", CheckKind::kDomain,
         "exactly one front desk per org with a number", "negative_two_front_desks"},
        {"no_thread_without_number", CheckKind::kDomain,
         "every thread has one of its org's numbers", "negative_threads_left_without_number"},
        {"number_class_from_assigned_number", CheckKind::kDomain,
         "a thread's class is its number's", "negative_class_from_recurrence"},
        {"completed_tasks_untouched", CheckKind::kDomain, "sent tasks keep every column",
         "negative_completed_tasks_rewritten"},
        {"pending_tasks_rerendered", CheckKind::kDomain,
         "pending tasks carry their step's rendered copy", "negative_pending_tasks_not_rendered"},
        {"workloads_after_rollback", CheckKind::kDomain,
         "from 0003 on, the cron tick after down(N) does what it did before up(N)",
         "negative_rollback_resumes_paused"},
        {"workload_plays", CheckKind::kDomain, "the application's workload runs at all", ""},
    };
    for (const WorkloadCheck& c : WorkloadChecks())
      checks.push_back({c.name, CheckKind::kDomain, c.asserts, c.known_bad});
    return CheckRegistry(std::move(checks));
  }();
  return kChecks;
}

const std::vector<std::string>& DomainVerifier::AllCheckNames() {
  static const std::vector<std::string> kNames = Checks().Names();
  return kNames;
}

Status DomainVerifier::Make(const DomainVerifierOptions& options,
                            std::unique_ptr<DomainVerifier>* out) {
  std::unique_ptr<DomainVerifier> v(new DomainVerifier());
  for (const std::string& name : options.only) {
    if (!Checks().Has(name))
      return Status::InvalidInput("\"" + name + "\" is not a domain invariant");
  }
  v->only_ = options.only;
  REHEARSE_RETURN_IF_ERROR(MakeWorkloadRegistry(&v->registry_));
  v->now_ = options.now;
  for (const WorkloadEntry* e : v->registry_.Entries())
    if (e->must_fail.empty()) v->by_seed_[e->seed] = e;
  std::map<std::string, std::string> replaced;
  for (const std::string& name : options.workloads) {
    const WorkloadEntry* e = v->registry_.Find(name);
    if (!e) {
      std::unique_ptr<Workload> unused;
      return v->registry_.Make(name, &unused);  // the registry's error names the known ones
    }
    if (replaced.count(e->seed))
      return Status::InvalidInput("workloads " + replaced[e->seed] + " and " + name +
                                  " both stand in for seed " + e->seed);
    replaced[e->seed] = name;
    v->by_seed_[e->seed] = e;
  }
  *out = std::move(v);
  return Status::OK();
}

bool DomainVerifier::Play(const std::string& seed, Database* db, WorkloadRecord* record,
                          std::vector<CheckResult>* checks) {
  const WorkloadEntry* e = by_seed_[seed];
  std::unique_ptr<Workload> w;
  Status s = e ? registry_.Make(e->name, &w) : Status::NotFound("no workload for seed " + seed);
  if (s.ok()) s = w->Play(db, e->clock.empty() ? now_ : e->clock, record);
  if (!s.ok())
    checks->push_back(CheckResult::Fail("workload_plays", "seed " + seed + ": " + s.ToString()));
  return s.ok();
}

void DomainVerifier::BeforeUp(const Migration& migration, Database* db) {
  have_before_ = false;
  before_status_ = Status::OK();
  if (migration.version < kSequenceMessaging) return;
  std::vector<CheckResult> failures;
  if (!Play("000", db, &cron_before_, &failures)) {
    before_status_ = Status::Database(failures.front().detail);
    return;
  }
  before_status_ = ReadTaskCopy(db, &tasks_before_);
  have_before_ = before_status_.ok();
}

void DomainVerifier::Select(size_t from, std::vector<CheckResult>* checks) const {
  if (only_.empty()) return;
  auto asked = [&](const CheckResult& c) {
    return c.name == "workload_plays" ||  // a workload that cannot play is never hidden
           std::find(only_.begin(), only_.end(), c.name) != only_.end();
  };
  checks->erase(std::remove_if(checks->begin() + from, checks->end(),
                               [&](const CheckResult& c) { return !asked(c); }),
                checks->end());
}

void DomainVerifier::AfterDown(const Migration& migration, Database* db,
                               std::vector<CheckResult>* checks) {
  if (migration.version < kSequenceMessaging || !have_before_) return;
  const size_t from = checks->size();
  WorkloadRecord after;
  if (Play("000", db, &after, checks)) {
    nlohmann::json patch =
        nlohmann::json::diff(WorkloadRecordToJson(cron_before_), WorkloadRecordToJson(after));
    if (patch.empty()) {
      checks->push_back(CheckResult::Pass(
          "workloads_after_rollback",
          "the cron tick after the rollback does what it did before the migration"));
    } else {
      std::string detail = std::to_string(patch.size()) +
                           " difference(s) in the cron tick's record, before the migration -> "
                           "after its rollback (JSON patch):";
      for (size_t i = 0; i < patch.size() && i < 8; ++i) detail += "\n  " + patch[i].dump();
      checks->push_back(CheckResult::Fail("workloads_after_rollback", detail));
    }
  }
  Select(from, checks);
}

void DomainVerifier::AfterUp(const Migration& migration, Database* db,
                             std::vector<CheckResult>* checks) {
  const size_t from = checks->size();
  AfterUpChecks(migration, db, checks);
  Select(from, checks);
}

void DomainVerifier::AfterUpChecks(const Migration& migration, Database* db,
                                   std::vector<CheckResult>* checks) {
  const MigrationVersion& n = migration.version;
  if (n >= kTimersTimezone) {
    checks->push_back(TimezoneColumnOnExistingTables(db));
    WorkloadRecord recovery;
    if (Play("003", db, &recovery, checks)) RunWorkloadChecks("003", nullptr, recovery, checks);
  }
  if (n >= kNumberBackfill) {
    checks->push_back(OneFrontDeskPerOrg(db));
    checks->push_back(NoThreadWithoutNumber(db));
    checks->push_back(NumberClassFromAssignedNumber(db));
  }
  if (n >= kSequenceMessaging) {
    if (!have_before_) {
      checks->push_back(CheckResult::Fail(
          "workload_plays",
          "the state before the migration could not be read: " + before_status_.ToString()));
    } else {
      WorkloadRecord cron;
      if (Play("000", db, &cron, checks)) RunWorkloadChecks("000", &cron_before_, cron, checks);
      checks->push_back(CompletedTasksUntouched(tasks_before_, db));
      checks->push_back(PendingTasksRerendered(tasks_before_, db));
    }
  }
  if (n >= kDirectTimeouts) {
    WorkloadRecord timeouts;
    if (Play("002", db, &timeouts, checks)) RunWorkloadChecks("002", nullptr, timeouts, checks);
  }
}

}  // namespace rehearse
