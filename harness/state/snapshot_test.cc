// Snapshot and SnapshotDiff against real databases: every difference class
// must change the digest and be named by the diff; equal states must not.
#include "harness/state/snapshot.h"

#include <gtest/gtest.h>

#include "harness/db/throwaway_databases.h"
#include "harness/state/snapshot_diff.h"

namespace rehearse {
namespace {

class SnapshotTest : public ::testing::TestWithParam<Dialect> {
 protected:
  static void SetUpTestSuite() { dbs_ = new ThrowawayDatabases(); }
  static void TearDownTestSuite() {
    delete dbs_;
    dbs_ = nullptr;
  }

  bool postgres() const { return GetParam() == Dialect::kPostgres; }

  // A fresh database with `sql` applied, snapshotted with archives.
  Snapshot Take(const std::string& sql) {
    std::unique_ptr<Database> db;
    Status s = dbs_->Create(GetParam(), &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return {};
    s = db->ExecuteScript(SqlScript::Parse(sql));
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::string dir;
    s = dbs_->ScratchDir("snapshot", &dir);
    EXPECT_TRUE(s.ok()) << s.ToString();
    Snapshot snap;
    SnapshotOptions options;
    options.archive_dir = dir;
    s = Snapshot::Take(db.get(), options, &snap);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return snap;
  }

  // Snapshots both states and returns the rendered diff; expects the digests
  // to differ exactly when the diff is not empty.
  std::string DiffOf(const std::string& a, const std::string& b) {
    Snapshot sa = Take(a), sb = Take(b);
    SnapshotDiff diff;
    Status s = DiffSnapshots(sa, sb, {}, &diff);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(sa.digest() == sb.digest(), diff.identical()) << diff.Render();
    return diff.identical() ? "" : diff.Render();
  }

  static ThrowawayDatabases* dbs_;
};

ThrowawayDatabases* SnapshotTest::dbs_ = nullptr;

constexpr const char* kBase =
    "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL);"
    "INSERT INTO t VALUES (1, 'one', 1.5), (2, 'two', 2.5);";

TEST_P(SnapshotTest, EqualStatesHaveEqualDigestsAndNoDifferences) {
  Snapshot a = Take(kBase), b = Take(kBase);
  EXPECT_EQ(a.digest(), b.digest());
  EXPECT_EQ(a.schema_digest(), b.schema_digest());
  EXPECT_EQ("", DiffOf(kBase, kBase));
}

TEST_P(SnapshotTest, DigestIsIdenticalAcrossTwoSnapshotsOfOneDatabase) {
  std::unique_ptr<Database> db;
  ASSERT_TRUE(dbs_->Create(GetParam(), &db).ok());
  ASSERT_TRUE(db->ExecuteScript(SqlScript::Parse(kBase)).ok());
  Snapshot a, b;
  ASSERT_TRUE(Snapshot::Take(db.get(), {}, &a).ok());
  ASSERT_TRUE(Snapshot::Take(db.get(), {}, &b).ok());
  EXPECT_EQ(a.digest(), b.digest());
  EXPECT_EQ(a.tables().size(), 1u);
  EXPECT_EQ(a.tables()[0].row_count, 2);
}

// Expects `diff` to mention every one of `needles`.
void ExpectMentions(const std::string& diff, std::initializer_list<std::string> needles) {
  EXPECT_FALSE(diff.empty()) << "the two states were reported identical";
  for (const std::string& n : needles) EXPECT_NE(std::string::npos, diff.find(n)) << diff;
}

TEST_P(SnapshotTest, ParallelPageRangeReadsGiveTheSameDigestAsOneConnection) {
  std::unique_ptr<Database> db;
  std::string where;
  ASSERT_TRUE(dbs_->Create(GetParam(), &db, &where).ok());
  ASSERT_TRUE(
      db->ExecuteScript(
            SqlScript::Parse("CREATE TABLE big (id INTEGER PRIMARY KEY, s TEXT);"
                             "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM "
                             "g WHERE i < 5000) INSERT INTO big SELECT i, 'row ' || i FROM g;"))
          .ok());
  Snapshot one, many;
  ASSERT_TRUE(Snapshot::Take(db.get(), {}, &one).ok());
  SnapshotOptions options;
  options.connect = [&](std::unique_ptr<Database>* out) {
    return postgres() ? OpenPostgres(where, out) : OpenSqlite(where, out);
  };
  options.parallelism = 2;
  options.pages_per_chunk = 3;  // many ranges, so the split is exercised
  Status s = Snapshot::Take(db.get(), options, &many);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(one.digest(), many.digest());
  EXPECT_EQ(many.tables()[0].row_count, 5000);
}

TEST_P(SnapshotTest, NullDiffersFromEmptyString) {
  const char* table = "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT);";
  ExpectMentions(DiffOf(std::string(table) + "INSERT INTO t VALUES (1, NULL);",
                        std::string(table) + "INSERT INTO t VALUES (1, '');"),
                 {"row changed: t key id=1 column s: NULL -> ''"});
}

TEST_P(SnapshotTest, IntegerRealAndTextOneAreThreeDifferentStates) {
  // SQLite keeps the storage class per value; PostgreSQL per column type.
  std::vector<std::string> states =
      postgres() ? std::vector<std::string>{
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 1);",
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, v NUMERIC); INSERT INTO t VALUES (1, 1.0);",
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, '1');"}
                 : std::vector<std::string>{
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 1);",
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 1.0);",
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, '1');"};
  for (size_t i = 0; i < states.size(); ++i) {
    for (size_t j = i + 1; j < states.size(); ++j) {
      std::string d = DiffOf(states[i], states[j]);
      EXPECT_NE(std::string::npos, d.find(postgres() ? "column t.v" : "column v")) << d;
    }
  }
  if (!postgres()) {
    ExpectMentions(DiffOf(states[0], states[1]), {"column v: 1 -> 1.0"});
    ExpectMentions(DiffOf(states[1], states[2]), {"column v: 1.0 -> '1'"});
  } else {
    // Within one column too: numeric keeps its scale, so 1 and 1.0 are two
    // values (equal under =, different on the wire and to the application).
    const char* numeric = "CREATE TABLE t (id INTEGER PRIMARY KEY, v NUMERIC);";
    ExpectMentions(DiffOf(std::string(numeric) + "INSERT INTO t VALUES (1, 1);",
                          std::string(numeric) + "INSERT INTO t VALUES (1, 1.0);"),
                   {"row changed: t key id=1 column v: '1' -> '1.0'"});
  }
}

