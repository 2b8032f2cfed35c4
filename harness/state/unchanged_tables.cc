#include "harness/state/unchanged_tables.h"

#include <cstdlib>
#include <map>

#include "harness/state/digest.h"
#include "harness/state/snapshot.h"
#include "harness/state/sqlite_table_pages.h"

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

// A SQLite mark: the digest of sqlite_schema's rows (and of the temp
// schema's, whose tables would shadow them), then a line per table whose
// pages were hashed: "<digest of its name> <digest of its sqlite_schema row
// and of its pages>".
Status ReadSqliteMark(Database* db, const std::string& earlier_mark, std::string* mark,
                      bool* catalog_unchanged) {
  struct Table {
    std::string name, row;
    int64_t root;
  };
  std::vector<Table> tables;
  DigestBuilder schema;
  REHEARSE_RETURN_IF_ERROR(db->Stream(
      "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY type, name",
      [&](const Row& row) {
        std::string fields;
        for (const Value& v : row) {
          const std::string field = v.is_null() ? "\\N" : v.ToText() + ";";
          schema.UpdateField(field);
          fields += field;
        }
        if (row[0].bytes == "table" && row[3].type == Value::Type::kInteger && row[3].integer > 0)
          tables.push_back({row[1].bytes, fields, row[3].integer});
        return Status::OK();
      }));
  size_t temp_objects = 0;
  REHEARSE_RETURN_IF_ERROR(
      db->Stream("SELECT type, name, tbl_name, sql FROM temp.sqlite_schema", [&](const Row& row) {
        for (const Value& v : row) schema.UpdateField(v.is_null() ? "\\N" : v.ToText() + ";");
        ++temp_objects;
        return Status::OK();
      }));
  *mark = schema.Finish().ToHex();
  *catalog_unchanged = *mark == earlier_mark.substr(0, earlier_mark.find('\n'));
  // Pages only where a name means the main database's table (a temp table
  // of the same name is what a SELECT reads), and a file that can be trusted.
  std::unique_ptr<SqliteTablePages> pages;
  if (temp_objects == 0) REHEARSE_RETURN_IF_ERROR(SqliteTablePages::Open(db, &pages));
  for (const Table& t : tables) {
    Digest tree;
    if (!pages || !pages->HashTree(t.root, &tree)) continue;
    DigestBuilder table;
    table.UpdateField(t.row);
    table.UpdateField(tree.ToHex());
    *mark += "\n" + HashBytes(t.name).ToHex() + " " + table.Finish().ToHex();
  }
  return Status::OK();
}

// A SQLite mark's tables: digest of the name => digest of the table.
std::map<std::string, std::string> SqliteTableMarks(const std::string& mark) {
  std::map<std::string, std::string> tables;
  for (size_t line = mark.find('\n'); line != std::string::npos; line = mark.find('\n', line + 1)) {
    const size_t space = mark.find(' ', line);
    const size_t next = mark.find('\n', line + 1);
    if (space == std::string::npos || (next != std::string::npos && space > next)) continue;
    tables[mark.substr(line + 1, space - line - 1)] =
        mark.substr(space + 1, next == std::string::npos ? std::string::npos : next - space - 1);
  }
  return tables;
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

Status FindUnchangedTables(Database* db, const Catalog& catalog, const std::string& mark,
                           const std::vector<TableSnapshot>& earlier,
                           const std::string& earlier_mark, bool archived,
                           std::vector<const TableSnapshot*>* reuse) {
  reuse->assign(catalog.tables.size(), nullptr);
  std::map<std::string, const TableSnapshot*> by_name;
  for (const TableSnapshot& t : earlier) by_name[t.layout.name] = &t;
  // The earlier table of the same name and layout, if its rows may be
  // taken over once proven unchanged.
  auto candidate = [&](const TableLayout& layout) -> const TableSnapshot* {
    auto it = by_name.find(layout.name);
    if (it == by_name.end() || !SameLayout(layout, it->second->layout)) return nullptr;
    if (archived && it->second->archive_path.empty()) return nullptr;
    return it->second;
  };

  if (db->dialect() == Dialect::kSqlite) {
    const std::map<std::string, std::string> now = SqliteTableMarks(mark),
                                             before = SqliteTableMarks(earlier_mark);
    for (size_t i = 0; i < catalog.tables.size(); ++i) {
      const TableSnapshot* t = candidate(catalog.tables[i]);
      if (t == nullptr) continue;
      auto a = now.find(HashBytes(t->layout.name).ToHex());
      auto b = before.find(HashBytes(t->layout.name).ToHex());
      if (a != now.end() && b != before.end() && a->second == b->second) (*reuse)[i] = t;
    }
    return Status::OK();
  }

  const PostgresMark pg_mark = ParseMark(earlier_mark);
  if (pg_mark.visibility.empty()) return Status::OK();
  // One query counts, per candidate, its rows and those written since.
  std::string sql;
  std::vector<size_t> candidates;
  for (size_t i = 0; i < catalog.tables.size(); ++i) {
    const TableLayout& layout = catalog.tables[i];
    if (layout.storage.empty() || candidate(layout) == nullptr) continue;
    sql += (sql.empty() ? "SELECT " : " UNION ALL SELECT ") + std::to_string(candidates.size()) +
           " AS i, " + CountWrittenSince(pg_mark) + " FROM " + layout.qualified_sql;
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
