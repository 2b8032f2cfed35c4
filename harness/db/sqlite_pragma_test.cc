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

  // Each name `names_sql` selects gets in `batched` what its own query gives.
  void ExpectSameAsOneByOne(const std::string& pragma, const PragmaRows& batched,
                            const std::string& names_sql) {
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

  std::shared_ptr<const SqliteSchemaPragmas> Read() {
    std::shared_ptr<const SqliteSchemaPragmas> pragmas;
    Status s = ReadSqliteSchemaPragmas(db_.get(), &pragmas);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return pragmas;
  }

  ThrowawayDatabases dbs_;
  std::unique_ptr<Database> db_;
};

const char* const kTables = "SELECT name FROM sqlite_schema WHERE type = 'table'";
// What index_list reports: a WITHOUT ROWID table's key is an index missing
// from sqlite_schema.
const char* const kIndexes =
    "SELECT i.name FROM sqlite_schema AS t, pragma_index_list(t.name) AS i "
    "WHERE t.type = 'table'";

TEST_F(SqlitePragmaTest, EveryTableAndIndexGetsWhatItsOwnQueryGives) {
  std::shared_ptr<const SqliteSchemaPragmas> p = Read();
  ASSERT_TRUE(p);
  ExpectSameAsOneByOne("table_xinfo", p->table_xinfo, kTables);
  ExpectSameAsOneByOne("index_list", p->index_list, kTables);
  ExpectSameAsOneByOne("foreign_key_list", p->foreign_key_list, kTables);
  ExpectSameAsOneByOne("index_xinfo", p->index_xinfo, kIndexes);
  ExpectSameAsOneByOne("index_info", p->index_info, kIndexes);
  EXPECT_EQ(p->index_info.count("odd idx"), 1u);
  EXPECT_EQ(p->index_info.count("Mixed_Case"), 1u);

  // One table's indexes change (named in another spelling of its name): that
  // table is read again, the others' rows come from what was read before.
  ASSERT_TRUE(db_->ExecuteScript(SqlScript::Parse("DROP INDEX Mixed_Case;"
                                                  "CREATE INDEX by_code ON PARENT (code DESC);"))
                  .ok());
  p = Read();
  ASSERT_TRUE(p);
  ExpectSameAsOneByOne("index_list", p->index_list, kTables);
  ExpectSameAsOneByOne("index_xinfo", p->index_xinfo, kIndexes);
  ExpectSameAsOneByOne("table_xinfo", p->table_xinfo, kTables);
  EXPECT_EQ(p->index_info.count("Mixed_Case"), 0u);
  EXPECT_EQ(p->index_info.count("by_code"), 1u);
}

TEST_F(SqlitePragmaTest, ASchemaChangeIsSeenAtOnce) {
  auto columns_of_bare = [&] {
    std::vector<std::string> names;
    std::shared_ptr<const SqliteSchemaPragmas> p = Read();
    if (p)
      for (const Row& r : PragmaRowsOf(p->table_xinfo, "bare")) names.push_back(r[1].bytes);
    return names;
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(columns_of_bare(), Names({"x"}));
  ASSERT_TRUE(db_->Execute("ALTER TABLE bare ADD COLUMN y INTEGER").ok());
  EXPECT_EQ(columns_of_bare(), Names({"x", "y"}));
  // A TEMP table shadows the main one for the PRAGMA, as for any query.
  ASSERT_TRUE(db_->Execute("CREATE TEMP TABLE bare (z)").ok());
  EXPECT_EQ(columns_of_bare(), Names({"z"}));
  ASSERT_TRUE(db_->Execute("DROP TABLE temp.bare").ok());
  EXPECT_EQ(columns_of_bare(), Names({"x", "y"}));
}

}  // namespace
}  // namespace rehearse
