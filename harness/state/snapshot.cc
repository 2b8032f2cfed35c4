#include "harness/state/snapshot.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "harness/state/row_archive.h"
#include "harness/state/unchanged_tables.h"

namespace rehearse {

namespace {

// One query's worth of reading: a whole table (ordered, when archived) or a
// page range of one.
struct ReadTask {
  size_t table;
  std::string sql;
  std::string archive_path;
};

struct ReadResult {
  Digest sum;
  int64_t rows = 0;
};

Status RunTask(Database* db, const ReadTask& task, const std::string& table_name,
               ReadResult* result) {
  RowArchiveWriter archive;
  if (!task.archive_path.empty()) REHEARSE_RETURN_IF_ERROR(archive.Open(task.archive_path));
  Status s = db->StreamEncoded(task.sql, [&](std::string_view encoded) -> Status {
    result->sum.Add(HashBytes(encoded));
    ++result->rows;
    return task.archive_path.empty() ? Status::OK() : archive.Append(encoded);
  });
  if (!s.ok()) return s.Prepend("snapshot of table " + table_name);
  return archive.Close();
}

// Tasks for the tables not taken over (`reuse`, by table).
std::vector<ReadTask> PlanTasks(const Catalog& catalog, const SnapshotOptions& options, bool split,
                                const std::vector<const TableSnapshot*>& reuse) {
  std::vector<ReadTask> tasks;
  for (size_t i = 0; i < catalog.tables.size(); ++i) {
    const TableLayout& t = catalog.tables[i];
    if (reuse[i]) continue;
    if (!options.archive_dir.empty()) {
      // Archives are merged row by row later, so they are written in key order.
      tasks.push_back({i, t.select_sql + t.order_by_sql,
                       options.archive_dir + "/" + std::to_string(i) + ".rows"});
    } else if (split && t.pages > options.pages_per_chunk) {
      // TID range scans: each connection reads its own run of heap pages; the
      // last range is open so nothing past the size measured is missed.
      for (int64_t p = 0; p < t.pages; p += options.pages_per_chunk) {
        std::string where = " WHERE ctid >= '(" + std::to_string(p) + ",0)'::tid";
        if (p + options.pages_per_chunk < t.pages)
          where += " AND ctid < '(" + std::to_string(p + options.pages_per_chunk) + ",0)'::tid";
        tasks.push_back({i, t.select_sql + where, ""});
      }
    } else {
      tasks.push_back({i, t.select_sql, ""});
    }
  }
  return tasks;
}

// Opens the extra readers and puts each in the main connection's snapshot.
Status OpenReaders(Database* db, const SnapshotOptions& options,
                   std::vector<std::unique_ptr<Database>>* readers) {
  ResultSet id;
  REHEARSE_RETURN_IF_ERROR(db->Execute("SELECT pg_export_snapshot()", {}, &id));
  for (int i = 1; i < options.parallelism; ++i) {
    std::unique_ptr<Database> reader;
    REHEARSE_RETURN_IF_ERROR(options.connect(&reader));
    REHEARSE_RETURN_IF_ERROR(reader->Begin());
    REHEARSE_RETURN_IF_ERROR(
        reader->Execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", {}, nullptr));
    REHEARSE_RETURN_IF_ERROR(
        reader->Execute("SET TRANSACTION SNAPSHOT '" + id.rows[0][0].bytes + "'", {}, nullptr));
    readers->push_back(std::move(reader));
  }
  return Status::OK();
}

// Reads every table with `db` plus `readers`, each pulling the next task.
Status ReadTables(Database* db, const std::vector<std::unique_ptr<Database>>& readers,
                  const std::vector<ReadTask>& tasks, std::vector<TableSnapshot>* tables) {
  std::vector<ReadResult> results(tasks.size());
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status first_error;
  auto work = [&](Database* conn) {
    for (size_t i = next++; i < tasks.size(); i = next++) {
      Status s = RunTask(conn, tasks[i], (*tables)[tasks[i].table].layout.name, &results[i]);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = s;
        next = tasks.size();
      }
    }
  };
  std::vector<std::thread> threads;
  for (const auto& r : readers) threads.emplace_back(work, r.get());
  work(db);
  for (std::thread& t : threads) t.join();
  REHEARSE_RETURN_IF_ERROR(first_error);
  for (size_t i = 0; i < tasks.size(); ++i) {
    TableSnapshot& t = (*tables)[tasks[i].table];
    t.digest.Add(results[i].sum);
    t.row_count += results[i].rows;
    if (!tasks[i].archive_path.empty()) t.archive_path = tasks[i].archive_path;
  }
  return Status::OK();
}

}  // namespace

const TableSnapshot* Snapshot::FindTable(const std::string& name) const {
  for (const TableSnapshot& t : tables_)
    if (t.layout.name == name) return &t;
  return nullptr;
}

Status RequireOpenTransaction(Database* db) {
  if (db->in_transaction()) return Status::OK();
  return Status::InvalidInput("in_open_transaction: the database has no open transaction");
}

Status Snapshot::Take(Database* db, const SnapshotOptions& options, Snapshot* out) {
  *out = Snapshot();
  const bool own = !options.in_open_transaction;
  if (own && db->in_transaction())
    return Status::InvalidInput("a snapshot cannot be taken inside an open transaction");
  if (!own) REHEARSE_RETURN_IF_ERROR(RequireOpenTransaction(db));
  if (own) REHEARSE_RETURN_IF_ERROR(db->Begin());
  Snapshot snap;
  snap.dialect_ = db->dialect();
  const bool parallel =
      own && snap.dialect_ == Dialect::kPostgres && options.connect && options.parallelism > 1;
  Status s;
  if (own && snap.dialect_ == Dialect::kPostgres) {
    s = db->Execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", {}, nullptr);
    // Small queries over many tables (the catalog, FindUnchangedTables) would
    // otherwise wait for parallel workers to start; reading is parallel by
    // connections (`connect`) instead.
    if (s.ok()) s = db->Execute("SET LOCAL max_parallel_workers_per_gather = 0", {}, nullptr);
  }
  const Snapshot* previous = own && options.previous && options.previous->dialect_ == snap.dialect_
                                 ? options.previous
                                 : nullptr;
  bool catalog_unchanged = false;
  if (s.ok() && own)
    s = ReadChangeMark(db, previous ? previous->mark_ : "", &snap.mark_, &catalog_unchanged);
  if (s.ok() && catalog_unchanged) {
    snap.catalog_ = previous->catalog_;
    s = ReadCatalogPositions(db, &snap.catalog_);
  } else if (s.ok()) {
    s = ReadCatalog(db, &snap.catalog_);
    snap.catalog_read_ = true;
  }
  std::vector<const TableSnapshot*> reuse(snap.catalog_.tables.size());
  if (s.ok() && previous)
    s = FindUnchangedTables(db, snap.catalog_, snap.mark_, previous->tables_, previous->mark_,
                            !options.archive_dir.empty(), &reuse);
  std::vector<std::unique_ptr<Database>> readers;
  if (s.ok() && parallel) s = OpenReaders(db, options, &readers);
  if (s.ok()) {
    for (const TableLayout& layout : snap.catalog_.tables) {
      TableSnapshot t;
      t.layout = layout;
      snap.tables_.push_back(std::move(t));
    }
    s = ReadTables(db, readers, PlanTasks(snap.catalog_, options, parallel, reuse), &snap.tables_);
  }
  for (auto& r : readers) r->Rollback();
  if (own) db->Rollback();  // read-only: nothing to keep
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
  for (size_t i = 0; i < snap.tables_.size(); ++i) {
    TableSnapshot& t = snap.tables_[i];
    if (reuse[i]) {
      t.row_count = reuse[i]->row_count;
      t.digest = reuse[i]->digest;
      t.archive_path = reuse[i]->archive_path;
      if (!options.archive_dir.empty()) {
        // A link of its own: the earlier snapshot's archives may go first.
        t.archive_path = options.archive_dir + "/" + std::to_string(i) + ".rows";
        if (link(reuse[i]->archive_path.c_str(), t.archive_path.c_str()) != 0)
          return Status::Infrastructure("cannot link " + reuse[i]->archive_path + " to " +
                                        t.archive_path + ": " + std::strerror(errno));
      }
    } else {
      // The row count goes into the table digest too: a sum alone would let
      // an empty table and one whose row digests cancel out look alike.
      DigestBuilder table;
      table.UpdateField(t.digest.ToHex());
      table.UpdateField(std::to_string(t.row_count));
      t.digest = table.Finish();
      ++snap.tables_read_;
    }
    total.UpdateField(t.layout.name);
    total.UpdateField(t.digest.ToHex());
  }
  snap.digest_ = total.Finish();
  snap.archive_dir_ = options.archive_dir;
  *out = std::move(snap);
  return Status::OK();
}

}  // namespace rehearse
