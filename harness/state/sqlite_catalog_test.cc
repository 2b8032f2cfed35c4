// The SQLite catalog keeps each table's part (its table, column, index and
// foreign key objects and its layout) per the text its PRAGMA rows are a
// function of (sqlite_pragma.h): a change to one table's index, column or
// foreign key shows at once, and a part is taken over only where that text
// is equal. The reference for "equal" is the same catalog with every part
// made again: a TEMP view changes every table's text (the TEMP schema is in
// it) without changing what the catalog reports.
#include <gtest/gtest.h>

#include "harness/common/status_test_util.h"
#include "harness/db/throwaway_databases.h"
#include "harness/state/catalog.h"

namespace rehearse {
namespace {

// One line per object and per layout, for comparisons that name what differs.
std::vector<std::string> Lines(const Catalog& c) {
  std::vector<std::string> out;
  for (const CatalogObject& o : c.objects)
    out.push_back(o.kind + " | " + o.name + " | " + o.table + " | " + o.definition);
  for (const TableLayout& t : c.tables) {
    std::string key;
    for (size_t k : t.key) key += std::to_string(k) + ",";
    out.push_back("layout " + t.name + " | " + t.qualified_sql + " | " + t.select_sql + " |" +
                  t.order_by_sql + " | key " + key);
  }
  return out;
}

// The lines of `c` that belong to `table` (its objects, ddl aside, and its
// layout).
std::vector<std::string> LinesOf(const Catalog& c, const std::string& table) {
  std::vector<std::string> out;
  for (const CatalogObject& o : c.objects)
    if (o.table == table && o.kind != "ddl")
      out.push_back(o.kind + " " + o.name + " " + o.definition);
  for (const TableLayout& t : c.tables)
    if (t.name == table) out.push_back("layout " + t.select_sql + t.order_by_sql);
  return out;
}

bool Has(const Catalog& c, const std::string& kind, const std::string& name,
         const std::string& definition) {
  for (const CatalogObject& o : c.objects)
    if (o.kind == kind && o.name == name && o.definition == definition) return true;
  return false;
}

class SqliteCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(dbs_.Create(Dialect::kSqlite, &db_));
    ASSERT_OK(db_->ExecuteScript(
        SqlScript::Parse("CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT);\n"
                         "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER);\n"
                         "CREATE TABLE other (x TEXT NOT NULL);\n")));
  }

  Catalog Read(Database* db) {
    Catalog c;
    Status s = ReadCatalog(db, &c);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return c;
  }

  // The catalog with every table's part made again from its PRAGMAs.
  Catalog ReadAfresh() {
    static int views = 0;
    const std::string view = "afresh_" + std::to_string(views++);
    EXPECT_TRUE(db_->Execute("CREATE TEMP VIEW " + view + " AS SELECT 1").ok());
    Catalog c = Read(db_.get());
    EXPECT_TRUE(db_->Execute("DROP VIEW temp." + view).ok());
    return c;
  }

  // Reads the catalog (parts taken over where their text is the same) and
  // checks it against one made afresh.
  Catalog ReadAndCheck() {
    Catalog c = Read(db_.get());
    EXPECT_EQ(Lines(c), Lines(ReadAfresh()));
    return c;
  }

