#include "harness/profile/relation_probe.h"

#include <cstdlib>

#include "harness/migrate/harness_tables.h"

namespace rehearse {

namespace {

// Values come back as text from PostgreSQL and as integers from SQLite.
int64_t AsInteger(const Value& v) {
  if (v.type == Value::Type::kInteger) return v.integer;
  if (v.type == Value::Type::kReal) return static_cast<int64_t>(v.real);
  return std::strtoll(v.bytes.c_str(), nullptr, 10);
}

// User tables and indexes (not TOAST, not catalogs): oid, display name,
// kind, the index's table, storage, and the table's running totals of
// sequential scans and rows updated + deleted.
//
// A total is what the server has been sent (pg_stat_get_*) plus what this
// backend has counted and not sent yet (pg_stat_get_xact_*: the open
// transaction's counts and those of ended ones still pending). The xact
// counters alone lose an autocommit statement's work: an idle backend sends
// its pending counts (at most once a second) and zeroes them, so a
// statement that ran longer than that reads 0 right after it. The backend
// sends only while idle outside a transaction, never during a query, so
// the two halves read in one query add up to every count exactly once.
constexpr const char* kPostgresRelations = R"(
SELECT c.oid::pg_catalog.int8,
       CASE WHEN n.nspname = 'public' THEN c.relname::pg_catalog.text
            ELSE n.nspname || '.' || c.relname END,
       (c.relkind IN ('i', 'I'))::pg_catalog.int4,
       COALESCE(i.indrelid, 0)::pg_catalog.int8,
       c.relfilenode::pg_catalog.int8,
       pg_catalog.pg_stat_get_numscans(c.oid) + pg_catalog.pg_stat_get_xact_numscans(c.oid),
       pg_catalog.pg_stat_get_tuples_updated(c.oid) +
           pg_catalog.pg_stat_get_xact_tuples_updated(c.oid) +
           pg_catalog.pg_stat_get_tuples_deleted(c.oid) +
           pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid),
       c.reltuples::pg_catalog.int8, c.relname::pg_catalog.text
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)')";

constexpr const char* kPostgresLocks = R"(
SELECT l.relation::pg_catalog.int8, l.mode FROM pg_catalog.pg_locks l
WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted
  AND l.relation >= 16384)";

Status ReadPostgres(Database* db, RelationState* out) {
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(db->Execute(kPostgresRelations, {}, &rs));
  for (const Row& r : rs.rows) {
    if (IsHarnessTable(r[8].bytes)) continue;
    RelationState::Relation rel;
    rel.name = r[1].bytes;
    rel.index = AsInteger(r[2]) != 0;
    if (rel.index) rel.table = std::to_string(AsInteger(r[3]));
    rel.storage = AsInteger(r[4]);
    rel.scans = AsInteger(r[5]);
    rel.rows_changed = AsInteger(r[6]);
    rel.rows = AsInteger(r[7]);
    out->relations[std::to_string(AsInteger(r[0]))] = std::move(rel);
  }
  ResultSet locks;
  REHEARSE_RETURN_IF_ERROR(db->Execute(kPostgresLocks, {}, &locks));
  for (const Row& r : locks.rows) {
    LockMode& held = out->locks[std::to_string(AsInteger(r[0]))];
    held = std::max(held, ParseLockMode(r[1].bytes));
  }
  return Status::OK();
}

