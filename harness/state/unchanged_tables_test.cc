// Snapshots that take an earlier snapshot's unchanged catalog and tables over
// (SnapshotOptions::previous, unchanged_tables.h), on real databases: every
// change made between the two must reach the digest and the diff exactly as
// a full read sees it (known-bad cases, each a way a table can change), and
// what nothing touched must be taken over, not read (the correct cases). On
// SQLite, tables are taken over by their pages (sqlite_table_pages.h): the
// SQLite cases below change a page no row count or page count shows.
#include "harness/state/unchanged_tables.h"

#include <gtest/gtest.h>

#include <utility>

#include "harness/db/throwaway_test_util.h"
#include "harness/state/snapshot.h"
#include "harness/state/snapshot_diff.h"

namespace rehearse {
namespace {

// Eight tables of three rows; a5 is the one the tests change.
constexpr const char* kEight =
    "CREATE TABLE a1 (id integer PRIMARY KEY, v text NOT NULL);"
    "CREATE TABLE a2 (id integer PRIMARY KEY, v text NOT NULL);"
    "CREATE TABLE a3 (id integer PRIMARY KEY, v text NOT NULL);"
    "CREATE TABLE a4 (id integer PRIMARY KEY, v text NOT NULL);"
    "CREATE TABLE a5 (id integer PRIMARY KEY, v text NOT NULL, n integer DEFAULT 7);"
    "CREATE TABLE a6 (id integer PRIMARY KEY, v text NOT NULL);"
    "CREATE TABLE a7 (id integer PRIMARY KEY, v text NOT NULL);"
    "CREATE TABLE a8 (id integer PRIMARY KEY, v text NOT NULL);"
    "INSERT INTO a1 VALUES (1, 'x'), (2, 'y'), (3, 'z');"
    "INSERT INTO a2 VALUES (1, 'x'), (2, 'y'), (3, 'z');"
    "INSERT INTO a3 VALUES (1, 'x'), (2, 'y'), (3, 'z');"
    "INSERT INTO a4 VALUES (1, 'x'), (2, 'y'), (3, 'z');"
    "INSERT INTO a5 VALUES (1, 'x', 1), (2, 'y', 2), (3, 'z', 3);"
    "INSERT INTO a6 VALUES (1, 'x'), (2, 'y'), (3, 'z');"
    "INSERT INTO a7 VALUES (1, 'x'), (2, 'y'), (3, 'z');"
    "INSERT INTO a8 VALUES (1, 'x'), (2, 'y'), (3, 'z');";

class UnchangedTablesTest : public PerEngineTest {
 protected:
  bool postgres() const { return GetParam() == Dialect::kPostgres; }

  void SetUp() override { Open("", kEight); }

