#include "harness/migrate/sequence_positions.h"

#include <map>

namespace rehearse {

Status SequencePositions::Read(Database* db, std::vector<Position>* out) {
  out->clear();
  if (db->dialect() != Dialect::kPostgres) return Status::OK();
  ResultSet names;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_catalog.pg_class c "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' "
      "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
      "AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1",
      {}, &names));
  for (const Row& row : names.rows) {
    Position p;
    p.qualified = row[0].bytes;
    ResultSet rs;
    REHEARSE_RETURN_IF_ERROR(
        db->Execute("SELECT last_value, is_called FROM " + p.qualified, {}, &rs));
    if (rs.rows.size() != 1) continue;
    p.last_value = rs.rows[0][0].ToText();
    p.is_called = rs.rows[0][1].ToText() == "t";
    out->push_back(std::move(p));
  }
  return Status::OK();
}

Status SequencePositions::Capture(Database* db) { return Read(db, &positions_); }

Status SequencePositions::Restore(Database* db) const {
  if (positions_.empty()) return Status::OK();
  std::vector<Position> now;
  REHEARSE_RETURN_IF_ERROR(Read(db, &now));
  std::map<std::string, const Position*> current;
  for (const Position& p : now) current[p.qualified] = &p;
  for (const Position& p : positions_) {
    auto it = current.find(p.qualified);
    if (it == current.end()) continue;
    if (it->second->last_value == p.last_value && it->second->is_called == p.is_called) continue;
    Status s = db->Execute("SELECT pg_catalog.setval($1::regclass, $2::bigint, $3::boolean)",
                           {Value::Text(p.qualified), Value::Text(p.last_value),
                            Value::Text(p.is_called ? "true" : "false")});
    if (!s.ok()) return s.Prepend("restoring sequence " + p.qualified);
  }
  return Status::OK();
}

}  // namespace rehearse
