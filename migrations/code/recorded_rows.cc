#include "migrations/code/recorded_rows.h"

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

}  // namespace rehearse
