#include "harness/migrate/state_change.h"

#include "harness/migrate/harness_tables.h"
#include "harness/state/canonical_value.h"
#include "harness/state/catalog.h"

namespace rehearse {

Status ProbeState(Database* db, StateProbe* out) {
  *out = StateProbe();
  Catalog catalog;
  REHEARSE_RETURN_IF_ERROR(ReadCatalog(db, &catalog));
  for (const CatalogObject& o : catalog.objects) {
    if (IsHarnessTable(o.table.empty() ? o.name : o.table)) continue;
    out->objects[o.kind + " " + o.name] = o.definition;
  }
  for (const TableLayout& layout : catalog.tables) {
    if (IsHarnessTable(layout.name)) continue;
    DigestBuilder hash;
    std::string encoded;
    int64_t rows = 0;
    Status s = db->Stream(layout.select_sql, [&](const Row& row) -> Status {
      encoded.clear();
      for (const Value& v : row) AppendCanonical(v, &encoded);
      hash.UpdateField(encoded);
      ++rows;
      return Status::OK();
    });
    if (!s.ok()) return s.Prepend("reading table " + layout.name);
    out->tables[layout.name] = {rows, hash.Finish()};
  }
  return Status::OK();
}

StateChange CompareStates(const StateProbe& before, const StateProbe& after) {
  StateChange change;
  for (const auto& [key, def] : before.objects) {
    auto it = after.objects.find(key);
    if (it == after.objects.end()) {
      change.schema_removed.push_back(key);
    } else if (it->second != def) {
      change.schema_changed.push_back(key);
    }
  }
  for (const auto& [key, def] : after.objects)
    if (!before.objects.count(key)) change.schema_added.push_back(key);

  std::map<std::string, TableChange> tables;
  for (const auto& [name, t] : before.tables) {
    TableChange& c = tables[name];
    c.table = name;
    c.rows_before = t.rows;
  }
  for (const auto& [name, t] : after.tables) {
    TableChange& c = tables[name];
    c.table = name;
    c.rows_after = t.rows;
    auto it = before.tables.find(name);
    c.rows_changed = it == before.tables.end()
                         ? t.rows > 0
                         : it->second.digest != t.digest || it->second.rows != t.rows;
  }
  for (auto& [name, c] : tables) {
    if (c.rows_after < 0) c.rows_changed = c.rows_before > 0;  // dropped with its rows
    // A table created or dropped empty is schema news only, listed above.
    if (c.rows_changed) change.tables.push_back(c);
  }
  return change;
}

std::string StateChange::Render() const {
  std::string out;
  for (const std::string& s : schema_added) out += "+ " + s + "\n";
  for (const std::string& s : schema_removed) out += "- " + s + "\n";
  for (const std::string& s : schema_changed) out += "~ " + s + "\n";
  auto count = [](int64_t n) {
    return n < 0 ? std::string("absent") : std::to_string(n) + " rows";
  };
  for (const TableChange& t : tables) {
    out += "table " + t.table + ": " + count(t.rows_before) + " -> " + count(t.rows_after);
    if (t.rows_changed && t.rows_before == t.rows_after) out += " (rows changed)";
    out += "\n";
  }
  return out;
}

}  // namespace rehearse
