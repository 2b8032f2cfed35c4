// PostgreSQL implementation of Database over libpq. (It was over libpqxx
// 6.4, whose COPY FROM takes text lines only; BulkLoad's binary COPY needs
// PQputCopyData, and the rest is as short in libpq.) Nothing here throws.
//
// Kept from the libpqxx implementation, because callers rely on them:
// prepared statements are prepared on the server at their first execution,
// so a bad one fails there and not in Prepare (inside a transaction, a
// failed PREPARE would abort it); notices are dropped; a COMMIT of a
// transaction a failed statement aborted is not an error.
#include <libpq-fe.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "harness/db/copy_text.h"
#include "harness/db/database.h"
#include "harness/db/postgres_binary.h"
#include "harness/db/postgres_binary_input.h"

namespace rehearse {

namespace {

// Settings that make every value's text output canonical and independent of
// the server's configuration.
constexpr const char* kSessionSettings =
    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
    "SET extra_float_digits = 1; SET bytea_output = 'hex'; SET client_encoding = 'UTF8';"
    "SET search_path = public; SET client_min_messages = warning";

// COPY data goes to the server in pieces of about this size.
constexpr size_t kCopyChunk = 256 * 1024;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trimmed(const char* message) {
  std::string msg = message ? message : "";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

ResultSet ToResultSet(const PGresult* r) {
  ResultSet out;
  const int columns = PQnfields(r), rows = PQntuples(r);
  for (int c = 0; c < columns; ++c) out.columns.push_back(PQfname(r, c));
  out.rows.reserve(rows);
  for (int i = 0; i < rows; ++i) {
    Row values;
    values.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      values.push_back(PQgetisnull(r, i, c)
                           ? Value::Null()
                           : Value::Text(std::string(PQgetvalue(r, i, c), PQgetlength(r, i, c))));
    }
    out.rows.push_back(std::move(values));
  }
  return out;
}

void IgnoreNotice(void*, const char*) {}

// The client side of a time limit: at the deadline, one cancel request for
// whatever the connection runs then. A server that does not answer (a lock
// wait, a hung backend) is reached this way even where statement_timeout is
// not, or was not set.
class CancelAtDeadline {
 public:
  CancelAtDeadline(PGconn* conn, std::chrono::steady_clock::time_point deadline)
      : cancel_(PQgetCancel(conn)), thread_([this, deadline] { Wait(deadline); }) {}
  ~CancelAtDeadline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    PQfreeCancel(cancel_);
  }

