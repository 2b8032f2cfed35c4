#include "harness/migrate/state_change.h"

#include <filesystem>
#include <map>

#include "harness/migrate/harness_tables.h"

namespace rehearse {

namespace {

std::map<std::string, const CatalogObject*> UserObjects(const Snapshot& snap) {
  std::map<std::string, const CatalogObject*> out;
  for (const CatalogObject& o : snap.catalog().objects)
    if (!IsHarnessTable(o.table.empty() ? o.name : o.table)) out[o.kind + " " + o.name] = &o;
  return out;
}

bool Archived(const Snapshot& snap) {
  for (const TableSnapshot& t : snap.tables())
    if (t.archive_path.empty()) return false;
  return true;
}

}  // namespace

Status TakeProbe(Database* db, const std::string& archive_root, int* n, Snapshot* out) {
  SnapshotOptions o;
  o.in_open_transaction = true;
  if (!archive_root.empty()) {
    // One folder per snapshot: a snapshot names its archives by table index.
    o.archive_dir = archive_root + "/probe-" + std::to_string((*n)++);
    std::error_code ec;
    std::filesystem::create_directory(o.archive_dir, ec);
    if (ec) return Status::IoError("cannot create " + o.archive_dir + ": " + ec.message());
  }
  return Snapshot::Take(db, o, out);
}

void DropProbe(const Snapshot& probe) {
  for (const TableSnapshot& t : probe.tables()) {
    if (t.archive_path.empty()) continue;
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(t.archive_path).parent_path(), ec);
    return;
  }
}

Status CompareStates(const Snapshot& before, const Snapshot& after, size_t samples_per_table,
                     StateChange* out) {
  StateChange change;
  const auto b = UserObjects(before), a = UserObjects(after);
  for (const auto& [key, o] : b) {
    auto it = a.find(key);
    if (it == a.end()) {
      change.schema_removed.push_back(key);
    } else if (it->second->definition != o->definition) {
      change.schema_changed.push_back(key);
    }
  }
  for (const auto& [key, o] : a)
    if (!b.count(key)) change.schema_added.push_back(key);

  if (Archived(before) && Archived(after)) {
    DiffOptions o;
    o.rows_only = true;
    o.added_columns = true;  // a backfill of a new column is the news
    o.max_per_table = samples_per_table;
    o.skip_table = [](const std::string& t) { return IsHarnessTable(t); };
    REHEARSE_RETURN_IF_ERROR(DiffSnapshots(before, after, o, &change.samples));
  }

  std::map<std::string, TableChange> tables;
  for (const TableSnapshot& t : before.tables()) {
    TableChange& c = tables[t.layout.name];
    c.table = t.layout.name;
    c.rows_before = t.row_count;
    c.rows_changed = t.row_count > 0;  // unless found unchanged below
  }
  for (const TableSnapshot& t : after.tables()) {
    TableChange& c = tables[t.layout.name];
    c.table = t.layout.name;
    c.rows_after = t.row_count;
    const TableSnapshot* old = before.FindTable(t.layout.name);
    c.rows_changed = old ? old->digest != t.digest : t.row_count > 0;
  }
  for (auto& [name, c] : tables) {
    // A table created or dropped empty is schema news only, listed above.
    if (!c.rows_changed || IsHarnessTable(name)) continue;
    auto tally = change.samples.rows.find(name);
    if (tally != change.samples.rows.end()) c.tally = tally->second;
    change.tables.push_back(c);
  }
  *out = std::move(change);
  return Status::OK();
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
    if (t.tally) {
      out += ": " + std::to_string(t.tally->added) + " added, " + std::to_string(t.tally->removed) +
             " removed, " + std::to_string(t.tally->changed) + " changed";
    } else if (t.rows_before == t.rows_after) {
      out += " (rows changed)";
    }
    out += "\n";
  }
  const std::string samples_text = samples.Render();
  if (!samples_text.empty()) out += "samples:\n" + samples_text;
  return out;
}

}  // namespace rehearse
