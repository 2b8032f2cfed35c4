// SQLite implementation of Database over the C API.
#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "harness/db/database.h"

namespace rehearse {

namespace {

// The most rows one BulkLoad INSERT carries (fewer when the table is so wide
// that they would pass SQLite's parameter limit).
constexpr int kRowsPerInsert = 64;

class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* s) : stmt_(s) {}
  Statement(Statement&& o) noexcept : stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Statement& operator=(Statement&& o) noexcept {
    std::swap(stmt_, o.stmt_);
    return *this;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return Value::Integer(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return Value::Real(sqlite3_column_double(stmt, i));
    case SQLITE_TEXT: {
      const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return Value::Text(std::string(p, sqlite3_column_bytes(stmt, i)));
    }
    case SQLITE_BLOB: {
      const char* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      return Value::Blob(std::string(p ? p : "", sqlite3_column_bytes(stmt, i)));
    }
    default:
      return Value::Null();
  }
}

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  ~SqliteDatabase() override {
    prepared_.clear();
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status Execute(std::string_view sql, const Row& params, ResultSet* out) override {
    Statement stmt;
    REHEARSE_RETURN_IF_ERROR(PrepareOne(sql, &stmt));
    if (!stmt.get()) return Status::OK();  // only whitespace or comments
    return Run(stmt.get(), params, out);
  }

  Status Stream(std::string_view query, const RowSink& sink) override {
    Statement stmt;
    REHEARSE_RETURN_IF_ERROR(PrepareOne(query, &stmt));
    if (!stmt.get()) return Status::OK();
    int n = sqlite3_column_count(stmt.get());
    Row row(n);
    for (;;) {
      int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) return Status::OK();
      if (rc != SQLITE_ROW) return Error(query);
      for (int i = 0; i < n; ++i) row[i] = ColumnValue(stmt.get(), i);
      REHEARSE_RETURN_IF_ERROR(sink(row));
    }
  }

  Status StreamTyped(std::string_view query, const RowSink& sink) override {
    return Stream(query, sink);  // SQLite values are typed already
  }

  Status Prepare(const std::string& name, std::string_view sql) override {
    Statement stmt;
    REHEARSE_RETURN_IF_ERROR(PrepareOne(sql, &stmt));
    prepared_[name] = std::move(stmt);
    return Status::OK();
  }

  Status ExecutePrepared(const std::string& name, const Row& params, ResultSet* out) override {
    auto it = prepared_.find(name);
    if (it == prepared_.end()) return Status::NotFound("no prepared statement named " + name);
    return Run(it->second.get(), params, out);
  }

  Status BulkLoad(const std::string& table, const std::vector<std::string>& columns,
                  RowSource* rows, int64_t* loaded) override {
    // Many rows per INSERT: a statement's own work — opening the cursors of
    // the table and of each index, seeking from the root, halting — was a
    // third of a one-row insert; the rows of one statement share it, and the
    // table cursor's append fast path sees them all.
    const int width = static_cast<int>(columns.size());
    const int max_params = sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    const int per_statement = width == 0 ? 1 : std::clamp(max_params / width, 1, kRowsPerInsert);
    std::string head = "INSERT INTO " + QuoteIdentifier(table) + " (";
    std::string marks = "(";
    for (int i = 0; i < width; ++i) {
      head += (i ? ", " : "") + QuoteIdentifier(columns[i]);
      marks += i ? ", ?" : "?";
    }
    head += ") VALUES ";
    marks += ")";
    // The many-row INSERT is prepared at the first full group: parsing it
    // costs more than inserting a few rows one by one, and the filler's
    // split of a rejected batch loads many small ones (bench/fill_bench).
    Statement one_row, many_rows;
    REHEARSE_RETURN_IF_ERROR(PrepareOne(head + marks, &one_row));
    int64_t count = 0;
    Status s = JoinOrOwnTransaction([&] {
      std::vector<Row> pending(per_statement);
      size_t n = 0;
      while (rows->Next(&pending[n])) {
        if (pending[n].size() != columns.size()) {
          return Status::InvalidInput("bulk load into " + table + ": row has " +
                                      std::to_string(pending[n].size()) + " values for " +
                                      std::to_string(columns.size()) + " columns");
        }
        if (++n < pending.size()) continue;
        if (many_rows.get() == nullptr) {
          std::string many = head;
          for (int r = 0; r < per_statement; ++r) many += (r ? ", " : "") + marks;
          REHEARSE_RETURN_IF_ERROR(PrepareOne(many, &many_rows));
        }
        REHEARSE_RETURN_IF_ERROR(InsertRows(many_rows.get(), pending.data(), n, head + marks));
        count += static_cast<int64_t>(n);
        n = 0;
      }
      for (size_t i = 0; i < n; ++i) {
        REHEARSE_RETURN_IF_ERROR(InsertRows(one_row.get(), &pending[i], 1, head + marks));
        ++count;
      }
      return Status::OK();
    });
    if (!s.ok()) return s.Prepend("bulk load into " + table);
    if (loaded) *loaded = count;
    return Status::OK();
  }