 private:
  void Wait(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_until(lock, deadline, [this] { return stop_; }) || cancel_ == nullptr) return;
    char error[256];
    PQcancel(cancel_, error, sizeof error);  // best effort: statement_timeout backs it up
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  PGcancel* cancel_;
  std::thread thread_;  // last: starts once the members above exist
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(PGconn* conn) : conn_(conn) {
    PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  }
  ~PostgresDatabase() override {  // an open transaction rolls back
    canceller_.reset();
    PQfinish(conn_);
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status Execute(std::string_view sql, const Row& params, ResultSet* out) override {
    const std::string text(sql);
    // The simple protocol (no parameters) also accepts statements that the
    // extended protocol cannot prepare, and several statements at once.
    Result r;
    if (params.empty()) {
      r.reset(PQexec(conn_, text.c_str()));
    } else {
      TextParams p(params);
      r.reset(
          PQexecParams(conn_, text.c_str(), p.count(), nullptr, p.values(), nullptr, nullptr, 0));
    }
    return Finish(r.get(), text, out);
  }

  Status Stream(std::string_view query, const RowSink& sink) override {
    Row row;
    return CopyOut("COPY (" + std::string(query) + ") TO STDOUT", [&](std::string_view line) {
      if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
      ParseCopyTextLine(line, &row);
      return sink(row);
    });
  }

  Status StreamTyped(std::string_view query, const RowSink& sink) override {
    std::string copy;
    std::vector<BinaryDecoding> decodings;
    REHEARSE_RETURN_IF_ERROR(TypedCopy(query, &copy, &decodings));
    BinaryCopyParser parser(std::move(decodings));
    return CopyOut(copy, [&](std::string_view message) { return parser.Feed(message, sink); });
  }

  Status StreamEncoded(std::string_view query, const EncodedRowSink& sink) override {
    std::string copy;
    std::vector<BinaryDecoding> decodings;
    REHEARSE_RETURN_IF_ERROR(TypedCopy(query, &copy, &decodings));
    BinaryCopyParser parser(std::move(decodings));
    return CopyOut(copy,
                   [&](std::string_view message) { return parser.FeedEncoded(message, sink); });
  }

  Status Prepare(const std::string& name, std::string_view sql) override {
    auto it = prepared_.find(name);
    if (it != prepared_.end() && it->second.on_server) {
      const std::string deallocate = "DEALLOCATE " + QuoteIdentifier(name);
      Result r(PQexec(conn_, deallocate.c_str()));
      REHEARSE_RETURN_IF_ERROR(Finish(r.get(), deallocate, nullptr));
    }
    prepared_[name] = PreparedStatement{std::string(sql), false};
    return Status::OK();
  }

  Status ExecutePrepared(const std::string& name, const Row& params, ResultSet* out) override {
    auto it = prepared_.find(name);
    if (it == prepared_.end()) return Status::NotFound("no prepared statement named " + name);
    PreparedStatement& statement = it->second;
    if (!statement.on_server) {
      Result r(PQprepare(conn_, name.c_str(), statement.sql.c_str(), 0, nullptr));
      REHEARSE_RETURN_IF_ERROR(Finish(r.get(), statement.sql, nullptr));
      statement.on_server = true;
    }
    TextParams p(params);
    Result r(PQexecPrepared(conn_, name.c_str(), p.count(), p.values(), nullptr, nullptr, 0));
    return Finish(r.get(), statement.sql, out);
  }

  Status BulkLoad(const std::string& table, const std::vector<std::string>& columns,
                  RowSource* rows, int64_t* loaded) override;

  Status Begin() override {
    if (in_transaction_) return Status::InvalidInput("a transaction is already open");
    REHEARSE_RETURN_IF_ERROR(Execute("BEGIN", {}, nullptr));
    in_transaction_ = true;
    return Status::OK();
  }
  Status Commit() override {
    if (!in_transaction_) return Status::InvalidInput("no transaction is open");
    in_transaction_ = false;
    return Execute("COMMIT", {}, nullptr);
  }
  Status Rollback() override {
    if (!in_transaction_) return Status::OK();
    in_transaction_ = false;
    Result r(PQexec(conn_, "ROLLBACK"));  // best effort: a lost connection rolls back too
    return Status::OK();
  }
  bool in_transaction() const override { return in_transaction_; }
  bool session_in_transaction() const override {
    const PGTransactionStatusType status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
  }

  Status SetDeadline(Deadline deadline) override {
    canceller_.reset();
    // SET fails in an aborted transaction; its rollback resets the setting.
    const bool settable = PQtransactionStatus(conn_) != PQTRANS_INERROR;
    if (!deadline)
      return settable ? Execute("SET statement_timeout = 0", {}, nullptr) : Status::OK();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        *deadline - std::chrono::steady_clock::now());
    if (settable)
      REHEARSE_RETURN_IF_ERROR(
          Execute("SET statement_timeout = " + std::to_string(std::max<int64_t>(1, left.count())),
                  {}, nullptr));
    canceller_ = std::make_unique<CancelAtDeadline>(conn_, *deadline);
    return Status::OK();
  }

  Status ApplySessionSettings() { return Execute(kSessionSettings, {}, nullptr); }

 private:
  struct PreparedStatement {
    std::string sql;
    bool on_server = false;  // prepared at its first execution
  };

  // Text-format parameters for libpq: NULL stays NULL, anything else goes as
  // its ToText() form.
  class TextParams {
   public:
    explicit TextParams(const Row& params) {
      texts_.reserve(params.size());
      for (const Value& v : params) texts_.push_back(v.ToText());
      for (size_t i = 0; i < params.size(); ++i)
        pointers_.push_back(params[i].is_null() ? nullptr : texts_[i].c_str());
    }
    int count() const { return static_cast<int>(pointers_.size()); }
    const char* const* values() const { return pointers_.data(); }

   private:
    std::vector<std::string> texts_;
    std::vector<const char*> pointers_;
  };

  // The Status of a finished statement, its rows to *out (when not null).
  Status Finish(const PGresult* r, const std::string& statement, ResultSet* out) const {
    switch (r ? PQresultStatus(r) : PGRES_FATAL_ERROR) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        if (out) *out = ToResultSet(r);
        return Status::OK();
      default:
        return Failure(r, statement);
    }
  }

  // Whether the server this session was on still accepts connections.
  bool ServerAnswers() const {
    const char* keys[] = {"host", "port", "dbname", nullptr};
    const char* values[] = {PQhost(conn_), PQport(conn_), PQdb(conn_), nullptr};
    return PQpingParams(keys, values, 0) == PQPING_OK;
  }