  // A new database (a clone of `from` when not empty) with `sql` applied.
  void Open(const std::string& from, const std::string& sql) {
    db_.reset();
    Status s = from.empty() ? dbs_->Create(GetParam(), &db_, nullptr, "", &name_)
                            : CloneTemplate(dbs_, GetParam(), from, &db_, &name_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    Run(sql);
  }

  void Run(const std::string& sql) {
    Status s = db_->ExecuteScript(SqlScript::Parse(sql));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // A snapshot with archives, taking `previous`'s unchanged tables over.
  Snapshot Take(const Snapshot* previous = nullptr) {
    SnapshotOptions options;
    EXPECT_TRUE(dbs_->ScratchDir("snapshot", &options.archive_dir).ok());
    options.previous = previous;
    Snapshot snap;
    Status s = Snapshot::Take(db_.get(), options, &snap);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return snap;
  }

  // Snapshots the database after a change both ways — taking `before`'s
  // tables over and reading everything — expects the same digest and
  // returns the former.
  Snapshot TakeLikeAFullRead(const Snapshot& before) {
    Snapshot incremental = Take(&before), full = Take();
    EXPECT_EQ(incremental.digest(), full.digest());
    EXPECT_EQ(full.tables_read(), full.tables().size());
    return incremental;
  }

  // Pages of the SQLite file (a change in place keeps their count); 0 on
  // PostgreSQL.
  int64_t PageCount() {
    if (postgres()) return 0;
    ResultSet rs;
    EXPECT_TRUE(db_->Execute("PRAGMA page_count", {}, &rs).ok());
    return rs.rows.empty() ? -1 : rs.rows[0][0].integer;
  }

  // Snapshots before and after `change`, which keeps the page count (a
  // change in place), expects `table` alone read and changed, as a full read
  // sees it, and returns both snapshots.
  std::pair<Snapshot, Snapshot> ChangeInPlace(const std::string& change, const std::string& table) {
    Snapshot a = Take();
    const int64_t pages = PageCount();
    Run(change);
    EXPECT_EQ(PageCount(), pages);
    Snapshot b = TakeLikeAFullRead(a);
    EXPECT_NE(b.FindTable(table)->digest, a.FindTable(table)->digest);
    EXPECT_EQ(b.tables_read(), 1u);
    return {std::move(a), std::move(b)};
  }

  std::string Diff(const Snapshot& a, const Snapshot& b) {
    SnapshotDiff diff;
    Status s = DiffSnapshots(a, b, {}, &diff);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return diff.Render();
  }

  std::unique_ptr<Database> db_;
  std::string name_;
};

TEST_P(UnchangedTablesTest, NothingChangedTakesEveryTableOver) {
  Snapshot a = Take();
  EXPECT_EQ(a.tables_read(), 8u);
  EXPECT_TRUE(a.catalog_read());
  Snapshot b = Take(&a);
  EXPECT_EQ(b.digest(), a.digest());
  EXPECT_EQ(b.tables_read(), 0u);
  EXPECT_FALSE(b.catalog_read());
  Snapshot c = Take(&b);  // taken over twice: the archives still diff
  EXPECT_EQ(c.digest(), a.digest());
  EXPECT_EQ("", Diff(a, c));
}

TEST_P(UnchangedTablesTest, OneRowOfOneTableAmongManyIsReadAndNamed) {
  Snapshot a = Take();
  Run("UPDATE a5 SET v = 'fixed' WHERE id = 2");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.digest(), a.digest());
  EXPECT_EQ(b.tables_read(), 1u);
  EXPECT_FALSE(b.catalog_read());
  const std::string diff = Diff(a, b);
  for (const char* needle : {"a5", "id=2", "v", "'y'", "'fixed'"})
    EXPECT_NE(std::string::npos, diff.find(needle)) << diff;
  // Back as it was: read again (it was written), and equal to the first.
  Run("UPDATE a5 SET v = 'y' WHERE id = 2");
  Snapshot c = TakeLikeAFullRead(b);
  EXPECT_EQ(c.digest(), a.digest());
  EXPECT_EQ(c.tables_read(), 1u);
}

TEST_P(UnchangedTablesTest, RowDeletedAndAnotherInsertedKeepsTheCountButIsRead) {
  Snapshot a = Take();
  Run("DELETE FROM a5 WHERE id = 3; INSERT INTO a5 VALUES (4, 'w', 4)");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.digest(), a.digest());
  EXPECT_EQ(b.tables_read(), 1u);
}

TEST_P(UnchangedTablesTest, ColumnDroppedAndAddedAgainUnderItsNameIsRead) {
  // The rows are not written: the old values of n become the default.
  Snapshot a = Take();
  Run("ALTER TABLE a5 DROP COLUMN n; ALTER TABLE a5 ADD COLUMN n integer DEFAULT 7");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.digest(), a.digest());
  EXPECT_EQ(b.tables_read(), 1u);
}

TEST_P(UnchangedTablesTest, SequencePositionsAndUserVersionAreReadAgain) {
  // They move without the schema changing: the catalog is taken over, these
  // are not.
  Run(postgres() ? "CREATE SEQUENCE s; SELECT nextval('s')"
                 : "CREATE TABLE q (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);"
                   "INSERT INTO q (v) VALUES ('a')");
  Snapshot a = Take();
  Run(postgres() ? "SELECT nextval('s')"
                 : "INSERT INTO q (v) VALUES ('b'); DELETE FROM q WHERE v = 'b';"
                   "PRAGMA user_version = 3");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_FALSE(b.catalog_read());
  SnapshotDiff diff;
  ASSERT_TRUE(DiffSnapshots(a, b, {}, &diff).ok());
  EXPECT_NE(b.digest(), a.digest());
  EXPECT_EQ(diff.warnings, 1u) << diff.Render();                    // the sequence position
  EXPECT_EQ(diff.failures, postgres() ? 0u : 1u) << diff.Render();  // user_version
}

TEST_P(UnchangedTablesTest, TableDroppedAndCreatedAgainIsRead) {
  Snapshot a = Take();
  Run("DROP TABLE a5; CREATE TABLE a5 (id integer PRIMARY KEY, v text NOT NULL, "
      "n integer DEFAULT 7)");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.digest(), a.digest());
  EXPECT_EQ(b.tables_read(), 1u);
}