  ThrowawayDatabases dbs_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteCatalogTest, OneTablesIndexColumnOrForeignKeyShowsAndTheOthersStayEqual) {
  const Catalog c0 = ReadAndCheck();
  EXPECT_EQ(Lines(Read(db_.get())), Lines(c0)) << "read twice, the same";

  // An index on child, named by another spelling of its name.
  ASSERT_OK(db_->Execute("CREATE INDEX child_parent ON CHILD (parent_id DESC)"));
  const Catalog c1 = ReadAndCheck();
  EXPECT_TRUE(Has(c1, "index", "child.child_parent", "origin=c (parent_id DESC COLLATE BINARY)"));
  EXPECT_FALSE(Has(c0, "index", "child.child_parent", "origin=c (parent_id DESC COLLATE BINARY)"));
  EXPECT_EQ(LinesOf(c1, "parent"), LinesOf(c0, "parent"));
  EXPECT_EQ(LinesOf(c1, "other"), LinesOf(c0, "other"));

  // A column of other.
  ASSERT_OK(db_->Execute("ALTER TABLE other ADD COLUMN y TEXT DEFAULT 'q'"));
  const Catalog c2 = ReadAndCheck();
  EXPECT_TRUE(Has(c2, "column", "other.y", "#2 TEXT DEFAULT 'q'"));
  EXPECT_NE(LinesOf(c2, "other"), LinesOf(c1, "other"));
  EXPECT_EQ(LinesOf(c2, "child"), LinesOf(c1, "child"));
  EXPECT_EQ(LinesOf(c2, "parent"), LinesOf(c1, "parent"));

  // child rebuilt with a foreign key (the way SQLite adds one).
  ASSERT_OK(db_->ExecuteScript(SqlScript::Parse(
      "CREATE TABLE child_new (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));\n"
      "DROP TABLE child;\n"
      "ALTER TABLE child_new RENAME TO child;\n")));
  const Catalog c3 = ReadAndCheck();
  EXPECT_TRUE(Has(c3, "constraint", "child.fk(parent_id)",
                  "FOREIGN KEY REFERENCES parent ON UPDATE NO ACTION ON DELETE NO ACTION MATCH "
                  "NONE (id)"));
  EXPECT_FALSE(Has(c3, "index", "child.child_parent", "origin=c (parent_id DESC COLLATE BINARY)"))
      << "dropped with the old table";
  EXPECT_EQ(LinesOf(c3, "other"), LinesOf(c2, "other"));
  EXPECT_EQ(LinesOf(c3, "parent"), LinesOf(c2, "parent"));

  // Back to an earlier text of other: its earlier part, equal to one made
  // afresh.
  ASSERT_OK(db_->ExecuteScript(
      SqlScript::Parse("DROP TABLE other;\nCREATE TABLE other (x TEXT NOT NULL);\n")));
  const Catalog c4 = ReadAndCheck();
  EXPECT_EQ(LinesOf(c4, "other"), LinesOf(c0, "other"));
}

TEST_F(SqliteCatalogTest, ATableOfTheSameNameAndOtherTextInAnotherDatabaseIsItsOwn) {
  const Catalog here = ReadAndCheck();
  std::unique_ptr<Database> there;
  ASSERT_OK(dbs_.Create(Dialect::kSqlite, &there));
  ASSERT_OK(there->Execute("CREATE TABLE other (x TEXT NOT NULL, z INTEGER)"));
  const Catalog c = Read(there.get());
  EXPECT_TRUE(Has(c, "column", "other.z", "#2 INTEGER"));
  EXPECT_FALSE(Has(here, "column", "other.z", "#2 INTEGER"));
  // The same text in another file: the same part.
  std::unique_ptr<Database> same;
  ASSERT_OK(dbs_.Create(Dialect::kSqlite, &same));
  ASSERT_OK(same->Execute("CREATE TABLE other (x TEXT NOT NULL)"));
  EXPECT_EQ(LinesOf(Read(same.get()), "other"), LinesOf(here, "other"));
}

TEST_F(SqliteCatalogTest, ATempTableShadowingAMainOneIsWhatItsPragmasReport) {
  const Catalog before = ReadAndCheck();
  ASSERT_OK(db_->Execute("CREATE TEMP TABLE other (shadow INTEGER)"));
  const Catalog shadowed = Read(db_.get());
  EXPECT_TRUE(Has(shadowed, "column", "other.shadow", "#1 INTEGER"));
  ASSERT_OK(db_->Execute("DROP TABLE temp.other"));
  EXPECT_EQ(Lines(Read(db_.get())), Lines(before));
}

}  // namespace
}  // namespace rehearse
