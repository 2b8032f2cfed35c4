#include "verifiers/domain/number_checks.h"

#include "scenarios/workloads/workload_sql.h"
#include "verifiers/domain/offending_rows.h"

namespace rehearse {

namespace {

// Skips `name` unless 0002's columns are there; fills *skip then.
bool Phase11Present(const char* name, Database* db, CheckResult* skip) {
  bool has = false;
  Status s = WorkloadSql(db).ColumnExists("message_threads", "message_number_id", &has);
  if (!s.ok()) {
    *skip = CheckResult::Fail(name, "could not read the catalog: " + s.ToString());
    return false;
  }
  if (!has) *skip = CheckResult::Skip(name, "message_threads has no message_number_id yet");
  return has;
}

}  // namespace

CheckResult OneFrontDeskPerOrg(Database* db) {
  const char* kName = "one_front_desk_per_org";
  CheckResult skip;
  if (!Phase11Present(kName, db, &skip)) return skip;
  return OffendingRows(
      kName, db,
      "SELECT o.id AS org_id, "
      "(SELECT count(*) FROM message_numbers m WHERE m.org_id = o.id "
      "AND m.number_class = 'front_desk') AS front_desks "
      "FROM orgs o WHERE "
      "(SELECT count(*) FROM message_numbers m WHERE m.org_id = o.id "
      "AND m.number_class = 'front_desk') > 1 "
      "OR (EXISTS (SELECT 1 FROM message_numbers m WHERE m.org_id = o.id AND m.is_active) "
      "AND NOT EXISTS (SELECT 1 FROM message_numbers m WHERE m.org_id = o.id "
      "AND m.number_class = 'front_desk')) ORDER BY o.id",
      "orgs without exactly one front desk", "every org with an active number has one front desk");
}

CheckResult NoThreadWithoutNumber(Database* db) {
  const char* kName = "no_thread_without_number";
  CheckResult skip;
  if (!Phase11Present(kName, db, &skip)) return skip;
  return OffendingRows(
      kName, db,
      "SELECT t.id AS thread_id, t.org_id, t.message_number_id, m.org_id AS number_org_id "
      "FROM message_threads t LEFT JOIN message_numbers m ON m.id = t.message_number_id "
      "WHERE (t.message_number_id IS NULL AND EXISTS (SELECT 1 FROM message_numbers f "
      "WHERE f.org_id = t.org_id AND f.number_class = 'front_desk')) "
      "OR (t.message_number_id IS NOT NULL AND (m.id IS NULL OR m.org_id <> t.org_id)) "
      "ORDER BY t.id",
      "threads without a number of their own org",
      "every thread of an org with a front desk has one of its org's numbers");
}

CheckResult NumberClassFromAssignedNumber(Database* db) {
  const char* kName = "number_class_from_assigned_number";
  CheckResult skip;
  if (!Phase11Present(kName, db, &skip)) return skip;
  return OffendingRows(
      kName, db,
      "SELECT t.id AS thread_id, t.number_class AS thread_class, t.message_number_id, "
      "m.number_class AS number_class FROM message_threads t "
      "LEFT JOIN message_numbers m ON m.id = t.message_number_id "
      "WHERE (t.number_class IS NULL) <> (m.number_class IS NULL) "
      "OR t.number_class <> m.number_class ORDER BY t.id",
      "threads whose class is not their number's", "every thread's class is its assigned number's");
}

}  // namespace rehearse
