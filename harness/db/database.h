// Database: the one interface every layer above the engine uses to talk to a
// database, with a PostgreSQL (libpq) and a SQLite (C API) implementation.
//
// Contract shared by both implementations:
// - No method throws; every failure comes back as a Status carrying the
//   engine's message and, on PostgreSQL, the SQLSTATE.
// - Statements run in autocommit mode unless Begin() opened a transaction; a
//   failed statement inside a transaction leaves it open so the caller can
//   Rollback() (PostgreSQL aborts it; SQLite keeps it usable).
// - A Database is used from one thread at a time.
#ifndef REHEARSE_DB_DATABASE_H_
#define REHEARSE_DB_DATABASE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/sql_script.h"
#include "harness/db/value.h"

struct sqlite3;

namespace rehearse {

enum class Dialect { kPostgres, kSqlite };

const char* DialectName(Dialect d);  // "postgres" / "sqlite"

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

// Supplies rows for BulkLoad one at a time, so a load never holds all rows.
class RowSource {
 public:
  virtual ~RowSource() = default;
  // Fills *row and returns true, or returns false when there are no more rows.
  virtual bool Next(Row* row) = 0;
};

// Receives streamed rows. Returning a non-OK Status stops the stream and is
// returned by the streaming call.
using RowSink = std::function<Status(const Row& row)>;

// Receives streamed rows as the concatenated canonical encodings of their
// values (value_encoding.h); the view is valid during the call only.
using EncodedRowSink = std::function<Status(std::string_view encoded_row)>;

class Database {
 public:
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;

  // Runs every statement of `script` in order, stopping at the first failure,
  // whose Status names script.origin(), the statement's first line and text.
  // Opens no transaction of its own. Each statement goes through Execute
  // (SQLite's rejects a piece it parses as more than one statement).
  virtual Status ExecuteScript(const SqlScript& script);

  // Runs one statement with positional parameters ($1.. on PostgreSQL, ?N or ?
  // on SQLite). Rows it returns, if any, go to *out when out is not null.
  virtual Status Execute(std::string_view sql, const Row& params = {},
                         ResultSet* out = nullptr) = 0;

  // Streams the rows of one query without materialising them; memory stays
  // bounded by one row. On PostgreSQL this is COPY (query) TO STDOUT, so the
  // query must be a plain SELECT without parameters.
  virtual Status Stream(std::string_view query, const RowSink& sink) = 0;

  // Like Stream, but values arrive in their natural class instead of as text,
  // which on PostgreSQL skips the server's text conversion (binary COPY):
  // integer types and booleans as kInteger; float4/float8 as kReal (exact
  // bits); timestamp and timestamptz as kInteger microseconds, date as
  // kInteger days, both since 2000-01-01 (PostgreSQL's epoch); uuid and bytea
  // as kBlob; text types, json and jsonb as kText; any other type as its text
  // output. On SQLite this is Stream.
  virtual Status StreamTyped(std::string_view query, const RowSink& sink) = 0;

  // StreamTyped for callers that only hash or store rows: each row arrives
  // encoded, exactly as AppendCanonical would encode StreamTyped's Row. On
  // PostgreSQL the binary COPY is encoded without building Values (a
  // snapshot's client-side cost); elsewhere this is StreamTyped plus the
  // encoding.
  virtual Status StreamEncoded(std::string_view query, const EncodedRowSink& sink);

  // Prepared statements: Prepare once, ExecutePrepared many times (inside one
  // transaction for bulk work). Preparing an existing name replaces it.
  virtual Status Prepare(const std::string& name, std::string_view sql) = 0;
  virtual Status ExecutePrepared(const std::string& name, const Row& params,
                                 ResultSet* out = nullptr) = 0;

  // Loads rows into `table` (columns in the given order): COPY on PostgreSQL,
  // one prepared INSERT in a transaction on SQLite. Joins the caller's
  // transaction when one is open, else runs in its own. *loaded (optional)
  // receives the row count.
  virtual Status BulkLoad(const std::string& table, const std::vector<std::string>& columns,
                          RowSource* rows, int64_t* loaded = nullptr) = 0;

  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual bool in_transaction() const = 0;
  // Whether the session is inside a transaction, whoever opened it: Begin(),
  // or a script's own BEGIN that no COMMIT closed yet.
  virtual bool session_in_transaction() const = 0;

  // A time limit for what runs next. A statement still running when
  // `deadline` passes (or the first to start after it) is interrupted and
  // fails with kDatabase: SQLSTATE 57014 on PostgreSQL, "interrupted" on
  // SQLite. It fires once: the statements after it (the caller's ROLLBACK)
  // run unbounded, until the next call. On PostgreSQL, statement_timeout is
  // also set to the time left, so a statement that starts just after the
  // client's cancel missed it is still bounded by the server. std::nullopt
  // clears the limit. Inside a transaction the setting follows it: a
  // rollback undoes it, which is what clearing would do.
  using Deadline = std::optional<std::chrono::steady_clock::time_point>;
  virtual Status SetDeadline(Deadline deadline) = 0;

  // The SQLite connection behind this Database, for readers of what this
  // interface does not carry (a table's pages: sqlite_table_pages.h), which
  // do without when it is null: on PostgreSQL, and for a Database that wraps
  // another.
  virtual sqlite3* sqlite_connection() { return nullptr; }

  // Quotes an identifier for this dialect ("a""b").
  static std::string QuoteIdentifier(std::string_view name);

 protected:
  // Runs `work` inside the caller's open transaction, or else inside one of
  // its own that commits when `work` succeeds and rolls back when it fails.
  Status JoinOrOwnTransaction(const std::function<Status()>& work);
};

// Connects to a PostgreSQL database given a libpq connection string. The
// session is pinned to settings that make text output canonical: UTC,
// DateStyle ISO, IntervalStyle postgres, extra_float_digits 1 (shortest exact),
// bytea_output hex, client_encoding UTF8, search_path pg_catalog, public.
Status OpenPostgres(const std::string& conninfo, std::unique_ptr<Database>* db);

// Opens (creating when absent) a SQLite database file with foreign keys on.
// `throwaway` trades durability for load speed (no fsync, journal in
// memory, a 64 MiB cache): for files Rehearse made and will delete, never for
// a file a user named.
Status OpenSqlite(const std::string& path, std::unique_ptr<Database>* db, bool throwaway = false);

}  // namespace rehearse

#endif  // REHEARSE_DB_DATABASE_H_
