// The filler's rows in a rehearsal (rehearsal.h): the fill before a target,
// the up's derived updates, the `fill` check that reports both, and
// applies_with_data's retry of a failed step without the rows.
#include <algorithm>
#include <chrono>
#include <memory>

#include "fixtures/derived_updates.h"
#include "harness/common/duration.h"
#include "harness/runner/rehearsal_run.h"
#include "verifiers/applies_with_data.h"
#include "verifiers/check_registry.h"

namespace rehearse {

namespace {

bool Failed(const MigrationOutcome& o, CheckId check) {
  const CheckResult* c = FindCheck(o.checks, check.name);
  return c && c->failed();
}

}  // namespace

Status RehearsalRun::RetryWithoutRows(const Migration& m, MigrationOutcome* out, bool* went_on) {
  *went_on = false;
  if (!BlamesRows()) return Status::OK();
  const bool up_failed = Failed(*out, kForwardApplies);
  const bool down_failed = !up_failed && Failed(*out, kRollbackApplies);
  if (!up_failed && !down_failed) return Status::OK();
  const Status failure = up_failed ? last_up_ : last_down_;
  const bool timed_out = failure.code() == Status::Code::kTimedOut;
  if (failure.code() != Status::Code::kDatabase && !timed_out) return Status::OK();
  if (up_failed && unfilled_) {
    std::optional<Status> known = unfilled_->UnfilledUp(m.version);
    if (known && !known->ok()) return Status::OK();  // fails without rows: breaks the chain
  }
  if (!unfilled_) unfilled_ = std::make_unique<UnfilledChain>(dbs_, options_, migrator_options_);
  std::string unfilled;
  Status st = unfilled_->TemplateBefore(m.version, &unfilled);
  if (st.code() == Status::Code::kInfrastructure) return st;
  if (!st.ok()) return Status::OK();  // no state without rows to compare with
  const std::string filled = template_;
  MigrationOutcome retry;
  retry.migration = out->migration;
  retry.backend = out->backend;
  REHEARSE_RETURN_IF_ERROR(Rehearse(m, false, unfilled, &retry));
  if (Failed(retry, up_failed ? kForwardApplies : kRollbackApplies)) {
    template_ = filled;
    return Status::OK();
  }
  std::vector<CheckResult> checks;
  for (const CheckResult& c : out->checks)
    if (kFill.Is(c) || kAppliedUnchanged.Is(c)) checks.push_back(c);
  if (!timed_out)
    checks.push_back(AppliesWithData(up_failed ? "up" : "down", failure, options_.strict));
  // A step stopped at its time limit is too slow at this size, not held up
  // by what the rows contain: its own failure stands in place of the
  // retry's pass, and the chain goes on from the state without the rows.
  const CheckId stopped = up_failed ? kForwardApplies : kRollbackApplies;
  const CheckResult* original = timed_out ? FindCheck(out->checks, stopped.name) : nullptr;
  for (const CheckResult& c : retry.checks) {
    if (original == nullptr || !stopped.Is(c)) {
      checks.push_back(c);
      continue;
    }
    CheckResult kept = *original;
    const size_t line_end = std::min(kept.detail.find('\n'), kept.detail.size());
    kept.detail.insert(line_end,
                       std::string("; without the generated rows it ") +
                           (up_failed ? "applies" : "rolls back") + " in " +
                           FormatSeconds(up_failed ? retry.up_seconds : retry.down_seconds) +
                           ", and the rehearsal goes on from there");
    checks.push_back(kept);
  }
  retry.checks = std::move(checks);
  *out = std::move(retry);
  *went_on = true;
  return Status::OK();
}

Status RehearsalRun::Fill(Database* db, const MigrationVersion& next) {
  FillReport report;
  REHEARSE_RETURN_IF_ERROR(options_.fill.fill(
      db, unfilled_ ? unfilled_->AddedFrom(next) : std::vector<LookAheadConstraint>{}, &report));
  fill_warnings_.insert(fill_warnings_.end(), report.warnings.begin(), report.warnings.end());
  return Status::OK();
}

Status RehearsalRun::Derive(const Migration& m, const MigrationConnections& as) {
  if (!BlamesRows() || !m.available(options_.dialect)) return Status::OK();
  const MigrationScriptFile& up = m.For(options_.dialect).up;
  if (!up.present()) return Status::OK();
  Database::Deadline deadline;
  if (options_.time_limit.count() > 0)
    deadline = std::chrono::steady_clock::now() + options_.time_limit;
  Database* mdb = m.privileged && as.privileged ? as.privileged : as.db;
  return OnlyInfrastructure(ApplyDerivedUpdates(mdb, up.Parse(), deadline, &derived_));
}

void RehearsalRun::ReportFill(std::vector<CheckResult>* checks) {
  std::string derived;
  if (!derived_.empty()) {
    derived =
        "before S0, the rows were brought in line with what the up derives from other "
        "rows, as production's would be:";
    for (const std::string& d : derived_) derived += " " + d + ";";
    derived_.clear();
  }
  if (fill_warnings_.empty()) {
    if (!derived.empty()) checks->push_back(CheckResult::Pass("fill", derived));
    return;
  }
  std::string detail = std::to_string(fill_warnings_.size()) + " table(s) not fully filled";
  for (const std::string& w : fill_warnings_) detail += "; " + w;
  if (!derived.empty()) detail += "; " + derived;
  checks->push_back(CheckResult::Warn("fill", detail));
  fill_warnings_.clear();
}

}  // namespace rehearse