TEST_P(UnchangedTablesTest, TwoTablesSwappingNamesAreRead) {
  Snapshot a = Take();
  Run("UPDATE a2 SET v = 'other' WHERE id = 1; ALTER TABLE a1 RENAME TO t; "
      "ALTER TABLE a2 RENAME TO a1; ALTER TABLE t RENAME TO a2");
  Snapshot before_swap = Take(&a);
  EXPECT_EQ(before_swap.digest(), Take().digest());
  EXPECT_NE(before_swap.FindTable("a1")->digest, a.FindTable("a1")->digest);
}

TEST_P(UnchangedTablesTest, RolledBackWriteTakesTheTableOver) {
  Snapshot a = Take();
  Run("BEGIN; UPDATE a5 SET v = 'never' WHERE id = 2; DELETE FROM a1; ROLLBACK");
  Snapshot b = Take(&a);
  EXPECT_EQ(b.digest(), a.digest());
  EXPECT_EQ(b.tables_read(), 0u);
}

TEST_P(UnchangedTablesTest, EnumLabelRenamedIsRead) {
  if (!postgres()) GTEST_SKIP() << "SQLite has no enum";
  // The rows are not written, but their text changes: a table with a column
  // of a type outside pg_catalog's base types is always read.
  Run("CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE e (id int PRIMARY KEY, m mood);"
      "INSERT INTO e VALUES (1, 'ok')");
  Snapshot a = Take();
  Run("ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.FindTable("e")->digest, a.FindTable("e")->digest);
  EXPECT_EQ(b.tables_read(), 1u);
}

TEST_P(UnchangedTablesTest, ObjectNamedByARegclassRenamedIsRead) {
  if (!postgres()) GTEST_SKIP() << "SQLite has no regclass";
  // regclass is a pg_catalog base type, yet it prints a name looked up now.
  Run("CREATE TABLE r (id int PRIMARY KEY, target regclass); INSERT INTO r VALUES (1, 'a1')");
  Snapshot a = Take();
  Run("ALTER TABLE a1 RENAME TO a0");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.FindTable("r")->digest, a.FindTable("r")->digest);
}

TEST_P(UnchangedTablesTest, CloneTakesTheTemplatesSnapshotOver) {
  // A SQLite copy is made page for page by the backup API.
  Snapshot a = Take();
  const std::string template_name = name_;
  db_.reset();  // a template has no connection
  Open(template_name, "");
  Snapshot copy = Take(&a);
  EXPECT_EQ(copy.digest(), a.digest());
  EXPECT_EQ(copy.tables_read(), 0u);
  db_.reset();
  Open(template_name, "UPDATE a5 SET v = 'fixed' WHERE id = 2");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.digest(), a.digest());
  EXPECT_EQ(b.tables_read(), 1u);
  EXPECT_NE(std::string::npos, Diff(a, b).find("'fixed'"));
}

TEST_P(UnchangedTablesTest, ValueUpdatedInPlaceIsRead) {
  // Same size, same page, same page count: SQLite overwrites the cell.
  ChangeInPlace("UPDATE a5 SET n = 9 WHERE id = 2", "a5");
}