Status ReadSqlite(Database* db, RelationState* out) {
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(
      db->Execute("SELECT m.type, m.name, m.tbl_name, m.rootpage, (SELECT count(*) FROM "
                  "pragma_table_xinfo(m.name) AS c WHERE c.hidden <> 2) FROM sqlite_master AS m "
                  "WHERE m.type IN ('table', 'index') AND m.name NOT LIKE 'sqlite\\_%' "
                  "ESCAPE '\\'",
                  {}, &rs));
  for (const Row& r : rs.rows) {
    if (IsHarnessTable(r[2].bytes)) continue;
    RelationState::Relation rel;
    rel.name = r[1].bytes;
    rel.index = r[0].bytes == "index";
    if (rel.index) rel.table = r[2].bytes;
    rel.storage = AsInteger(r[3]);
    if (!rel.index) rel.stored_columns = AsInteger(r[4]);
    out->relations[rel.name] = std::move(rel);
  }
  ResultSet counters;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      "SELECT total_changes(), (SELECT schema_version FROM pragma_schema_version)", {}, &counters));
  out->total_changes = AsInteger(counters.rows[0][0]);
  out->schema_version = AsInteger(counters.rows[0][1]);
  return Status::OK();
}

const RelationState::Relation* Find(const RelationState& s, const std::string& key) {
  auto it = s.relations.find(key);
  return it == s.relations.end() ? nullptr : &it->second;
}

}  // namespace

Status ReadRelationState(Database* db, RelationState* out) {
  *out = RelationState();
  return db->dialect() == Dialect::kPostgres ? ReadPostgres(db, out) : ReadSqlite(db, out);
}

std::string RelationName(const RelationState& before, const RelationState& after,
                         const std::string& key) {
  if (const auto* r = Find(after, key)) return r->name;
  if (const auto* r = Find(before, key)) return r->name;
  return "";
}

std::vector<TableWork> DiffRelationStates(const RelationState& first, const RelationState& before,
                                          const RelationState& after,
                                          std::map<std::string, int64_t>* storage_seen,
                                          const std::map<std::string, int64_t>& table_rows) {
  std::map<std::string, TableWork> by_table;  // by key of a table of `first`
  auto work_on = [&](const std::string& table_key) -> TableWork* {
    const RelationState::Relation* t = Find(first, table_key);
    if (t == nullptr || t->index) return nullptr;  // new in this step: nobody uses it yet
    TableWork& w = by_table[table_key];
    if (w.table.empty()) {
      w.table = t->name;
      w.rows = t->rows;
      auto counted = table_rows.find(t->name);
      if (w.rows < 0 && counted != table_rows.end()) w.rows = counted->second;
    }
    return &w;
  };
  for (const auto& [key, rel] : after.relations) {
    const RelationState::Relation* was = Find(before, key);
    auto seen = storage_seen->find(key);
    const bool new_storage =
        rel.storage != 0 && seen != storage_seen->end() && seen->second != rel.storage;
    (*storage_seen)[key] = rel.storage;
    if (rel.index) {
      // A rewrite rebuilds its table's indexes: reported as the rewrite.
      const RelationState::Relation* table = Find(after, rel.table);
      auto table_seen = table ? Find(before, rel.table) : nullptr;
      const bool table_rewritten = table_seen && table->storage != table_seen->storage;
      if ((was == nullptr || new_storage) && !table_rewritten) {
        if (TableWork* w = work_on(rel.table)) w->indexes_built.push_back(rel.name);
      }
      continue;
    }
    // SQLite's DROP COLUMN keeps the root page and rewrites each row there.
    const bool lost_column = was != nullptr && rel.stored_columns < was->stored_columns;
    if (new_storage || lost_column) {
      if (TableWork* w = work_on(key)) w->rewritten = true;
    }
    if (was != nullptr) {
      // Totals only grow; a drop means they were reset (pg_stat_reset) and
      // count from zero.
      auto delta = [](int64_t a, int64_t b) { return b >= a ? b - a : b; };
      const int64_t scans = delta(was->scans, rel.scans);
      const int64_t changed = delta(was->rows_changed, rel.rows_changed);
      if (scans > 0 || changed > 0) {
        if (TableWork* w = work_on(key)) {
          w->scans += scans;
          w->rows_changed += changed;
        }
      }
    }
  }
  std::vector<TableWork> out;
  for (auto& [key, w] : by_table) out.push_back(std::move(w));
  return out;
}

}  // namespace rehearse
