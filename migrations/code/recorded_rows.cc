#include "migrations/code/recorded_rows.h"

#include <unordered_map>

#include "migrations/code/stored_values.h"

namespace rehearse {

RecordedRows::RecordedRows(std::string table, std::vector<RecordedColumn> columns)
    : table_(std::move(table)), columns_(std::move(columns)) {}

nlohmann::json RecordedRows::NewSection() const {
  nlohmann::json names = nlohmann::json::array();
  for (const RecordedColumn& c : columns_) names.push_back(c.json);
  return {{"columns", names}, {"rows", nlohmann::json::array()}};
}

Status RecordedRows::Append(const Row& values, nlohmann::json* section) const {
  nlohmann::json row = nlohmann::json::array();
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Value& v = values[i];
    const ColumnKind kind = columns_[i].kind;
    if (v.is_null()) {
      row.push_back(nullptr);
    } else if (kind == ColumnKind::kBigint || kind == ColumnKind::kInteger) {
      int64_t x;
      REHEARSE_RETURN_IF_ERROR(StoredInt(v, table_ + "." + columns_[i].sql, &x));
      row.push_back(x);
    } else if (kind == ColumnKind::kBoolean) {
      row.push_back(StoredBool(v));
    } else {
      row.push_back(ValueToJson(v));
    }
  }
  (*section)["rows"].push_back(std::move(row));
  return Status::OK();
}

Status RecordedRows::Decode(const nlohmann::json& section, Dialect dialect,
                            std::vector<Row>* rows) const {
  const std::string what = "rollback artifact: " + table_;
  if (!section.is_object() || !section.contains("columns") || !section.contains("rows") ||
      section["columns"] != NewSection()["columns"] || !section["rows"].is_array()) {
    return Status::Corruption(what + ": expected columns " + NewSection()["columns"].dump());
  }
  rows->clear();
  rows->reserve(section["rows"].size());
  for (const nlohmann::json& j : section["rows"]) {
    if (!j.is_array() || j.size() != columns_.size() || !j[0].is_number_integer())
      return Status::Corruption(what + ": malformed row " + j.dump().substr(0, 200));
    Row row;
    row.reserve(columns_.size());
    for (size_t i = 0; i < columns_.size(); ++i) {
      const ColumnKind kind = columns_[i].kind;
      const std::string where = what + " row " + j[0].dump() + " " + columns_[i].json;
      if (j[i].is_null()) {
        row.push_back(Value::Null());
      } else if (kind == ColumnKind::kBigint || kind == ColumnKind::kInteger) {
        if (!j[i].is_number_integer()) return Status::Corruption(where + " is not an integer");
        row.push_back(Value::Integer(j[i].get<int64_t>()));
      } else if (kind == ColumnKind::kBoolean) {
        if (!j[i].is_boolean()) return Status::Corruption(where + " is not a boolean");
        row.push_back(BoolValue(dialect, j[i].get<bool>()));
      } else {
        Value v;
        REHEARSE_RETURN_IF_ERROR(JsonToValue(j[i], where, &v));
        row.push_back(std::move(v));
      }
    }
    rows->push_back(std::move(row));
  }
  return Status::OK();
}

Status RecordedRows::Restore(Database* db, const nlohmann::json& section) const {
  std::vector<Row> rows;
  REHEARSE_RETURN_IF_ERROR(Decode(section, db->dialect(), &rows));
  if (rows.empty()) return Status::OK();
  std::vector<TempColumn> temp;
  std::vector<std::string> copied;
  for (size_t i = 0; i < columns_.size(); ++i) {
    temp.push_back({columns_[i].sql, columns_[i].kind});
    if (i > 0) copied.push_back(columns_[i].sql);
  }
  TempTable table(db, "rehearse_restore_" + table_, temp);
  REHEARSE_RETURN_IF_ERROR(table.Create());
  REHEARSE_RETURN_IF_ERROR(table.Load(rows));
  REHEARSE_RETURN_IF_ERROR(table.CopyColumnsInto(table_, copied));
  return table.Drop();
}

