#include "harness/state/unchanged_tables.h"

#include <cstdlib>
#include <map>

#include "harness/state/snapshot.h"

namespace rehearse {

namespace {

// xids stand in a row's xmin as 32 bits without their epoch; compared with a
// full snapshot they are right only while the cluster's epoch is still 0.
constexpr uint64_t kFirstXidOfEpoch1 = uint64_t{1} << 32;

// The xmax of a pg_current_snapshot() text ("xmin:xmax:xip,..."), or 0 when it
// is not one (then nothing is taken over).
uint64_t SnapshotXmax(const std::string& visibility) {
  size_t colon = visibility.find(':');
  if (colon == std::string::npos || visibility.empty()) return 0;
  for (char c : visibility)
    if (!(c >= '0' && c <= '9') && c != ':' && c != ',') return 0;
  return std::strtoull(visibility.c_str() + colon + 1, nullptr, 10);
}

bool SameLayout(const TableLayout& a, const TableLayout& b) {
  return a.qualified_sql == b.qualified_sql && a.columns == b.columns && a.types == b.types &&
         a.key == b.key && a.select_sql == b.select_sql && a.order_by_sql == b.order_by_sql &&
         a.storage == b.storage;
}

}  // namespace

Status ReadVisibility(Database* db, std::string* visibility) {
  visibility->clear();
  if (db->dialect() != Dialect::kPostgres) return Status::OK();
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(db->Execute("SELECT pg_current_snapshot()::text", {}, &rs));
  *visibility = rs.rows[0][0].bytes;
  return Status::OK();
}

Status FindUnchangedTables(Database* db, const Catalog& catalog,
                           const std::vector<TableSnapshot>& earlier,
                           const std::string& earlier_visibility, bool archived,
                           std::vector<const TableSnapshot*>* reuse) {
  reuse->assign(catalog.tables.size(), nullptr);
  if (db->dialect() != Dialect::kPostgres) return Status::OK();
  const uint64_t earlier_xmax = SnapshotXmax(earlier_visibility);
  std::string now;
  REHEARSE_RETURN_IF_ERROR(ReadVisibility(db, &now));
  const uint64_t now_xmax = SnapshotXmax(now);
  if (earlier_xmax == 0 || now_xmax == 0 || now_xmax >= kFirstXidOfEpoch1) return Status::OK();

  std::map<std::string, const TableSnapshot*> by_name;
  for (const TableSnapshot& t : earlier) by_name[t.layout.name] = &t;
  // One query counts, per candidate, its rows and those written since.
  std::string sql;
  std::vector<size_t> candidates;
  for (size_t i = 0; i < catalog.tables.size(); ++i) {
    const TableLayout& layout = catalog.tables[i];
    auto it = by_name.find(layout.name);
    if (layout.storage.empty() || it == by_name.end() || !SameLayout(layout, it->second->layout))
      continue;
    if (archived && it->second->archive_path.empty()) continue;
    sql += std::string(sql.empty() ? "" : " UNION ALL ") + "SELECT " +
           std::to_string(candidates.size()) +
           "::text, count(*)::text, count(*) FILTER (WHERE NOT pg_visible_in_snapshot("
           "xmin::text::xid8, '" +
           earlier_visibility + "'::pg_snapshot))::text FROM " + layout.qualified_sql;
    candidates.push_back(i);
  }
  if (candidates.empty()) return Status::OK();
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(db->Execute(sql, {}, &rs));
  for (const Row& r : rs.rows) {
    const size_t i = candidates.at(std::stoul(r[0].bytes));
    const TableSnapshot* before = by_name[catalog.tables[i].name];
    if (std::stoll(r[1].bytes) == before->row_count && r[2].bytes == "0") (*reuse)[i] = before;
  }
  return Status::OK();
}

}  // namespace rehearse