  Status Begin() override {
    REHEARSE_RETURN_IF_ERROR(Execute("BEGIN", {}, nullptr));
    in_transaction_ = true;
    return Status::OK();
  }
  Status Commit() override {
    in_transaction_ = false;
    return Execute("COMMIT", {}, nullptr);
  }
  Status Rollback() override {
    in_transaction_ = false;
    if (sqlite3_get_autocommit(db_)) return Status::OK();  // already rolled back
    return Execute("ROLLBACK", {}, nullptr);
  }
  bool in_transaction() const override { return in_transaction_; }
  bool session_in_transaction() const override { return !sqlite3_get_autocommit(db_); }
  sqlite3* sqlite_connection() override { return db_; }

  Status SetDeadline(Deadline deadline) override {
    deadline_ = deadline;
    // Every kProgressSteps virtual machine instructions: an endless
    // recursive CTE runs instructions without end, never a statement boundary.
    if (deadline_)
      sqlite3_progress_handler(db_, kProgressSteps, &SqliteDatabase::Progress, this);
    else
      sqlite3_progress_handler(db_, 0, nullptr, nullptr);
    return Status::OK();
  }

 private:
  static constexpr int kProgressSteps = 1000;

  // Non-zero interrupts the running statement (SQLITE_INTERRUPT); once, so
  // that the caller's rollback runs.
  static int Progress(void* self) {
    auto* me = static_cast<SqliteDatabase*>(self);
    if (!me->deadline_ || std::chrono::steady_clock::now() < *me->deadline_) return 0;
    me->deadline_.reset();
    return 1;
  }

  Status Error(std::string_view sql) const {
    // A full disk or an I/O error is the machine failing, not the statement.
    const int code = sqlite3_errcode(db_);
    if (code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_NOMEM) {
      const char* file = sqlite3_db_filename(db_, "main");
      return Status::Infrastructure(std::string("SQLite ran out of resources: ") +
                                    sqlite3_errmsg(db_) + " in " + (file ? file : "memory"))
          .WithStatement(std::string(sql));
    }
    return Status::Database(sqlite3_errmsg(db_)).WithStatement(std::string(sql));
  }