Status RefuseLaterChanges(const std::string& migration, const std::vector<LaterChange>& changes,
                          int64_t rows) {
  if (rows == 0) return Status::OK();
  constexpr size_t kShown = 5;
  std::string message = std::to_string(rows) + (rows == 1 ? " row was" : " rows were") +
                        " changed after " + migration +
                        " wrote them (by the application since, or by a later statement of the "
                        "migration); rolling back would undo that:";
  for (size_t i = 0; i < changes.size() && i < kShown; ++i) {
    const LaterChange& c = changes[i];
    message += "\n  " + c.table + " id " + std::to_string(c.id) + " " + c.column + ": " +
               c.written + " after " + migration + ", " + c.now + " now";
  }
  if (changes.size() > kShown) message += "\n  ...";
  return Status::Conflict(message +
                          "\nnothing was changed; --force restores the artifact's values anyway");
}

Status RecordedRows::ReadCurrent(Database* db, const nlohmann::json& rows,
                                 nlohmann::json* out) const {
  *out = NewSection();
  std::vector<Row> ids;
  ids.reserve(rows.size());
  for (const nlohmann::json& r : rows) {
    if (!r.is_array() || r.empty() || !r[0].is_number_integer())
      return Status::Corruption("rollback artifact: " + table_ + ": malformed row " +
                                r.dump().substr(0, 200));
    ids.push_back({Value::Integer(r[0].get<int64_t>())});
  }
  if (ids.empty()) return Status::OK();
  TempTable wanted(db, "rehearse_ids_" + table_, {{"id", ColumnKind::kBigint}});
  REHEARSE_RETURN_IF_ERROR(wanted.Create());
  REHEARSE_RETURN_IF_ERROR(wanted.Load(ids));
  std::string select = "SELECT ";
  for (size_t i = 0; i < columns_.size(); ++i)
    select += (i ? ", t." : "t.") + Database::QuoteIdentifier(columns_[i].sql);
  select += " FROM " + table_ + " t JOIN " + wanted.name() + " u ON u.id = t.id";
  const std::string in_ids = wanted.InIds("t.id");
  if (!in_ids.empty()) select += " WHERE " + in_ids;
  select += " ORDER BY t.id";
  REHEARSE_RETURN_IF_ERROR(db->Stream(select, [&](const Row& row) { return Append(row, out); }));
  return wanted.Drop();
}

Status RecordedRows::RecordWritten(Database* db, nlohmann::json* section) const {
  nlohmann::json current;
  REHEARSE_RETURN_IF_ERROR(ReadCurrent(db, (*section)["rows"], &current));
  (*section)["written"] = std::move(current["rows"]);
  return Status::OK();
}

Status RecordedRows::FindLaterChanges(Database* db, const nlohmann::json& section,
                                      std::vector<LaterChange>* changes,
                                      int64_t* rows_changed) const {
  if (!section.is_object() || !section.contains("written") || !section["written"].is_array())
    return Status::Corruption("rollback artifact: " + table_ +
                              ": no \"written\" values to compare with");
  const nlohmann::json& written = section["written"];
  nlohmann::json current;
  REHEARSE_RETURN_IF_ERROR(ReadCurrent(db, written, &current));
  std::unordered_map<int64_t, const nlohmann::json*> now;
  for (const nlohmann::json& r : current["rows"]) now[r[0].get<int64_t>()] = &r;
  for (const nlohmann::json& w : written) {
    if (w.size() != columns_.size())
      return Status::Corruption("rollback artifact: " + table_ + ": malformed written row " +
                                w.dump().substr(0, 200));
    auto it = now.find(w[0].get<int64_t>());
    if (it == now.end() || *it->second == w) continue;
    ++*rows_changed;
    for (size_t i = 1; i < columns_.size(); ++i) {
      if ((*it->second)[i] == w[i] || changes->size() >= kLaterChangesListed) continue;
      changes->push_back(
          {table_, columns_[i].sql, w[0].get<int64_t>(), w[i].dump(), (*it->second)[i].dump()});
    }
  }
  return Status::OK();
}

}  // namespace rehearse
