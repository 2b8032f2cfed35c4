#include "scenarios/workloads/workload_sql.h"

#include <charconv>

namespace rehearse {

std::string WorkloadSql::ForDialect(std::string_view sql, Dialect dialect) {
  if (dialect != Dialect::kPostgres) return std::string(sql);
  std::string out;
  out.reserve(sql.size());
  char quote = 0;  // inside '...' or "..."
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '$';
      continue;
    }
    out += c;
  }
  return out;
}

Status WorkloadSql::Query(std::string_view sql, const Row& params, ResultSet* out) {
  return db_->Execute(ForDialect(sql, dialect()), params, out);
}

Status WorkloadSql::QueryIds(const std::string& select_prefix, const std::vector<int64_t>& ids,
                             ResultSet* out) {
  // Ids are integers the workload read itself, so inlining them cannot
  // inject anything.
  constexpr size_t kChunk = 500;
  for (size_t begin = 0; begin < ids.size(); begin += kChunk) {
    std::string list;
    for (size_t i = begin; i < ids.size() && i < begin + kChunk; ++i) {
      if (i > begin) list += ", ";
      list += std::to_string(ids[i]);
    }
    ResultSet chunk;
    REHEARSE_RETURN_IF_ERROR(Query(select_prefix + "(" + list + ")", {}, &chunk));
    if (out->columns.empty()) out->columns = std::move(chunk.columns);
    for (Row& row : chunk.rows) out->rows.push_back(std::move(row));
  }
  return Status::OK();
}

Status WorkloadSql::TableExists(const std::string& table, bool* exists) {
  ResultSet rs;
  if (dialect() == Dialect::kPostgres) {
    REHEARSE_RETURN_IF_ERROR(
        Query("SELECT to_regclass(?1) IS NOT NULL", {Value::Text(table)}, &rs));
  } else {
    REHEARSE_RETURN_IF_ERROR(
        Query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
              {Value::Text(table)}, &rs));
  }
  *exists = !rs.rows.empty() && FieldBool(rs.rows[0][0]);
  return Status::OK();
}

Status WorkloadSql::ColumnExists(const std::string& table, const std::string& column,
                                 bool* exists) {
  ResultSet rs;
  if (dialect() == Dialect::kPostgres) {
    REHEARSE_RETURN_IF_ERROR(
        Query("SELECT count(*) FROM information_schema.columns WHERE table_schema = "
              "current_schema() AND table_name = ?1 AND column_name = ?2",
              {Value::Text(table), Value::Text(column)}, &rs));
  } else {
    REHEARSE_RETURN_IF_ERROR(Query("SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
                                   {Value::Text(table), Value::Text(column)}, &rs));
  }
  *exists = !rs.rows.empty() && FieldInt(rs.rows[0][0]) > 0;
  return Status::OK();
}

Status WorkloadSql::NextId(const std::string& table, int64_t* id) {
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(
      Query("SELECT coalesce(max(id), 0) FROM " + Database::QuoteIdentifier(table), {}, &rs));
  const int64_t max = rs.rows.empty() ? 0 : FieldInt(rs.rows[0][0]);
  *id = max < 0 ? 1 : max + 1;
  return Status::OK();
}

Value WorkloadSql::Bool(bool b) const {
  return dialect() == Dialect::kPostgres ? Value::Text(b ? "t" : "f") : Value::Integer(b ? 1 : 0);
}

int64_t FieldInt(const Value& v) {
  switch (v.type) {
    case Value::Type::kInteger:
      return v.integer;
    case Value::Type::kReal:
      return static_cast<int64_t>(v.real);
    case Value::Type::kText: {
      int64_t n = 0;
      std::from_chars(v.bytes.data(), v.bytes.data() + v.bytes.size(), n);
      return n;
    }
    default:
      return 0;
  }
}

bool FieldBool(const Value& v) {
  if (v.type == Value::Type::kText) {
    return v.bytes == "t" || v.bytes == "true" || v.bytes == "1";
  }
  return FieldInt(v) != 0;
}

std::string FieldText(const Value& v) { return v.is_null() ? std::string() : v.ToText(); }

std::optional<std::string> FieldOptText(const Value& v) {
  if (v.is_null()) return std::nullopt;
  return v.ToText();
}

}  // namespace rehearse
