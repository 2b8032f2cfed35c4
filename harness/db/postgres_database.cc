// PostgreSQL implementation of Database over libpqxx 6.4. libpqxx throws; every
// call here catches and returns a Status, so no exception leaves this file.
#include <pqxx/pqxx>
#include <pqxx/tablewriter>

#include <set>

#include "harness/db/copy_text.h"
#include "harness/db/database.h"
#include "harness/db/postgres_binary.h"

namespace pqxx {

// Lets libpqxx pass a rehearse::Value as a parameter: NULL stays NULL,
// everything else goes as its text form.
template <>
struct string_traits<rehearse::Value> {
  static constexpr const char* name() noexcept { return "rehearse::Value"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const rehearse::Value& v) { return v.is_null(); }
  static rehearse::Value null() { return rehearse::Value::Null(); }
  static void from_string(const char* str, rehearse::Value& v) { v = rehearse::Value::Text(str); }
  static std::string to_string(const rehearse::Value& v) { return v.ToText(); }
};

}  // namespace pqxx

namespace rehearse {

namespace {

// Settings that make every value's text output canonical and independent of
// the server's configuration.
constexpr const char* kSessionSettings =
    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
    "SET extra_float_digits = 1; SET bytea_output = 'hex'; SET client_encoding = 'UTF8';"
    "SET search_path = public; SET client_min_messages = warning";

Status FromException(const std::exception& e) {
  if (auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    std::string msg = sql->what();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Status::Database(msg, sql->sqlstate()).WithStatement(sql->query());
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) {
    return Status::Infrastructure(std::string("lost the connection to PostgreSQL: ") + e.what());
  }
  return Status::Database(e.what());
}

ResultSet ToResultSet(const pqxx::result& r) {
  ResultSet out;
  for (pqxx::row::size_type c = 0; c < r.columns(); ++c) out.columns.push_back(r.column_name(c));
  out.rows.reserve(r.size());
  for (const pqxx::row& row : r) {
    Row values;
    values.reserve(row.size());
    for (const pqxx::field& f : row) {
      values.push_back(f.is_null() ? Value::Null() : Value::Text(std::string(f.c_str(), f.size())));
    }
    out.rows.push_back(std::move(values));
  }
  return out;
}

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {}
  ~PostgresDatabase() override {
    try {
      tx_.reset();
    } catch (...) {
    }
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status ExecuteScript(const SqlScript& script) override {
    for (const SqlStatement& st : script.statements()) {
      Status s = Execute(st.text, {}, nullptr);
      if (!s.ok()) return s.At(script.origin(), st.line).WithStatement(st.text);
    }
    return Status::OK();
  }

  Status Execute(std::string_view sql, const Row& params, ResultSet* out) override {
    return WithTransaction([&](pqxx::transaction_base& tx) {
      // The simple protocol (no parameters) also accepts statements that the
      // extended protocol cannot prepare, such as some utility commands.
      pqxx::result r = params.empty() ? tx.exec(std::string(sql))
                                      : tx.exec_params(std::string(sql),
                                                       pqxx::prepare::make_dynamic_params(params));
      if (out) *out = ToResultSet(r);
    });
  }

  Status Stream(std::string_view query, const RowSink& sink) override {
    Status sink_status;
    Status s = WithTransaction([&](pqxx::transaction_base& tx) {
      // stream_from puts its "table" into COPY ... TO STDOUT unquoted, which
      // is what lets a parenthesised query with ORDER BY through.
      pqxx::stream_from copy(tx, "(" + std::string(query) + ")");
      std::string line;
      Row row;
      while (copy.get_raw_line(line)) {
        if (sink_status.ok()) {
          std::string_view text(line);
          if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
          ParseCopyTextLine(text, &row);
          sink_status = sink(row);
        }  // else drain: the COPY must be read to its end to keep the session usable
      }
      copy.complete();
    });
    return sink_status.ok() ? s : sink_status;
  }

  Status StreamTyped(std::string_view query, const RowSink& sink) override {
    Status sink_status;
    Status s = WithTransaction([&](pqxx::transaction_base& tx) {
      // The result's shape (type oids) decides each column's decoding; a
      // column without a binary decoding is re-selected as text through a
      // wrapping projection (callers that need their ORDER BY kept to the
      // letter select such columns ::text themselves, as Snapshot does).
      std::string inner(query);
      pqxx::result shape = tx.exec("SELECT * FROM (" + inner + ") AS q LIMIT 0");
      std::vector<BinaryDecoding> decodings(shape.columns());
      bool wrap = false;
      std::string outer = "SELECT ", aliases;
      for (pqxx::row::size_type c = 0; c < shape.columns(); ++c) {
        std::string alias = "c" + std::to_string(c);
        aliases += (c ? ", " : "") + alias;
        if (!BinaryDecodingFor(shape.column_type(c), &decodings[c])) {
          decodings[c] = BinaryDecoding::kText;
          alias += "::text";
          wrap = true;
        }
        outer += (c ? ", " : "") + alias;
      }
      if (wrap) inner = outer + " FROM (" + inner + ") AS q(" + aliases + ")";
      // stream_from splices its "table" into COPY ... TO STDOUT unquoted; the
      // trailing comment swallows the TO STDOUT it appends after ours.
      pqxx::stream_from copy(tx, "(" + inner + ") TO STDOUT (FORMAT binary) --");
      BinaryCopyParser parser(std::move(decodings));
      std::string message;
      while (copy.get_raw_line(message)) {
        if (!sink_status.ok()) continue;  // drain: the COPY must be read to its end
        Status parsed = parser.Feed(message, [&](const Row& row) { return sink(row); });
        if (!parsed.ok()) sink_status = parsed;
      }
      copy.complete();
    });
    return sink_status.ok() ? s : sink_status;
  }

  Status Prepare(const std::string& name, std::string_view sql) override {
    try {
      if (prepared_.count(name)) conn_->unprepare(name);
      conn_->prepare(name, std::string(sql));
      prepared_.insert(name);
      return Status::OK();
    } catch (const std::exception& e) {
      return FromException(e);
    }
  }

  Status ExecutePrepared(const std::string& name, const Row& params, ResultSet* out) override {
    return WithTransaction([&](pqxx::transaction_base& tx) {
      pqxx::result r = tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
      if (out) *out = ToResultSet(r);
    });
  }

  Status BulkLoad(const std::string& table, const std::vector<std::string>& columns,
                  RowSource* rows, int64_t* loaded) override {
    bool own_transaction = !in_transaction();
    if (own_transaction) REHEARSE_RETURN_IF_ERROR(Begin());
    int64_t count = 0;
    Status s = WithTransaction([&](pqxx::transaction_base& tx) {
      std::vector<std::string> quoted;
      for (const std::string& c : columns) quoted.push_back(QuoteIdentifier(c));
        // libpqxx 6.4's stream_to only takes compile-time tuples; tablewriter's
        // write_raw_line takes a line we escape ourselves, which also saves a
        // string per field. It is marked deprecated in favour of stream_to.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
      pqxx::tablewriter copy(tx, QuoteIdentifier(table), quoted.begin(), quoted.end());
#pragma GCC diagnostic pop
      Row row;
      std::string line;
      while (rows->Next(&row)) {
        if (row.size() != columns.size()) {
          throw std::invalid_argument("row has " + std::to_string(row.size()) + " values for " +
                                      std::to_string(columns.size()) + " columns");
        }
        line.clear();
        for (size_t i = 0; i < row.size(); ++i) {
          if (i) line += '\t';
          AppendCopyTextField(row[i], &line);
        }
        copy.write_raw_line(line);
        ++count;
      }
      copy.complete();
    });
    if (own_transaction) {
      if (s.ok()) {
        s = Commit();
      } else {
        Rollback();
      }
    }
    if (!s.ok()) return s.Prepend("bulk load into " + table);
    if (loaded) *loaded = count;
    return Status::OK();
  }

  Status Begin() override {
    if (tx_) return Status::InvalidInput("a transaction is already open");
    try {
      tx_ = std::make_unique<pqxx::work>(*conn_);
      return Status::OK();
    } catch (const std::exception& e) {
      return FromException(e);
    }
  }
  Status Commit() override {
    if (!tx_) return Status::InvalidInput("no transaction is open");
    try {
      tx_->commit();
      tx_.reset();
      return Status::OK();
    } catch (const std::exception& e) {
      tx_.reset();
      return FromException(e);
    }
  }
  Status Rollback() override {
    if (!tx_) return Status::OK();
    try {
      tx_->abort();
    } catch (...) {
    }
    tx_.reset();
    return Status::OK();
  }
  bool in_transaction() const override { return tx_ != nullptr; }

  Status ApplySessionSettings() {
    return WithTransaction([](pqxx::transaction_base& tx) { tx.exec(kSessionSettings); });
  }

 private:
  // Runs `body` in the open transaction, or in a one-statement
  // nontransaction when none is open; converts exceptions to Status.
  template <typename Body>
  Status WithTransaction(Body&& body) {
    try {
      if (tx_) {
        body(*tx_);
      } else {
        pqxx::nontransaction ntx(*conn_);
        body(ntx);
      }
      return Status::OK();
    } catch (const std::exception& e) {
      return FromException(e);
    }
  }

  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::work> tx_;
  std::set<std::string> prepared_;
};

}  // namespace

Status OpenPostgres(const std::string& conninfo, std::unique_ptr<Database>* db) {
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(conninfo);
  } catch (const std::exception& e) {
    std::string msg = e.what();
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return Status::Infrastructure("cannot connect to PostgreSQL: " + msg);
  }
  auto owned = std::make_unique<PostgresDatabase>(std::move(conn));
  REHEARSE_RETURN_IF_ERROR(owned->ApplySessionSettings());
  *db = std::move(owned);
  return Status::OK();
}

}  // namespace rehearse
