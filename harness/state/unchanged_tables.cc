#include "harness/state/unchanged_tables.h"

#include <cstdlib>
#include <map>

#include "harness/state/digest.h"
#include "harness/state/snapshot.h"

namespace rehearse {

namespace {

// A row's xmin is a 32-bit xid without its epoch: compared with a snapshot's
// full xids as long as the cluster has used fewer than 2^31 (a throwaway one
// has), so that the epoch is 0 throughout.
constexpr uint64_t kXidLimit = uint64_t{1} << 31;

// A PostgreSQL mark: "<pg_current_snapshot()> <rows of the catalog tables>".
struct PostgresMark {
  std::string visibility;  // "xmin:xmax:xip,..."; "" if not usable
  std::string catalog_rows;
};

PostgresMark ParseMark(const std::string& mark) {
  PostgresMark m;
  const size_t colon = mark.find(':'), space = mark.find(' ');
  if (colon == std::string::npos || space == std::string::npos || colon > space) return m;
  for (size_t i = 0; i < space; ++i)
    if (!(mark[i] >= '0' && mark[i] <= '9') && mark[i] != ':' && mark[i] != ',') return m;
  if (std::strtoull(mark.c_str() + colon + 1, nullptr, 10) >= kXidLimit) return m;  // xmax
  m.visibility = mark.substr(0, space);
  m.catalog_rows = mark.substr(space + 1);
  return m;
}

// "count(*) AS n, <rows written since `earlier`> AS since" over one relation
// (no rows when `earlier` is not usable): a row the earlier snapshot could
// not see was written since.
std::string CountWrittenSince(const PostgresMark& earlier) {
  if (earlier.visibility.empty()) return "count(*) AS n, 0 AS since";
  return "count(*) AS n, count(*) FILTER (WHERE NOT pg_visible_in_snapshot(xmin::text::xid8, '" +
         earlier.visibility + "'::pg_snapshot)) AS since";
}

Status ReadPostgresMark(Database* db, const std::string& earlier_mark, std::string* mark,
                        bool* catalog_unchanged) {
  const PostgresMark earlier = ParseMark(earlier_mark);
  // The database's own catalog tables; statistics change without the
  // schema changing; comments and large objects are no part of a snapshot.
  // Only those the session may read (pg_user_mapping is the superuser's):
  // a snapshot taken as another role counts other tables, and so is judged
  // changed, never unchanged.
  ResultSet tables;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      "SELECT pg_current_snapshot()::text, format('%I.%I', n.nspname, c.relname) FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog' AND "
      "c.relkind = 'r' AND NOT c.relisshared AND c.relname NOT IN ('pg_statistic', "
      "'pg_statistic_ext_data', 'pg_description', 'pg_largeobject') AND "
      "has_table_privilege(c.oid, 'SELECT') ORDER BY 2",
      {}, &tables));
  std::string sql;
  for (const Row& r : tables.rows)
    sql += (sql.empty() ? "SELECT " : " UNION ALL SELECT ") + CountWrittenSince(earlier) +
           " FROM " + r[1].bytes;
  ResultSet sums;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      "SELECT sum(n)::text, sum(since)::text FROM (" + sql + ") AS catalog", {}, &sums));
  *mark = tables.rows[0][0].bytes + " " + sums.rows[0][0].bytes;
  // Each table's rows are a subset of its earlier rows: the same sum means
  // the same rows in every table.
  *catalog_unchanged = !earlier.visibility.empty() && !ParseMark(*mark).visibility.empty() &&
                       sums.rows[0][1].bytes == "0" &&
                       sums.rows[0][0].bytes == earlier.catalog_rows;
  return Status::OK();
}

Status ReadSqliteMark(Database* db, const std::string& earlier_mark, std::string* mark,
                      bool* catalog_unchanged) {
  DigestBuilder schema;
  REHEARSE_RETURN_IF_ERROR(db->Stream(
      "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY type, name",
      [&](const Row& row) {
        for (const Value& v : row) schema.UpdateField(v.is_null() ? "\\N" : v.ToText() + ";");
        return Status::OK();
      }));
  *mark = schema.Finish().ToHex();
  *catalog_unchanged = *mark == earlier_mark;
  return Status::OK();
}

bool SameLayout(const TableLayout& a, const TableLayout& b) {
  return a.qualified_sql == b.qualified_sql && a.columns == b.columns && a.types == b.types &&
         a.key == b.key && a.select_sql == b.select_sql && a.order_by_sql == b.order_by_sql &&
         a.storage == b.storage;
}

}  // namespace

Status ReadChangeMark(Database* db, const std::string& earlier_mark, std::string* mark,
                      bool* catalog_unchanged) {
  *catalog_unchanged = false;
  return db->dialect() == Dialect::kPostgres
             ? ReadPostgresMark(db, earlier_mark, mark, catalog_unchanged)
             : ReadSqliteMark(db, earlier_mark, mark, catalog_unchanged);
}

Status FindUnchangedTables(Database* db, const Catalog& catalog,
                           const std::vector<TableSnapshot>& earlier,
                           const std::string& earlier_mark, bool archived,
                           std::vector<const TableSnapshot*>* reuse) {
  reuse->assign(catalog.tables.size(), nullptr);
  const PostgresMark mark = ParseMark(earlier_mark);
  if (db->dialect() != Dialect::kPostgres || mark.visibility.empty()) return Status::OK();

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
    sql += (sql.empty() ? "SELECT " : " UNION ALL SELECT ") + std::to_string(candidates.size()) +
           " AS i, " + CountWrittenSince(mark) + " FROM " + layout.qualified_sql;
    candidates.push_back(i);
  }
  if (candidates.empty()) return Status::OK();
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(
      db->Execute("SELECT i::text, n::text, since::text FROM (" + sql + ") AS tables", {}, &rs));
  for (const Row& r : rs.rows) {
    const size_t i = candidates.at(std::stoul(r[0].bytes));
    const TableSnapshot* before = by_name[catalog.tables[i].name];
    if (std::stoll(r[1].bytes) == before->row_count && r[2].bytes == "0") (*reuse)[i] = before;
  }
  return Status::OK();
}

}  // namespace rehearse