  Status Failure(const PGresult* r, const std::string& statement) const {
    if (PQstatus(conn_) == CONNECTION_BAD) {
      const std::string why = Trimmed(PQerrorMessage(conn_));
      // A server that still accepts connections ended this session alone:
      // the statement ended its own backend (pg_terminate_backend), which
      // is the migration's failure, not the machine's.
      if (ServerAnswers()) {
        const char* sqlstate = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        return Status::Database("the server ended this session while it ran the statement: " + why,
                                sqlstate ? sqlstate : "08006")
            .WithStatement(statement);
      }
      return Status::Infrastructure("lost the connection to PostgreSQL: " + why);
    }
    const char* message = r ? PQresultErrorMessage(r) : "";
    const char* sqlstate = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    // Class 53 (insufficient resources: disk full, out of memory) and 58
    // (system error: I/O) are the machine failing, not the statement: exit 3,
    // never a check the migration failed.
    const std::string_view state = sqlstate ? sqlstate : "";
    if (state.starts_with("53") || state.starts_with("58")) {
      return Status::Infrastructure("the PostgreSQL server ran out of resources: " +
                                    Trimmed(*message ? message : PQerrorMessage(conn_)) +
                                    " (SQLSTATE " + std::string(state) + ")")
          .WithStatement(statement);
    }
    return Status::Database(Trimmed(*message ? message : PQerrorMessage(conn_)),
                            sqlstate ? sqlstate : "")
        .WithStatement(statement);
  }

  // The binary COPY that streams `query`, and how to decode its columns. The
  // result's shape (type oids) decides each column's decoding; a column
  // without a binary decoding is re-selected as text through a wrapping
  // projection (callers that need their ORDER BY kept to the letter select
  // such columns ::text themselves, as Snapshot does).
  Status TypedCopy(std::string_view query, std::string* copy,
                   std::vector<BinaryDecoding>* decodings) {
    std::string inner(query);
    const std::string shape_sql = "SELECT * FROM (" + inner + ") AS q LIMIT 0";
    Result shape(PQexec(conn_, shape_sql.c_str()));
    REHEARSE_RETURN_IF_ERROR(Finish(shape.get(), shape_sql, nullptr));
    const int columns = PQnfields(shape.get());
    decodings->assign(columns, BinaryDecoding::kText);
    bool wrap = false;
    std::string outer = "SELECT ", aliases;
    for (int c = 0; c < columns; ++c) {
      std::string alias = "c" + std::to_string(c);
      aliases += (c ? ", " : "") + alias;
      if (!BinaryDecodingFor(PQftype(shape.get(), c), &(*decodings)[c])) {
        (*decodings)[c] = BinaryDecoding::kText;
        alias += "::text";
        wrap = true;
      }
      outer += (c ? ", " : "") + alias;
    }
    if (wrap) inner = outer + " FROM (" + inner + ") AS q(" + aliases + ")";
    *copy = "COPY (" + inner + ") TO STDOUT (FORMAT binary)";
    return Status::OK();
  }

  // Runs a COPY ... TO STDOUT, handing each CopyData message to `consume`
  // until it returns non-OK; the rest is drained, since the COPY must be
  // read to its end to keep the session usable.
  template <typename Consume>
  Status CopyOut(const std::string& copy, Consume&& consume) {
    Result start(PQexec(conn_, copy.c_str()));
    if (!start || PQresultStatus(start.get()) != PGRES_COPY_OUT) {
      return Finish(start.get(), copy, nullptr);
    }
    Status consumed;
    char* buffer = nullptr;
    int n;
    while ((n = PQgetCopyData(conn_, &buffer, 0)) > 0) {
      if (consumed.ok()) consumed = consume(std::string_view(buffer, n));
      PQfreemem(buffer);
    }
    Status s = EndOfCopy(copy);
    return consumed.ok() ? s : consumed;
  }

  // Collects the results that close a COPY: the first failure, else OK.
  Status EndOfCopy(const std::string& copy) {
    Status s;
    while (PGresult* raw = PQgetResult(conn_)) {
      Result r(raw);
      if (s.ok()) s = Finish(r.get(), copy, nullptr);
    }
    if (s.ok() && PQstatus(conn_) == CONNECTION_BAD) s = Failure(nullptr, copy);
    return s;
  }

  // The binary encodings of `columns` of `table`, or none when some column
  // has no encoding (or the types cannot be read): the COPY is then text.
  std::vector<BinaryEncoding> BinaryEncodings(const std::string& table,
                                              const std::vector<std::string>& columns);
  // Sends `rows` with COPY FROM STDIN: binary while every value has a
  // certain binary form, text from the first row that has not.
  Status CopyIn(const std::string& table, const std::vector<std::string>& columns, RowSource* rows,
                int64_t* count);

