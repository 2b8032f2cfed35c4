#include "harness/state/volatile_values.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>
#include <vector>

#include "harness/db/value_encoding.h"
#include "harness/state/digest.h"
#include "harness/state/row_archive.h"

namespace rehearse {

namespace {

// The default expression inside a column's catalog definition ("#2 text NOT
// NULL DEFAULT now() COLLATE …"), or "GENERATED AS IDENTITY"; empty if none.
std::string DefaultOf(const std::string& definition) {
  if (definition.find(" IDENTITY ") != std::string::npos) return "GENERATED AS IDENTITY";
  const std::string marker = " DEFAULT ";
  size_t at = definition.find(marker);
  if (at == std::string::npos) return "";
  std::string expr = definition.substr(at + marker.size());
  // What the catalog readers append after the default.
  for (const char* next : {" COLLATE ", " GENERATED ", " PRIMARY KEY#", " HIDDEN "}) {
    size_t end = expr.find(next);
    if (end != std::string::npos) expr.resize(end);
  }
  return expr;
}

// Positions of `names` in `layout`'s columns, or false when one is missing.
bool Positions(const TableLayout& layout, const std::vector<std::string>& names,
               std::vector<size_t>* out) {
  out->clear();
  for (const std::string& n : names) {
    auto it = std::find(layout.columns.begin(), layout.columns.end(), n);
    if (it == layout.columns.end()) return false;
    out->push_back(static_cast<size_t>(it - layout.columns.begin()));
  }
  return true;
}

std::string Encode(const Row& row, const std::vector<size_t>& positions) {
  std::string out;
  for (size_t p : positions) AppendCanonical(row[p], &out);
  return out;
}

// Reads every row of `table`'s archive into `each`.
template <typename Each>
Status ForEachRow(const TableSnapshot& table, Each&& each) {
  RowArchiveReader reader;
  REHEARSE_RETURN_IF_ERROR(reader.Open(table.archive_path));
  Row row;
  Status st;
  while (reader.Next(&row, &st)) each(row);
  return st;
}

}  // namespace

bool IsVolatileDefault(std::string_view expression) {
  std::string e(expression);
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* marker :
       {"now()", "current_timestamp", "clock_timestamp()", "statement_timestamp()",
        "transaction_timestamp()", "localtimestamp", "current_time", "current_date", "'now'",
        "gen_random_uuid()", "uuid_generate_v", "random()", "randomblob(", "nextval(",
        "generated as identity"}) {
    if (e.find(marker) != std::string::npos) return true;
  }
  return false;
}

VolatileColumns FindVolatileColumns(const Catalog& catalog, const std::string& table) {
  VolatileColumns out;
  size_t key_columns = 0;
  for (const TableLayout& t : catalog.tables)
    if (t.name == table) key_columns = t.key.size();
  for (const CatalogObject& o : catalog.objects) {
    if (o.kind != "column" || o.table != table || o.name.size() <= table.size()) continue;
    const std::string column = o.name.substr(table.size() + 1);
    const std::string expr = DefaultOf(o.definition);
    if (!expr.empty() && IsVolatileDefault(expr)) out[column] = expr;
    // SQLite's INTEGER PRIMARY KEY is the rowid, which a row takes from the
    // largest one so far: PostgreSQL's serial, without a default to show.
    std::string lower = o.definition;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (key_columns == 1 && lower.find(" integer primary key#1") != std::string::npos)
      out[column] = "rowid";
  }
  return out;
}

std::string DescribeVolatileColumns(const std::string& table, const VolatileColumns& columns) {
  std::string out;
  for (const auto& [column, expr] : columns)
    out += (out.empty() ? "" : ", ") + table + "." + column +
           (expr.rfind("GENERATED", 0) == 0 || expr == "rowid" ? " " : " DEFAULT ") + expr;
  return out;
}

Status DiffersOnlyInVolatileColumns(const TableSnapshot& expected, const TableSnapshot& actual,
                                    const TableSnapshot* before_step,
                                    const VolatileColumns& columns, bool* only) {
  *only = false;
  const TableLayout& layout = actual.layout;
  if (columns.empty() || expected.layout.columns != layout.columns ||
      expected.archive_path.empty() || actual.archive_path.empty())
    return Status::OK();
  std::vector<std::string> key_names;
  for (size_t k : layout.key) key_names.push_back(layout.columns[k]);
  std::vector<size_t> key = layout.key, all(layout.columns.size()), kept;
  for (size_t i = 0; i < all.size(); ++i) {
    all[i] = i;
    if (!columns.count(layout.columns[i])) kept.push_back(i);
  }
  // Keys are held in memory: these are the tables that already differ, in
  // throwaway databases at the scale of a rehearsal.
  std::unordered_set<std::string> before_keys, older_keys;
  std::vector<size_t> before_key;
  if (before_step && !before_step->archive_path.empty() &&
      Positions(before_step->layout, key_names, &before_key)) {
    REHEARSE_RETURN_IF_ERROR(ForEachRow(
        *before_step, [&](const Row& row) { before_keys.insert(Encode(row, before_key)); }));
  }
  // A row the step inserted counts without its volatile columns, on both sides.
  Digest a, e;
  size_t inserted = 0;
  REHEARSE_RETURN_IF_ERROR(ForEachRow(actual, [&](const Row& row) {
    std::string k = Encode(row, key);
    const bool fresh = !before_keys.count(k);
    inserted += fresh;
    a.Add(HashBytes(Encode(row, fresh ? kept : all)));
    if (!fresh) older_keys.insert(std::move(k));
  }));
  REHEARSE_RETURN_IF_ERROR(ForEachRow(expected, [&](const Row& row) {
    e.Add(HashBytes(Encode(row, older_keys.count(Encode(row, key)) ? all : kept)));
  }));
  *only = inserted > 0 && a == e;
  return Status::OK();
}

}  // namespace rehearse