TEST_P(SnapshotTest, ColumnOrderIsPartOfTheSchema) {
  ExpectMentions(DiffOf("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER);",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, b INTEGER, a INTEGER);"),
                 {"schema object changed: column t.a", "schema object changed: column t.b"});
}

TEST_P(SnapshotTest, ChangedDefaultIsNamed) {
  ExpectMentions(DiffOf("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER DEFAULT 0);",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER DEFAULT 1);"),
                 {"column t.a", "DEFAULT 0", "DEFAULT 1"});
}

TEST_P(SnapshotTest, DroppedNotNullIsNamed) {
  ExpectMentions(DiffOf("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL);",
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);"),
                 {"schema object changed: column t.a", "NOT NULL"});
}

TEST_P(SnapshotTest, IndexUniquenessIsNamed) {
  const char* table = "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);";
  ExpectMentions(DiffOf(std::string(table) + "CREATE INDEX i ON t (a);",
                        std::string(table) + "CREATE UNIQUE INDEX i ON t (a);"),
                 {"index t.i", "UNIQUE"});
}

TEST_P(SnapshotTest, TriggerLeftBehindIsNamed) {
  std::string base = "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);";
  std::string trigger;
  if (postgres()) {
    base += "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;";
    trigger = "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();";
  } else {
    trigger =
        "CREATE TRIGGER trg AFTER INSERT ON t BEGIN UPDATE t SET a = 1 WHERE id = NEW.id; END;";
  }
  ExpectMentions(
      DiffOf(base, base + trigger),
      {postgres() ? "schema object added: trigger t.trg" : "schema object added: ddl trigger trg"});
}

