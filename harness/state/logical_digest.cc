#include "harness/state/logical_digest.h"

#include "harness/db/value_encoding.h"
#include "harness/state/row_archive.h"
#include "harness/state/value_display.h"
#include "harness/state/volatile_values.h"

namespace rehearse {

namespace {

Value Neutral(const Value& v, Dialect dialect, const std::string& type) {
  if (v.type == Value::Type::kReal && v.real == 0) return Value::Real(0.0);  // -0.0 -> 0.0
  if (dialect != Dialect::kPostgres || v.type != Value::Type::kInteger) return v;
  if (type == "timestamptz" || type == "timestamp" || type == "date")
    return Value::Text(DisplayValue(v, dialect, type));
  return v;
}

}  // namespace

Status ComputeLogicalDigest(const Snapshot& snapshot, bool (*skip)(std::string_view),
                            LogicalDigest* out) {
  out->clear();
  for (const TableSnapshot& t : snapshot.tables()) {
    if (skip && skip(t.layout.name)) continue;
    LogicalTable& lt = (*out)[t.layout.name];
    for (size_t i = 0; i < t.layout.columns.size(); ++i)
      lt.columns += (i ? ", " : "") + t.layout.columns[i];
    if (t.archive_path.empty())
      return Status::InvalidInput("logical digest of " + t.layout.name + " needs row archives");
    const VolatileColumns volatile_columns = FindVolatileColumns(snapshot.catalog(), t.layout.name);
    lt.volatile_columns = DescribeVolatileColumns(t.layout.name, volatile_columns);
    std::vector<bool> stable(t.layout.columns.size());
    for (size_t i = 0; i < stable.size(); ++i)
      stable[i] = !volatile_columns.count(t.layout.columns[i]);
    RowArchiveReader reader;
    REHEARSE_RETURN_IF_ERROR(reader.Open(t.archive_path));
    Digest sum, stable_sum;
    Row row;
    Status st;
    std::string encoded, stable_encoded;
    while (reader.Next(&row, &st)) {
      encoded.clear();
      stable_encoded.clear();
      for (size_t i = 0; i < row.size(); ++i) {
        const size_t before = encoded.size();
        AppendCanonical(Neutral(row[i], snapshot.dialect(), t.layout.types[i]), &encoded);
        if (stable[i]) stable_encoded.append(encoded, before, std::string::npos);
      }
      sum.Add(HashBytes(encoded));
      stable_sum.Add(HashBytes(stable_encoded));
      ++lt.rows;
    }
    REHEARSE_RETURN_IF_ERROR(st);
    lt.digest = sum.ToHex();
    lt.stable_digest = stable_sum.ToHex();
  }
  return Status::OK();
}

Digest LogicalDigestTotal(const LogicalDigest& digest) {
  DigestBuilder builder;
  for (const auto& [name, table] : digest) {  // in name order
    builder.UpdateField(name);
    builder.UpdateField(table.columns);
    builder.UpdateField(std::to_string(table.rows));
    builder.UpdateField(table.digest);
  }
  return builder.Finish();
}

std::string DescribeLogicalDifferences(const LogicalDigest& a, const char* a_name,
                                       const LogicalDigest& b, const char* b_name, bool values,
                                       std::string* volatile_only) {
  std::string out;
  for (const auto& [name, ta] : a) {
    auto it = b.find(name);
    if (it == b.end()) {
      out += "table " + name + " only on " + a_name + "\n";
    } else if (ta.columns != it->second.columns) {
      out += "table " + name + " columns differ: " + a_name + " (" + ta.columns + ") vs " + b_name +
             " (" + it->second.columns + ")\n";
    } else if (ta.rows != it->second.rows) {
      out += "table " + name + " rows differ: " + std::to_string(ta.rows) + " on " + a_name +
             " vs " + std::to_string(it->second.rows) + " on " + b_name + "\n";
    } else if (values && ta.digest != it->second.digest && volatile_only &&
               !ta.volatile_columns.empty() && !it->second.volatile_columns.empty() &&
               ta.stable_digest == it->second.stable_digest) {
      *volatile_only += "table " + name + ": values differ only in columns with a volatile " +
                        "default (" + a_name + ": " + ta.volatile_columns + "; " + b_name + ": " +
                        it->second.volatile_columns + ")\n";
    } else if (values && ta.digest != it->second.digest) {
      out += "table " + name + ": same row count (" + std::to_string(ta.rows) +
             ") but different values\n";
    }
  }
  for (const auto& [name, tb] : b)
    if (!a.count(name)) out += "table " + name + " only on " + b_name + "\n";
  return out;
}

}  // namespace rehearse
