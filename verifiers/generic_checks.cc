#include "verifiers/generic_checks.h"

#include "harness/state/snapshot_diff.h"
#include "harness/state/volatile_values.h"

namespace rehearse {

namespace {

CheckResult FromDiff(const std::string& name, const Snapshot& expected, const Snapshot& actual,
                     const DiffOptions& options) {
  SnapshotDiff diff;
  Status s = DiffSnapshots(expected, actual, options, &diff);
  if (!s.ok()) return CheckResult::Fail(name, "could not compare: " + s.ToString());
  if (diff.failures > 0)
    return CheckResult::Fail(name,
                             std::to_string(diff.failures) + " difference(s)\n" + diff.Render());
  if (diff.warnings > 0)
    return CheckResult::Warn(name,
                             "only sequence positions differ (nextval is never rolled "
                             "back)\n" +
                                 diff.Render());
  return CheckResult::Pass(name, "digest " + actual.digest().ToHex());
}

}  // namespace

CheckResult CheckStepApplies(const std::string& name, const Status& step) {
  return step.ok() ? CheckResult::Pass(name) : CheckResult::Fail(name, step.ToString());
}

CheckResult CheckSnapshotsIdentical(const std::string& name, const Snapshot& expected,
                                    const Snapshot& actual) {
  if (expected.digest() == actual.digest())
    return CheckResult::Pass(name, "digest " + actual.digest().ToHex());
  return FromDiff(name, expected, actual, {});
}

CheckResult CheckSnapshotsIdentical(const std::string& name, const Snapshot& expected,
                                    const Snapshot& actual, const Snapshot& before_step) {
  CheckResult plain = CheckSnapshotsIdentical(name, expected, actual);
  if (!plain.failed()) return plain;
  SnapshotDiff diff;
  if (!DiffSnapshots(expected, actual, {}, &diff).ok()) return plain;
  // Every group that failed must be a table explained by volatile defaults;
  // a schema difference never is.
  std::string excused;
  for (const auto& counted : diff.counted) {
    const std::string& group = counted.first;
    if (group == "sequence_position") continue;
    const TableSnapshot* e = expected.FindTable(group);
    const TableSnapshot* a = actual.FindTable(group);
    if (group.rfind("schema ", 0) == 0 || !e || !a) return plain;
    const VolatileColumns columns = FindVolatileColumns(actual.catalog(), group);
    bool only = false;
    if (!DiffersOnlyInVolatileColumns(*e, *a, before_step.FindTable(group), columns, &only).ok() ||
        !only)
      return plain;
    // Name the columns seen differing; a changed key shows as a row removed
    // and one added, and then every volatile column is named.
    VolatileColumns differing;
    for (const Difference& d : diff.shown)
      if (d.object == group && d.kind == Difference::Kind::kRowChanged && columns.count(d.column))
        differing[d.column] = columns.at(d.column);
    excused += (excused.empty() ? "" : ", ") +
               DescribeVolatileColumns(group, differing.empty() ? columns : differing);
  }
  return CheckResult::Warn(name,
                           "only columns whose default gives a new value each time differ, in rows "
                           "the migration inserted: " +
                               excused + "\n" + diff.Render());
}

CheckResult CheckSchemasIdentical(const std::string& name, const Snapshot& expected,
                                  const Snapshot& actual) {
  DiffOptions options;
  options.schema_only = true;
  return FromDiff(name, expected, actual, options);
}

CheckResult CheckIdempotentRerun(size_t applied_again, const Snapshot& before,
                                 const Snapshot& after) {
  const char* kName = "idempotent_rerun";
  if (applied_again > 0)
    return CheckResult::Fail(
        kName, "the second run applied " + std::to_string(applied_again) + " migration(s) again");
  return CheckSnapshotsIdentical(kName, before, after);
}

CheckResult CheckAppliedUnchanged(const std::vector<LedgerMismatch>& mismatches) {
  const char* kName = "applied_unchanged";
  if (mismatches.empty()) return CheckResult::Pass(kName);
  std::string detail;
  for (const LedgerMismatch& m : mismatches) detail += m.ToString() + "\n";
  return CheckResult::Fail(kName, detail);
}

}  // namespace rehearse