TEST_P(UnchangedTablesTest, RowInALeafBelowTheRootIsRead) {
  // Thousands of rows: the root is an interior page, the row on a leaf.
  Run("CREATE TABLE deep (id integer PRIMARY KEY, v text NOT NULL);"
      "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 5000) "
      "INSERT INTO deep SELECT i, 'row ' || i FROM g");
  auto [a, b] = ChangeInPlace("UPDATE deep SET v = 'ROW 2500' WHERE id = 2500", "deep");
  EXPECT_NE(std::string::npos, Diff(a, b).find("'ROW 2500'"));
  Snapshot c = Take(&b);
  EXPECT_EQ(c.digest(), b.digest());
  EXPECT_EQ(c.tables_read(), 0u);
}

TEST_P(UnchangedTablesTest, TailOfALargeValueIsRead) {
  // On SQLite the row spills to overflow pages; the change is on the last.
  Run(std::string("CREATE TABLE big (id integer PRIMARY KEY, b text NOT NULL);"
                  "INSERT INTO big VALUES (1, ") +
      (postgres() ? "repeat('x', 20000))" : "printf('%.20000c', 'x'))"));
  ChangeInPlace("UPDATE big SET b = substr(b, 1, 19999) || 'y'", "big");
}

TEST_P(UnchangedTablesTest, KeyLongerThanAPageOfAWithoutRowidTableIsRead) {
  if (postgres()) GTEST_SKIP() << "WITHOUT ROWID is SQLite's";
  // Its b-tree is an index b-tree; keys of 3000 bytes spill, v after them.
  Run("CREATE TABLE w (k text PRIMARY KEY, v integer NOT NULL) WITHOUT ROWID;"
      "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 300) "
      "INSERT INTO w SELECT printf('%.3000c', char(65 + i % 26)) || i, i FROM g");
  auto [a, b] = ChangeInPlace("UPDATE w SET v = -v WHERE v = 150", "w");
  Snapshot c = Take(&b);
  EXPECT_EQ(c.tables_read(), 0u);
}

TEST_P(UnchangedTablesTest, WalDatabaseIsRead) {
  if (postgres()) GTEST_SKIP() << "the WAL is SQLite's journal mode";
  // The newest pages are in the WAL, not the file: nothing is taken over.
  Run("PRAGMA journal_mode = WAL");
  Snapshot a = Take();
  Run("UPDATE a5 SET v = 'fixed' WHERE id = 2");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.digest(), a.digest());
  EXPECT_EQ(b.tables_read(), 8u);
}

TEST_P(UnchangedTablesTest, DefaultOfAnAddedColumnEditedInTheSchemaIsRead) {
  if (postgres()) GTEST_SKIP() << "PostgreSQL keeps the value the rows had (attmissingval)";
  // The rows were stored before m was added: they read its default, which
  // an edit of sqlite_schema changes without writing a page of a5 nor
  // changing its columns.
  Run("ALTER TABLE a5 ADD COLUMN m integer DEFAULT 1");
  Snapshot a = Take();
  Run("PRAGMA writable_schema = ON;"
      "UPDATE sqlite_schema SET sql = replace(sql, 'DEFAULT 1', 'DEFAULT 2') WHERE name = 'a5';"
      "PRAGMA writable_schema = OFF");
  db_.reset();  // a connection that reads the edited schema
  ASSERT_TRUE(OpenSqlite(name_, &db_, true).ok());
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.FindTable("a5")->digest, a.FindTable("a5")->digest);
  EXPECT_EQ(b.tables_read(), 1u);
}

TEST_P(UnchangedTablesTest, TempTableOfTheSameNameIsRead) {
  if (postgres()) GTEST_SKIP() << "a PostgreSQL snapshot reads schema-qualified names";
  // A SELECT of a5 reads the temp table now; main.a5's pages did not move.
  Snapshot a = Take();
  Run("CREATE TEMP TABLE a5 (id integer PRIMARY KEY, v text NOT NULL, n integer DEFAULT 7);"
      "INSERT INTO temp.a5 VALUES (1, 'temp', 1)");
  Snapshot b = TakeLikeAFullRead(a);
  EXPECT_NE(b.FindTable("a5")->digest, a.FindTable("a5")->digest);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, UnchangedTablesTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const auto& info) { return std::string(DialectName(info.param)); });

}  // namespace
}  // namespace rehearse
