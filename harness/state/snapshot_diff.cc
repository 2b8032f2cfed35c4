#include "harness/state/snapshot_diff.h"

#include <algorithm>
#include <map>

#include "harness/state/row_archive.h"
#include "harness/state/value_display.h"

namespace rehearse {

namespace {

class DiffCollector {
 public:
  DiffCollector(const DiffOptions& options, SnapshotDiff* out) : options_(options), out_(out) {}

  void Add(const std::string& group, Difference d) {
    size_t& n = out_->counted[group];
    ++n;
    (d.is_warning() ? out_->warnings : out_->failures)++;
    if (n <= options_.max_per_table) out_->shown.push_back(std::move(d));
  }

 private:
  const DiffOptions& options_;
  SnapshotDiff* out_;
};

std::string KeyText(const TableLayout& t, Dialect dialect, const Row& row) {
  std::string out;
  for (size_t k : t.key) {
    out +=
        (out.empty() ? "" : ", ") + t.columns[k] + "=" + DisplayValue(row[k], dialect, t.types[k]);
  }
  return t.key.size() == 1 ? out : "(" + out + ")";
}

int CompareRows(const TableLayout& t, const Row& a, const std::vector<size_t>& b_key,
                const Row& b) {
  for (size_t i = 0; i < t.key.size(); ++i) {
    int c = CompareKey(a[t.key[i]], b[b_key[i]], t.key_order[i]);
    if (c != 0) return c;
  }
  return 0;
}

void DiffSchema(const Snapshot& before, const Snapshot& after, const DiffOptions& options,
                DiffCollector* out) {
  std::map<std::pair<std::string, std::string>, const CatalogObject*> b, a;
  auto keep = [&](const CatalogObject& o) {
    if (options.skip_table && options.skip_table(o.table.empty() ? o.name : o.table)) return false;
    return !options.schema_only || o.kind != "sequence_position";
  };
  for (const CatalogObject& o : before.catalog().objects)
    if (keep(o)) b[{o.kind, o.name}] = &o;
  for (const CatalogObject& o : after.catalog().objects)
    if (keep(o)) a[{o.kind, o.name}] = &o;
  for (auto& [id, o] : b) {
    const std::string group = id.first == "sequence_position" ? id.first : "schema " + id.first;
    auto it = a.find(id);
    Difference::Kind kind;
    if (it == a.end()) {
      kind = Difference::Kind::kSchemaRemoved;
    } else if (it->second->definition != o->definition) {
      kind = Difference::Kind::kSchemaChanged;
    } else {
      continue;
    }
    if (id.first == "sequence_position") kind = Difference::Kind::kSequencePosition;
    out->Add(group, {kind, id.first + " " + id.second, "", "", o->definition,
                     it == a.end() ? "" : it->second->definition});
  }
  for (auto& [id, o] : a) {
    if (b.count(id)) continue;
    bool position = id.first == "sequence_position";
    out->Add(position ? id.first : "schema " + id.first,
             {position ? Difference::Kind::kSequencePosition : Difference::Kind::kSchemaAdded,
              id.first + " " + id.second, "", "", "", o->definition});
  }
}

Status DiffRows(Dialect dialect, const TableSnapshot& b, const TableSnapshot& a,
                const DiffOptions& options, DiffCollector* out, SnapshotDiff* diff) {
  const TableLayout& t = b.layout;
  auto digest_only = [&](const std::string& why) {
    out->Add(t.name, {Difference::Kind::kRowChanged, t.name, "", "",
                      std::to_string(b.row_count) + " rows, digest " + b.digest.ToHex(),
                      std::to_string(a.row_count) + " rows, digest " + a.digest.ToHex() + " (" +
                          why + ")"});
    return Status::OK();
  };
  if (b.archive_path.empty() || a.archive_path.empty())
    return digest_only("rows not archived, so they cannot be named");

  // Line the columns up by name: a column added or dropped is a schema
  // difference already; rows are compared on the columns both sides have.
  std::map<std::string, size_t> after_pos;
  for (size_t i = 0; i < a.layout.columns.size(); ++i) after_pos[a.layout.columns[i]] = i;
  std::vector<size_t> a_key;
  for (size_t k : t.key) {
    auto it = after_pos.find(t.columns[k]);
    if (it == after_pos.end()) return digest_only("key column " + t.columns[k] + " is gone");
    a_key.push_back(it->second);
  }

  std::vector<size_t> added_columns;  // positions in `a` of columns `b` lacks
  if (options.added_columns) {
    for (size_t i = 0; i < a.layout.columns.size(); ++i)
      if (std::find(t.columns.begin(), t.columns.end(), a.layout.columns[i]) == t.columns.end())
        added_columns.push_back(i);
  }
  RowTally& tally = diff->rows[t.name];
  RowArchiveReader rb, ra;
  REHEARSE_RETURN_IF_ERROR(rb.Open(b.archive_path));
  REHEARSE_RETURN_IF_ERROR(ra.Open(a.archive_path));
  Status sb, sa;
  Row row_b, row_a;
  bool has_b = rb.Next(&row_b, &sb), has_a = ra.Next(&row_a, &sa);
  while (has_b || has_a) {
    int c = !has_a ? -1 : !has_b ? 1 : CompareRows(t, row_b, a_key, row_a);
    if (c < 0) {
      ++tally.removed;
      out->Add(t.name,
               {Difference::Kind::kRowRemoved, t.name, KeyText(t, dialect, row_b), "", "row", ""});
      has_b = rb.Next(&row_b, &sb);
    } else if (c > 0) {
      // Key shown in the before layout's terms: map after's values across.
      Row as_before(t.columns.size());
      for (size_t i = 0; i < t.key.size(); ++i) as_before[t.key[i]] = row_a[a_key[i]];
      ++tally.added;
      out->Add(t.name, {Difference::Kind::kRowAdded, t.name, KeyText(t, dialect, as_before), "", "",
                        "row"});
      has_a = ra.Next(&row_a, &sa);
    } else {
      bool changed = false;
      for (size_t i = 0; i < t.columns.size(); ++i) {
        auto it = after_pos.find(t.columns[i]);
        if (it == after_pos.end() || row_b[i] == row_a[it->second]) continue;
        changed = true;
        out->Add(t.name, {Difference::Kind::kRowChanged, t.name, KeyText(t, dialect, row_b),
                          t.columns[i], DisplayValue(row_b[i], dialect, t.types[i]),
                          DisplayValue(row_a[it->second], dialect, t.types[i])});
      }
      for (size_t i : added_columns) {
        if (row_a[i].is_null()) continue;
        changed = true;
        out->Add(t.name,
                 {Difference::Kind::kRowChanged, t.name, KeyText(t, dialect, row_b),
                  a.layout.columns[i], "", DisplayValue(row_a[i], dialect, a.layout.types[i])});
      }
      tally.changed += changed;
      has_b = rb.Next(&row_b, &sb);
      has_a = ra.Next(&row_a, &sa);
    }
  }
  REHEARSE_RETURN_IF_ERROR(sb);
  return sa;
}

}  // namespace

const char* DifferenceKindName(Difference::Kind kind) {
  switch (kind) {
    case Difference::Kind::kSchemaAdded:
      return "schema object added";
    case Difference::Kind::kSchemaRemoved:
      return "schema object removed";
    case Difference::Kind::kSchemaChanged:
      return "schema object changed";
    case Difference::Kind::kRowAdded:
      return "row added";
    case Difference::Kind::kRowRemoved:
      return "row removed";
    case Difference::Kind::kRowChanged:
      return "row changed";
    case Difference::Kind::kSequencePosition:
      return "sequence position (warning)";
  }
  return "?";
}

std::string Difference::ToString() const {
  std::string out = std::string(DifferenceKindName(kind)) + ": " + object;
  if (!key.empty()) out += " key " + key;
  if (!column.empty()) out += " column " + column;
  if (kind == Kind::kRowAdded || kind == Kind::kRowRemoved) return out;
  // Row values are never empty (Display quotes text); a value is empty only
  // on the side where it does not exist: a schema object, or a new column.
  out += ": " + (before.empty() ? std::string("(absent)") : before) + " -> " +
         (after.empty() ? std::string("(absent)") : after);
  return out;
}

std::string SnapshotDiff::Render() const {
  std::string out;
  std::map<std::string, size_t> shown_per_group;
  for (const Difference& d : shown) out += "  " + d.ToString() + "\n";
  for (const Difference& d : shown) {
    bool schema = d.kind == Difference::Kind::kSchemaAdded ||
                  d.kind == Difference::Kind::kSchemaRemoved ||
                  d.kind == Difference::Kind::kSchemaChanged;
    std::string group = d.kind == Difference::Kind::kSequencePosition ? "sequence_position"
                        : schema ? "schema " + d.object.substr(0, d.object.find(' '))
                                 : d.object;
    ++shown_per_group[group];
  }
  for (auto& [group, n] : counted) {
    size_t s = shown_per_group[group];
    if (n > s) out += "  ... and " + std::to_string(n - s) + " more in " + group + "\n";
  }
  return out;
}

Status DiffSnapshots(const Snapshot& before, const Snapshot& after, const DiffOptions& options,
                     SnapshotDiff* out) {
  *out = SnapshotDiff();
  DiffCollector collect(options, out);
  auto skipped = [&](const std::string& t) { return options.skip_table && options.skip_table(t); };
  if (!options.rows_only) DiffSchema(before, after, options, &collect);
  if (options.schema_only) return Status::OK();
  for (const TableSnapshot& b : before.tables()) {
    const TableSnapshot* a = after.FindTable(b.layout.name);
    if (!a || a->digest == b.digest || skipped(b.layout.name))
      continue;  // a missing table is a schema difference
    REHEARSE_RETURN_IF_ERROR(DiffRows(before.dialect(), b, *a, options, &collect, out));
  }
  for (const TableSnapshot& a : after.tables()) {
    const TableSnapshot* b = before.FindTable(a.layout.name);
    if (b || a.row_count == 0 || skipped(a.layout.name)) continue;
    out->rows[a.layout.name].added = a.row_count;
    collect.Add(a.layout.name,
                {Difference::Kind::kRowAdded, a.layout.name,
                 "(" + std::to_string(a.row_count) + " rows in a new table)", "", "", ""});
  }
  return Status::OK();
}

}  // namespace rehearse