  PGconn* conn_;
  bool in_transaction_ = false;
  std::unique_ptr<CancelAtDeadline> canceller_;  // while a deadline is set
  std::map<std::string, PreparedStatement> prepared_;
};

Status PostgresDatabase::BulkLoad(const std::string& table, const std::vector<std::string>& columns,
                                  RowSource* rows, int64_t* loaded) {
  int64_t count = 0;
  Status s = JoinOrOwnTransaction([&] { return CopyIn(table, columns, rows, &count); });
  if (!s.ok()) return s.Prepend("bulk load into " + table);
  if (loaded) *loaded = count;
  return Status::OK();
}

std::vector<BinaryEncoding> PostgresDatabase::BinaryEncodings(
    const std::string& table, const std::vector<std::string>& columns) {
  ResultSet types;
  Status s = Execute(
      "SELECT attname, atttypid::text FROM pg_attribute "
      "WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped",
      {Value::Text(QuoteIdentifier(table))}, &types);
  std::map<std::string, uint32_t> oids;
  for (const Row& r : types.rows) oids[r[0].bytes] = std::stoul(r[1].bytes);
  std::vector<BinaryEncoding> encodings(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    auto it = oids.find(columns[i]);
    if (!s.ok() || it == oids.end() || !BinaryEncodingFor(it->second, &encodings[i])) return {};
  }
  return encodings;
}

Status PostgresDatabase::CopyIn(const std::string& table, const std::vector<std::string>& columns,
                                RowSource* rows, int64_t* count) {
  std::vector<BinaryEncoding> encodings = BinaryEncodings(table, columns);
  bool binary = !encodings.empty();
  std::string list;
  for (const std::string& c : columns) list += (list.empty() ? "" : ", ") + QuoteIdentifier(c);
  const std::string copy =
      "COPY " + QuoteIdentifier(table) + (list.empty() ? "" : " (" + list + ")") + " FROM STDIN";
  std::string buffer;
  auto start = [&](bool in_binary) {
    const std::string sql = copy + (in_binary ? " (FORMAT binary)" : "");
    Result r(PQexec(conn_, sql.c_str()));
    if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) return Failure(r.get(), sql);
    if (in_binary) AppendBinaryCopyHeader(&buffer);
    return Status::OK();
  };
  auto send = [&] {
    const bool sent =
        buffer.empty() || PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) == 1;
    buffer.clear();
    return sent ? Status::OK() : Failure(nullptr, copy);
  };
  auto end = [&](const char* abandoned) {
    Status s = PQputCopyEnd(conn_, abandoned) == 1 ? Status::OK() : Failure(nullptr, copy);
    Status ended = EndOfCopy(copy);
    return s.ok() ? ended : s;
  };
  REHEARSE_RETURN_IF_ERROR(start(binary));
  Row row;
  Status s;
  while (s.ok() && rows->Next(&row)) {
    if (row.size() != columns.size()) {
      s = Status::InvalidInput("row has " + std::to_string(row.size()) + " values for " +
                               std::to_string(columns.size()) + " columns");
      break;
    }
    if (binary && !AppendBinaryCopyTuple(row, encodings, &buffer)) {
      // This row, and the rest, go as text: COPY's format is fixed per COPY.
      AppendBinaryCopyTrailer(&buffer);
      s = send();
      if (s.ok()) s = end(nullptr);
      if (s.ok()) s = start(false);
      binary = false;
      if (!s.ok()) return s;
    }
    if (!binary) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) buffer += '\t';
        AppendCopyTextField(row[i], &buffer);
      }
      buffer += '\n';
    }
    ++*count;
    if (buffer.size() >= kCopyChunk) s = send();
  }
  if (!s.ok()) {
    end("bulk load abandoned");  // the server's reply is only the echo of that
    return s;
  }
  if (binary) AppendBinaryCopyTrailer(&buffer);
  s = send();
  return s.ok() ? end(nullptr) : s;
}

}  // namespace

Status OpenPostgres(const std::string& conninfo, std::unique_ptr<Database>* db) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    Status s = Status::Infrastructure("cannot connect to PostgreSQL: " +
                                      Trimmed(conn ? PQerrorMessage(conn) : "out of memory"));
    PQfinish(conn);
    return s;
  }
  auto owned = std::make_unique<PostgresDatabase>(conn);
  REHEARSE_RETURN_IF_ERROR(owned->ApplySessionSettings());
  *db = std::move(owned);
  return Status::OK();
}

}  // namespace rehearse
