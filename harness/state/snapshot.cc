#include "harness/state/snapshot.h"

#include "harness/state/canonical_value.h"
#include "harness/state/row_archive.h"

namespace rehearse {

namespace {

Status ReadTable(Database* db, const SnapshotOptions& options, size_t index, TableSnapshot* t) {
  RowArchiveWriter archive;
  if (!options.archive_dir.empty()) {
    t->archive_path = options.archive_dir + "/" + std::to_string(index) + ".rows";
    REHEARSE_RETURN_IF_ERROR(archive.Open(t->archive_path));
  }
  DigestBuilder hash;
  std::string encoded;
  int64_t count = 0;
  const bool archived = !t->archive_path.empty();
  Status s = db->StreamTyped(t->layout.select_sql, [&](const Row& row) -> Status {
    encoded.clear();
    for (const Value& v : row) AppendCanonical(v, &encoded);
    hash.UpdateField(encoded);
    ++count;
    return archived ? archive.Append(encoded) : Status::OK();
  });
  if (!s.ok()) return s.Prepend("snapshot of table " + t->layout.name);
  REHEARSE_RETURN_IF_ERROR(archive.Close());
  t->row_count = count;
  t->digest = hash.Finish();
  return Status::OK();
}

}  // namespace

const TableSnapshot* Snapshot::FindTable(const std::string& name) const {
  for (const TableSnapshot& t : tables_)
    if (t.layout.name == name) return &t;
  return nullptr;
}

Status Snapshot::Take(Database* db, const SnapshotOptions& options, Snapshot* out) {
  *out = Snapshot();
  if (db->in_transaction())
    return Status::InvalidInput("a snapshot cannot be taken inside an open transaction");
  REHEARSE_RETURN_IF_ERROR(db->Begin());
  Snapshot snap;
  snap.dialect_ = db->dialect();
  Status s;
  if (snap.dialect_ == Dialect::kPostgres)
    s = db->Execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", {}, nullptr);
  if (s.ok()) s = ReadCatalog(db, &snap.catalog_);
  for (size_t i = 0; s.ok() && i < snap.catalog_.tables.size(); ++i) {
    TableSnapshot t;
    t.layout = snap.catalog_.tables[i];
    s = ReadTable(db, options, i, &t);
    snap.tables_.push_back(std::move(t));
  }
  db->Rollback();  // read-only: nothing to keep
  if (!s.ok()) return s;

  DigestBuilder schema;
  for (const CatalogObject& o : snap.catalog_.objects) {
    schema.UpdateField(o.kind);
    schema.UpdateField(o.name);
    schema.UpdateField(o.definition);
  }
  snap.schema_digest_ = schema.Finish();
  DigestBuilder total;
  total.UpdateField(snap.schema_digest_.ToHex());
  for (const TableSnapshot& t : snap.tables_) {
    total.UpdateField(t.layout.name);
    total.UpdateField(t.digest.ToHex());
  }
  snap.digest_ = total.Finish();
  *out = std::move(snap);
  return Status::OK();
}

}  // namespace rehearse
