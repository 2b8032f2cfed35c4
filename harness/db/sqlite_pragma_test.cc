#include "harness/db/sqlite_pragma.h"

#include <gtest/gtest.h>

#include "harness/db/throwaway_databases.h"

namespace rehearse {
namespace {

// The batched read must give every name exactly what the one-name query
// gives, in the same order, for names that need quoting or differ in case.
class SqlitePragmaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dbs_.Create(Dialect::kSqlite, &db_).ok());
    ASSERT_TRUE(
        db_->ExecuteScript(SqlScript::Parse(
                               R"(CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
CREATE TABLE "odd ""name""" (a INTEGER, b TEXT NOT NULL DEFAULT 'x',
  c INTEGER GENERATED ALWAYS AS (a + 1) VIRTUAL,
  parent_id INTEGER REFERENCES parent(id), PRIMARY KEY (b, a)) WITHOUT ROWID;
CREATE INDEX "odd idx" ON "odd ""name""" (c DESC, b COLLATE NOCASE);
CREATE UNIQUE INDEX Mixed_Case ON parent (lower(code)) WHERE code IS NOT NULL;
CREATE TABLE bare (x);)"))
            .ok());
  }

  void ExpectSameAsOneByOne(const std::string& pragma, const std::string& names_sql) {
    std::map<std::string, std::vector<Row>> batched;
    ASSERT_TRUE(SqlitePragmaForEach(db_.get(), pragma, names_sql, &batched).ok());
    ResultSet names;
    ASSERT_TRUE(db_->Execute(names_sql, {}, &names).ok());
    ASSERT_FALSE(names.rows.empty());
    size_t with_rows = 0;
    for (const Row& n : names.rows) {
      ResultSet one;
      ASSERT_TRUE(db_->Execute("SELECT * FROM pragma_" + pragma + "(?)", {n[0]}, &one).ok());
      auto it = batched.find(n[0].bytes);
      if (one.rows.empty()) {
        EXPECT_EQ(it, batched.end()) << pragma << " " << n[0].bytes;
        continue;
      }
      ++with_rows;
      ASSERT_NE(it, batched.end()) << pragma << " " << n[0].bytes;
      ASSERT_EQ(it->second.size(), one.rows.size()) << pragma << " " << n[0].bytes;
      for (size_t i = 0; i < one.rows.size(); ++i) {
        ASSERT_EQ(it->second[i].size(), one.rows[i].size());
        for (size_t c = 0; c < one.rows[i].size(); ++c)
          EXPECT_EQ(it->second[i][c].ToText(), one.rows[i][c].ToText())
              << pragma << " " << n[0].bytes << " row " << i << " column " << c;
      }
    }
    EXPECT_EQ(batched.size(), with_rows) << pragma;
  }

  ThrowawayDatabases dbs_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqlitePragmaTest, EveryTableGetsWhatItsOwnQueryGives) {
  for (const char* pragma : {"table_xinfo", "table_info", "index_list", "foreign_key_list"})
    ExpectSameAsOneByOne(pragma, kSqliteEveryTable);
}

TEST_F(SqlitePragmaTest, EveryIndexGetsWhatItsOwnQueryGives) {
  for (const char* pragma : {"index_xinfo", "index_info"})
    ExpectSameAsOneByOne(pragma, kSqliteEveryIndex);
  std::map<std::string, std::vector<Row>> indexes;
  ASSERT_TRUE(SqlitePragmaForEach(db_.get(), "index_info", kSqliteEveryIndex, &indexes).ok());
  EXPECT_EQ(indexes.count("odd idx"), 1u);
  EXPECT_EQ(indexes.count("Mixed_Case"), 1u);
}

TEST_F(SqlitePragmaTest, ASchemaChangeIsSeenAtOnce) {
  auto columns_of_bare = [&](std::vector<std::string>* names) {
    std::map<std::string, std::vector<Row>> rows;
    ASSERT_TRUE(SqlitePragmaForEach(db_.get(), "table_info", kSqliteEveryTable, &rows).ok());
    names->clear();
    for (const Row& r : rows["bare"]) names->push_back(r[1].bytes);
  };
  std::vector<std::string> names;
  columns_of_bare(&names);
  EXPECT_EQ(names, std::vector<std::string>({"x"}));
  ASSERT_TRUE(db_->Execute("ALTER TABLE bare ADD COLUMN y INTEGER").ok());
  columns_of_bare(&names);
  EXPECT_EQ(names, std::vector<std::string>({"x", "y"}));
  // A TEMP table shadows the main one for the PRAGMA, as for any query.
  ASSERT_TRUE(db_->Execute("CREATE TEMP TABLE bare (z)").ok());
  columns_of_bare(&names);
  EXPECT_EQ(names, std::vector<std::string>({"z"}));
  ASSERT_TRUE(db_->Execute("DROP TABLE temp.bare").ok());
  columns_of_bare(&names);
  EXPECT_EQ(names, std::vector<std::string>({"x", "y"}));
}

TEST_F(SqlitePragmaTest, AnUnknownPragmaIsTheDatabasesErrorNamingIt) {
  std::map<std::string, std::vector<Row>> rows;
  Status s = SqlitePragmaForEach(db_.get(), "no_such_pragma", kSqliteEveryTable, &rows);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("PRAGMA no_such_pragma"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace rehearse
