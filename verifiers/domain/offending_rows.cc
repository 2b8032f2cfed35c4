#include "verifiers/domain/offending_rows.h"

#include <vector>

#include "scenarios/workloads/workload_sql.h"

namespace rehearse {

namespace {

constexpr size_t kShown = 10;

std::string Shown(const Value& v) { return v.is_null() ? "NULL" : "'" + FieldText(v) + "'"; }

}  // namespace

CheckResult OffendingRows(const char* name, Database* db, const std::string& query,
                          const std::string& what, const std::string& pass_detail) {
  ResultSet rs;
  Status s = db->Execute(query, {}, &rs);
  if (!s.ok()) return CheckResult::Fail(name, "could not read the state: " + s.ToString());
  if (rs.rows.empty()) return CheckResult::Pass(name, pass_detail);
  std::string detail = std::to_string(rs.rows.size()) + " " + what + ": ";
  for (size_t i = 0; i < rs.rows.size() && i < kShown; ++i) {
    detail += i ? "; " : "";
    for (size_t c = 0; c < rs.columns.size() && c < rs.rows[i].size(); ++c)
      detail += (c ? ", " : "") + rs.columns[c] + "=" + Shown(rs.rows[i][c]);
  }
  if (rs.rows.size() > kShown)
    detail += "; and " + std::to_string(rs.rows.size() - kShown) + " more";
  return CheckResult::Fail(name, detail);
}

}  // namespace rehearse
