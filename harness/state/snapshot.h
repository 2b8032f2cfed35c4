// Snapshot: the complete logical state of a database at one moment — its
// catalog and every row of every table in key order, each value in the
// canonical type-tagged encoding — reduced to digests, and optionally kept as
// row archives so that SnapshotDiff can name the rows that differ.
//
// Equal digests mean equal bytes of that encoding: same schema objects, same
// rows, same values with the same storage class. Physical identity (oids,
// ctid, file layout) is not part of it.
//
// Memory stays bounded by one row per reader whatever the database size: rows
// are streamed (binary COPY on PostgreSQL), hashed and, when archived,
// written out. A table's digest is the sum of its rows' digests, so it does
// not depend on the order or the number of connections that read it; with a
// `connect` function, PostgreSQL tables are read by several connections
// sharing one exported snapshot, large tables split by page ranges.
#ifndef REHEARSE_STATE_SNAPSHOT_H_
#define REHEARSE_STATE_SNAPSHOT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/state/catalog.h"
#include "harness/state/digest.h"

namespace rehearse {

class Snapshot;

struct TableSnapshot {
  TableLayout layout;
  int64_t row_count = 0;
  Digest digest;             // over the multiset of the table's rows
  std::string archive_path;  // empty when rows were not archived
};

struct SnapshotOptions {
  // When not empty, each table's rows are written to <archive_dir>/<n>.rows
  // so the snapshot can be diffed later. The directory must exist; the caller
  // owns it and removes it.
  std::string archive_dir;

  // Opens another connection to the same database. When set and the
  // database is PostgreSQL, up to `parallelism` connections read at once.
  std::function<Status(std::unique_ptr<Database>*)> connect;
  int parallelism = 2;
  // Tables larger than this many heap pages are split into ranges this large.
  int64_t pages_per_chunk = 2048;  // 16 MiB
  // Read inside the transaction the caller has open, seeing its uncommitted
  // changes — what a dry run measures before it rolls back — instead of in a
  // read-only transaction of its own. One connection only (`connect` unused).
  bool in_open_transaction = false;

  // An earlier snapshot of this database, or of the database it was cloned
  // from (taken before the clone): its catalog and each table whose rows the
  // engine proves unchanged since (unchanged_tables.h) are taken over — a
  // table's digest, row count and archive (hard-linked into archive_dir, so
  // the earlier archives may be removed first) — instead of being read
  // again; everything else is read. Its archives must outlive this snapshot's. Not with
  // in_open_transaction (then every table is read).
  const Snapshot* previous = nullptr;
};

// OK when `db` has an open transaction, as a snapshot with
// in_open_transaction needs; kInvalidInput (the message Take gives) if not.
Status RequireOpenTransaction(Database* db);

class Snapshot {
 public:
  // Reads `db` inside one read-only transaction (REPEATABLE READ on
  // PostgreSQL) so catalog and rows are consistent. `db` must not be inside a
  // transaction — unless options.in_open_transaction, which requires one and
  // leaves it open. On failure *out is left empty.
  static Status Take(Database* db, const SnapshotOptions& options, Snapshot* out);

  Dialect dialect() const { return dialect_; }
  const Catalog& catalog() const { return catalog_; }
  const std::vector<TableSnapshot>& tables() const { return tables_; }
  const TableSnapshot* FindTable(const std::string& name) const;

  Digest schema_digest() const { return schema_digest_; }  // catalog only
  Digest digest() const { return digest_; }                // catalog and every table
  // How many tables this snapshot read rather than took over from
  // SnapshotOptions::previous.
  size_t tables_read() const { return tables_read_; }
  // Whether it read the catalog rather than took it over (then only the
  // sequence positions were read again).
  bool catalog_read() const { return catalog_read_; }
  // SnapshotOptions::archive_dir: where its archives are.
  const std::string& archive_dir() const { return archive_dir_; }

 private:
  Dialect dialect_ = Dialect::kSqlite;
  Catalog catalog_;
  std::vector<TableSnapshot> tables_;
  Digest schema_digest_;
  Digest digest_;
  size_t tables_read_ = 0;
  bool catalog_read_ = false;
  std::string mark_;  // ReadChangeMark, for a later snapshot
  std::string archive_dir_;
};

}  // namespace rehearse

#endif  // REHEARSE_STATE_SNAPSHOT_H_