  // Prepares the first statement of `sql`; trailing text other than
  // whitespace/comments is an error, since callers expect exactly one.
  Status PrepareOne(std::string_view sql, Statement* out) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, &tail) !=
        SQLITE_OK) {
      return Error(sql);
    }
    *out = Statement(raw);
    std::string_view rest(tail, sql.data() + sql.size() - tail);
    SqlStatementView more;
    if (SqlSplitter(rest).Next(&more)) {
      return Status::InvalidInput("more than one statement given where one was expected")
          .WithStatement(std::string(sql));
    }
    return Status::OK();
  }

  Status Bind(sqlite3_stmt* stmt, const Row& params) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Status::InvalidInput("statement takes " +
                                  std::to_string(sqlite3_bind_parameter_count(stmt)) +
                                  " parameters, " + std::to_string(params.size()) + " given")
          .WithStatement(sqlite3_sql(stmt));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      if (BindValue(stmt, static_cast<int>(i + 1), params[i]) != SQLITE_OK)
        return Error(sqlite3_sql(stmt));
    }
    return Status::OK();
  }

  // Binds without copying: the value must outlive the statement's next step.
  static int BindValue(sqlite3_stmt* stmt, int idx, const Value& v) {
    switch (v.type) {
      case Value::Type::kNull:
        return sqlite3_bind_null(stmt, idx);
      case Value::Type::kInteger:
        return sqlite3_bind_int64(stmt, idx, v.integer);
      case Value::Type::kReal:
        return sqlite3_bind_double(stmt, idx, v.real);
      case Value::Type::kText:
        return sqlite3_bind_text(stmt, idx, v.bytes.data(), static_cast<int>(v.bytes.size()),
                                 SQLITE_STATIC);
      case Value::Type::kBlob:
        return sqlite3_bind_blob(stmt, idx, v.bytes.data(), static_cast<int>(v.bytes.size()),
                                 SQLITE_STATIC);
    }
    return SQLITE_MISUSE;
  }

  // Runs a BulkLoad INSERT of `n` rows, every parameter bound afresh (so no
  // clear_bindings); failures name the one-row form of the statement.
  Status InsertRows(sqlite3_stmt* stmt, const Row* rows, size_t n, const std::string& shown_sql) {
    sqlite3_reset(stmt);
    int idx = 0;
    for (size_t r = 0; r < n; ++r) {
      for (const Value& v : rows[r]) {
        if (BindValue(stmt, ++idx, v) != SQLITE_OK) return Error(shown_sql);
      }
    }
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) return Status::OK();
    Status s = Error(shown_sql);
    sqlite3_reset(stmt);
    return s;
  }

  Status Run(sqlite3_stmt* stmt, const Row& params, ResultSet* out) {
    REHEARSE_RETURN_IF_ERROR(Bind(stmt, params));
    int n = sqlite3_column_count(stmt);
    if (out) {
      out->columns.clear();
      out->rows.clear();
      for (int i = 0; i < n; ++i) out->columns.push_back(sqlite3_column_name(stmt, i));
    }
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Status s = Error(sqlite3_sql(stmt));
        sqlite3_reset(stmt);
        return s;
      }
      if (out) {
        Row row(n);
        for (int i = 0; i < n; ++i) row[i] = ColumnValue(stmt, i);
        out->rows.push_back(std::move(row));
      }
    }
    sqlite3_reset(stmt);
    return Status::OK();
  }

  sqlite3* db_;
  bool in_transaction_ = false;
  Deadline deadline_;
  std::map<std::string, Statement> prepared_;
};

}  // namespace

Status OpenSqlite(const std::string& path, std::unique_ptr<Database>* db, bool throwaway) {
  sqlite3* raw = nullptr;
  // NOMUTEX: a Database is used from one thread at a time (database.h), so
  // the connection's own mutex, taken by every bind and step, buys nothing
  // and cost a tenth of a bulk load.
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Status::IoError("cannot open SQLite database " + path + ": " +
                               (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_close_v2(raw);
    return s;
  }
  sqlite3_busy_timeout(raw, 5000);
  auto owned = std::make_unique<SqliteDatabase>(raw);
  REHEARSE_RETURN_IF_ERROR(owned->Execute("PRAGMA foreign_keys = ON", {}, nullptr));
  if (throwaway) {
    for (const char* pragma : {"PRAGMA synchronous = OFF", "PRAGMA journal_mode = MEMORY",
                               "PRAGMA cache_size = -65536"}) {
      REHEARSE_RETURN_IF_ERROR(owned->Execute(pragma, {}, nullptr));
    }
  }
  *db = std::move(owned);
  return Status::OK();
}

}  // namespace rehearse
