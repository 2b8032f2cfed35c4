#include "bench/engine_load_ceiling.h"

#include <chrono>
#include <functional>

#include "fixtures/domain/fixture_tables.h"

namespace rehearse {

namespace {

// Seconds `work` takes inside a transaction of `db` that is rolled back
// afterwards, whatever happened, so the database stays as it was.
Status TimeRolledBack(Database* db, const std::function<Status()>& setup,
                      const std::function<Status()>& work, double* seconds) {
  REHEARSE_RETURN_IF_ERROR(db->Begin());
  Status s = setup();
  const auto start = std::chrono::steady_clock::now();
  if (s.ok()) s = work();
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Status rolled_back = db->Rollback();
  return s.ok() ? rolled_back : s;
}

// Runs `statement(table)` for every fixture table, in load order.
Status ForEachTable(Database* db, const std::function<std::string(const std::string&)>& statement) {
  for (const FixtureTableDef& table : FixtureTables())
    REHEARSE_RETURN_IF_ERROR(db->Execute(statement(table.name)));
  return Status::OK();
}

// A file in the server's data directory, which the throwaway cluster removes
// with itself; the files are not removed before then.
std::string ServerFile(const std::string& data_dir, const std::string& table) {
  return "'" + data_dir + "/rehearse-ceiling-" + table + ".bin'";
}

}  // namespace

Status MeasurePostgresLoadCeiling(Database* loaded, Database* at_baseline, EngineLoadCeiling* out) {
  ResultSet shown;
  REHEARSE_RETURN_IF_ERROR(loaded->Execute("SHOW data_directory", {}, &shown));
  if (shown.rows.size() != 1 || shown.rows[0].size() != 1)
    return Status::Infrastructure("SHOW data_directory returned no single value");
  const std::string data_dir = shown.rows[0][0].ToText();
  REHEARSE_RETURN_IF_ERROR(ForEachTable(loaded, [&](const std::string& t) {
    return "COPY public." + Database::QuoteIdentifier(t) + " TO " + ServerFile(data_dir, t) +
           " (FORMAT binary)";
  }));
  auto copy_into = [&](const std::string& schema) {
    return [&, schema](const std::string& t) {
      return "COPY " + schema + "." + Database::QuoteIdentifier(t) + " FROM " +
             ServerFile(data_dir, t) + " (FORMAT binary)";
    };
  };
  REHEARSE_RETURN_IF_ERROR(TimeRolledBack(
      at_baseline,
      [&] {
        REHEARSE_RETURN_IF_ERROR(at_baseline->Execute("CREATE SCHEMA rehearse_ceiling"));
        return ForEachTable(at_baseline, [](const std::string& t) {
          const std::string q = Database::QuoteIdentifier(t);
          return "CREATE TABLE rehearse_ceiling." + q + " (LIKE public." + q + ")";
        });
      },
      [&] { return ForEachTable(at_baseline, copy_into("rehearse_ceiling")); },
      &out->bare_seconds));
  return TimeRolledBack(
      at_baseline,
      // What the fixture load does to skip the foreign-key triggers.
      [&] { return at_baseline->Execute("SET LOCAL session_replication_role = replica"); },
      [&] { return ForEachTable(at_baseline, copy_into("public")); }, &out->keyed_seconds);
}

Status MeasureSqliteLoadCeiling(const std::string& loaded_path, Database* empty,
                                Database* at_baseline, EngineLoadCeiling* out) {
  // `WHERE 1` keeps SQLite from copying the source's b-tree records as they
  // are (its transfer optimisation applies only to a bare SELECT *).
  auto insert_select = [](const std::string& t) {
    const std::string q = Database::QuoteIdentifier(t);
    return "INSERT INTO main." + q + " SELECT * FROM loaded." + q + " WHERE 1";
  };
  for (Database* db : {empty, at_baseline})
    REHEARSE_RETURN_IF_ERROR(
        db->Execute("ATTACH DATABASE ?1 AS loaded", {Value::Text(loaded_path)}));
  REHEARSE_RETURN_IF_ERROR(TimeRolledBack(
      empty,
      [&] {
        return ForEachTable(empty, [](const std::string& t) {
          const std::string q = Database::QuoteIdentifier(t);
          return "CREATE TABLE main." + q + " AS SELECT * FROM loaded." + q + " WHERE 0";
        });
      },
      [&] { return ForEachTable(empty, insert_select); }, &out->bare_seconds));
  // Foreign keys off, as the fixture load turns them off; a pragma that
  // changes nothing inside a transaction, so it comes first.
  REHEARSE_RETURN_IF_ERROR(at_baseline->Execute("PRAGMA foreign_keys = OFF"));
  return TimeRolledBack(
      at_baseline, [] { return Status::OK(); },
      [&] { return ForEachTable(at_baseline, insert_select); }, &out->keyed_seconds);
}

}  // namespace rehearse
