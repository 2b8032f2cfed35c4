// The Database contract, run over both engines against real databases.
#include "harness/db/database.h"

#include <gtest/gtest.h>

#include "harness/db/throwaway_databases.h"
#include "harness/db/throwaway_test_util.h"
#include "harness/db/value_encoding.h"

namespace rehearse {
namespace {

class DatabaseTest : public PerEngineTest {
 protected:
  void SetUp() override {
    Status s = dbs_->Create(GetParam(), &db_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::string Param(int i) const {
    return GetParam() == Dialect::kPostgres ? "$" + std::to_string(i) : "?";
  }
  int64_t Count(const std::string& table) {
    ResultSet rs;
    Status s = db_->Execute("SELECT count(*) FROM " + table, {}, &rs);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return s.ok() ? std::stoll(rs.rows[0][0].ToText()) : -1;
  }

  std::unique_ptr<Database> db_;
};

class VectorSource : public RowSource {
 public:
  explicit VectorSource(std::vector<Row> rows) : rows_(std::move(rows)) {}
  bool Next(Row* row) override {
    if (i_ == rows_.size()) return false;
    *row = rows_[i_++];
    return true;
  }

 private:
  std::vector<Row> rows_;
  size_t i_ = 0;
};

TEST_P(DatabaseTest, ScriptErrorNamesOriginLineStatementAndSqlstate) {
  Status s =
      db_->ExecuteScript(SqlScript::Parse("CREATE TABLE a (x INTEGER PRIMARY KEY);\nINSERT INTO a "
                                          "VALUES (1);\n\nINSERT INTO a VALUES (1);",
                                          "m/0001/up.sql"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.file(), "m/0001/up.sql");
  EXPECT_EQ(s.line(), 4);
  EXPECT_EQ(s.statement(), "INSERT INTO a VALUES (1)");
  if (GetParam() == Dialect::kPostgres) {
    EXPECT_EQ(s.sqlstate(), "23505");
  }
  EXPECT_NE(s.ToString().find("m/0001/up.sql:4"), std::string::npos) << s.ToString();
}

TEST_P(DatabaseTest, ParametersAndPreparedStatementsRoundTripNullAndText) {
  ASSERT_TRUE(db_->Execute("CREATE TABLE a (id INTEGER PRIMARY KEY, s TEXT)", {}, nullptr).ok());
  ASSERT_TRUE(
      db_->Prepare("ins", "INSERT INTO a VALUES (" + Param(1) + ", " + Param(2) + ")").ok());
  ASSERT_TRUE(db_->ExecutePrepared("ins", {Value::Integer(1), Value::Null()}).ok());
  ASSERT_TRUE(
      db_->ExecutePrepared("ins", {Value::Integer(2), Value::Text("tab\there 'q' é 🎉")}).ok());
  ResultSet rs;
  ASSERT_TRUE(db_->Execute("SELECT s FROM a ORDER BY id", {}, &rs).ok());
  ASSERT_EQ(rs.rows.size(), 2u);
  EXPECT_TRUE(rs.rows[0][0].is_null());
  EXPECT_EQ(rs.rows[1][0].bytes, "tab\there 'q' é 🎉");
}

TEST_P(DatabaseTest, BulkLoadStreamsRowsWithEscapesAndNulls) {
  ASSERT_TRUE(db_->Execute("CREATE TABLE a (id INTEGER PRIMARY KEY, s TEXT)", {}, nullptr).ok());
  std::vector<Row> rows;
  for (int i = 0; i < 1000; ++i)
    rows.push_back({Value::Integer(i),
                    i % 3 ? Value::Text("line\nbreak\\" + std::to_string(i)) : Value::Null()});
  VectorSource source(rows);
  int64_t loaded = 0;
  Status s = db_->BulkLoad("a", {"id", "s"}, &source, &loaded);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(loaded, 1000);
  EXPECT_EQ(Count("a"), 1000);
  std::vector<Row> streamed;
  ASSERT_TRUE(db_->Stream("SELECT s FROM a WHERE id IN (1, 3) ORDER BY id",
                          [&](const Row& r) {
                            streamed.push_back(r);
                            return Status::OK();
                          })
                  .ok());
  ASSERT_EQ(streamed.size(), 2u);
  EXPECT_EQ(streamed[0][0].bytes, "line\nbreak\\1");
  EXPECT_TRUE(streamed[1][0].is_null());
}

TEST_P(DatabaseTest, FailedBulkLoadLeavesTheTableUntouched) {
  ASSERT_TRUE(db_->Execute("CREATE TABLE a (id INTEGER PRIMARY KEY)", {}, nullptr).ok());
  // The duplicate comes late and early: in the last few rows, and in the
  // middle of the many rows one statement or COPY buffer carries.
  for (int duplicate_at : {2, 150}) {
    std::vector<Row> rows;
    for (int i = 0; i < 300; ++i) rows.push_back({Value::Integer(i == duplicate_at ? 1 : i)});
    rows.resize(duplicate_at == 2 ? 3 : rows.size());
    VectorSource source(rows);
    Status s = db_->BulkLoad("a", {"id"}, &source);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("bulk load into a"), std::string::npos) << s.ToString();
    EXPECT_EQ(Count("a"), 0);
  }
}

TEST_P(DatabaseTest, RollbackUndoesTheTransaction) {
  ASSERT_TRUE(db_->Execute("CREATE TABLE a (id INTEGER PRIMARY KEY)", {}, nullptr).ok());
  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(db_->Execute("INSERT INTO a VALUES (1)", {}, nullptr).ok());
  EXPECT_FALSE(db_->Execute("INSERT INTO a VALUES (1)", {}, nullptr).ok());
  ASSERT_TRUE(db_->Rollback().ok());
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(Count("a"), 0);
}

// StreamEncoded promises exactly AppendCanonical of StreamTyped's rows; on
// PostgreSQL it is a separate decoder, so every decoding kind is covered,
// each with a NULL row too.
TEST_P(DatabaseTest, StreamEncodedIsTheCanonicalEncodingOfStreamTypedRows) {
  const bool pg = GetParam() == Dialect::kPostgres;
  const std::string ddl =
      pg ? "CREATE TABLE k (id int PRIMARY KEY, b boolean, s smallint, i integer, l bigint, "
           "f4 real, f8 double precision, ts timestamptz, d date, by bytea, u uuid, j jsonb, "
           "t text, n numeric)"
         : "CREATE TABLE k (id INTEGER PRIMARY KEY, b, s, i, l, f4, f8, ts, d, by, u, j, t, n)";
  ASSERT_TRUE(db_->Execute(ddl).ok());
  const std::string values =
      pg ? "(1, true, -2, -300000, -9223372036854775808, 1.5, '-0', "
           "'2026-03-08 02:30:00.000001+00', '1999-12-31', '\\x00ff', "
           "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"k\": [1, \"\u00e9\"]}', "
           "'caf\u00e9 ''q''', 12.3400)"
         : "(1, 1, -2, -300000, -9223372036854775808, 1.5, -0.0, '2026-03-08', 1.0, x'00ff', "
           "'a0', '{}', 'caf\u00e9', '1')";
  ASSERT_TRUE(db_->Execute("INSERT INTO k VALUES " + values).ok());
  ASSERT_TRUE(db_->Execute("INSERT INTO k (id) VALUES (2)").ok());
  const std::string query = "SELECT * FROM k ORDER BY id";
  std::vector<std::string> typed, encoded;
  ASSERT_TRUE(db_->StreamTyped(query,
                               [&](const Row& row) {
                                 std::string e;
                                 for (const Value& v : row) AppendCanonical(v, &e);
                                 typed.push_back(e);
                                 return Status::OK();
                               })
                  .ok());
  Status s = db_->StreamEncoded(query, [&](std::string_view e) {
    encoded.emplace_back(e);
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(typed.size(), 2u);
  EXPECT_EQ(encoded, typed);
  EXPECT_NE(encoded[0], encoded[1]);
}

// A statement that never ends stops at the deadline, inside a transaction
// the caller can still roll back, and the session is usable after it.
TEST_P(DatabaseTest, DeadlineInterruptsAStatementThatNeverEnds) {
  const char* forever = GetParam() == Dialect::kPostgres
                            ? "SELECT pg_sleep(3600)"
                            : "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                              "SELECT count(*) FROM n";
  ASSERT_TRUE(db_->Execute("CREATE TABLE kept (id integer)").ok());
  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(db_->Execute("INSERT INTO kept VALUES (1)").ok());
  ASSERT_TRUE(
      db_->SetDeadline(std::chrono::steady_clock::now() + std::chrono::milliseconds(300)).ok());
  Status s = db_->Execute(forever);
  EXPECT_EQ(s.code(), Status::Code::kDatabase) << s.ToString();
  if (GetParam() == Dialect::kPostgres) {
    EXPECT_EQ(s.sqlstate(), "57014") << s.ToString();
  }
  ASSERT_TRUE(db_->SetDeadline(std::nullopt).ok());
  ASSERT_TRUE(db_->Rollback().ok());
  EXPECT_EQ(Count("kept"), 0);
  // No limit is left behind, on the client or the server.
  ResultSet rs;
  ASSERT_TRUE(
      db_->Execute(GetParam() == Dialect::kPostgres ? "SELECT pg_sleep(0.5)" : "SELECT 1", {}, &rs)
          .ok());
  if (GetParam() == Dialect::kPostgres) {
    ASSERT_TRUE(db_->Execute("SHOW statement_timeout", {}, &rs).ok());
    EXPECT_EQ(rs.rows[0][0].ToText(), "0");
  }
}

INSTANTIATE_TEST_SUITE_P(BothEngines, DatabaseTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const auto& info) { return std::string(DialectName(info.param)); });

}  // namespace
}  // namespace rehearse