TEST_P(SnapshotTest, ChangedFunctionOrViewBodyIsNamed) {
  if (postgres()) {
    ExpectMentions(DiffOf("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
                          "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';"),
                   {"schema object changed: function f()", "SELECT 1", "SELECT 2"});
  } else {  // SQLite has no stored functions; a view is its closest stored body
    ExpectMentions(DiffOf("CREATE VIEW v AS SELECT 1 AS x;", "CREATE VIEW v AS SELECT 2 AS x;"),
                   {"schema object changed: ddl view v"});
  }
}

TEST_P(SnapshotTest, FloatsDifferingInTheLastBitDiffer) {
  const char* table = "CREATE TABLE t (id INTEGER PRIMARY KEY, x DOUBLE PRECISION);";
  ExpectMentions(DiffOf(std::string(table) + "INSERT INTO t VALUES (1, 0.1);",
                        std::string(table) + "INSERT INTO t VALUES (1, 0.10000000000000002);"),
                 {"key id=1 column x: 0.1 -> 0.10000000000000002"});
}

TEST_P(SnapshotTest, TimestampsDifferingByOneMicrosecondDiffer) {
  std::string table = postgres() ? "CREATE TABLE t (id INTEGER PRIMARY KEY, ts TIMESTAMPTZ);"
                                 : "CREATE TABLE t (id INTEGER PRIMARY KEY, ts TEXT);";
  ExpectMentions(DiffOf(table + "INSERT INTO t VALUES (1, '2026-03-08 02:30:00.000001+00');",
                        table + "INSERT INTO t VALUES (1, '2026-03-08 02:30:00.000002+00');"),
                 {"key id=1 column ts", "00.000001", "00.000002"});
}

TEST_P(SnapshotTest, MissingRowIsNamedByItsKey) {
  ExpectMentions(DiffOf(kBase, std::string(kBase) + "DELETE FROM t WHERE id = 2;"),
                 {"row removed: t key id=2"});
  ExpectMentions(DiffOf(std::string(kBase) + "DELETE FROM t WHERE id = 1;", kBase),
                 {"row added: t key id=1"});
}

TEST_P(SnapshotTest, ChangedValueNamesTableKeyColumnAndBothValues) {
  ExpectMentions(DiffOf(kBase, std::string(kBase) + "UPDATE t SET name = 'TWO' WHERE id = 2;"),
                 {"row changed: t key id=2 column name: 'two' -> 'TWO'"});
}

TEST_P(SnapshotTest, SequencePositionAloneIsAWarning) {
  std::string base = postgres() ? "CREATE SEQUENCE s;"
                                : "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);"
                                  "INSERT INTO t VALUES (1); DELETE FROM t;";
  std::string advanced =
      postgres() ? "SELECT nextval('s');" : "INSERT INTO t VALUES (2); DELETE FROM t;";
  Snapshot a = Take(base), b = Take(base + advanced);
  SnapshotDiff diff;
  ASSERT_TRUE(DiffSnapshots(a, b, {}, &diff).ok());
  EXPECT_EQ(diff.failures, 0u) << diff.Render();
  EXPECT_EQ(diff.warnings, 1u) << diff.Render();
  EXPECT_NE(a.digest(), b.digest());
}

TEST_P(SnapshotTest, DifferencesAreCappedPerTableButCountedInFull) {
  std::string rows = "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);";
  for (int i = 1; i <= 30; ++i) rows += "INSERT INTO t VALUES (" + std::to_string(i) + ", 0);";
  Snapshot a = Take(rows), b = Take(rows + "UPDATE t SET v = 1;");
  SnapshotDiff diff;
  ASSERT_TRUE(DiffSnapshots(a, b, {.max_per_table = 10}, &diff).ok());
  EXPECT_EQ(diff.failures, 30u);
  EXPECT_EQ(diff.shown.size(), 10u);
  EXPECT_NE(std::string::npos, diff.Render().find("... and 20 more in t")) << diff.Render();
}

INSTANTIATE_TEST_SUITE_P(BothEngines, SnapshotTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const auto& info) { return std::string(DialectName(info.param)); });

}  // namespace
}  // namespace rehearse
