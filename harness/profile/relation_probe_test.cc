// RelationProbe's row and scan counts on a real PostgreSQL, statement by
// statement through ProfiledDatabase: exact for a statement in autocommit
// (a plain UPDATE, a DELETE, a DO block of several UPDATEs that runs past
// the backend's one-second statistics flush, which zeroes the
// per-transaction counters before the probe can read them) and for
// statements inside an explicit transaction, each counted once.
#include <gtest/gtest.h>

#include "harness/db/throwaway_databases.h"
#include "harness/profile/profiled_database.h"

namespace rehearse {
namespace {

// The rows each statement of `script` changed in `t` and the sequential
// scans it ran there, as the profiler measured them.
struct Counted {
  std::vector<int64_t> rows, scans;
};

Status Profile(Database* db, const std::string& script, Counted* out) {
  ProfiledDatabase profiled(db, nullptr);
  StepProfile step;
  REHEARSE_RETURN_IF_ERROR(profiled.StartStep(&step));
  Status s = profiled.ExecuteScript(SqlScript::Parse(script));
  profiled.FinishStep();
  REHEARSE_RETURN_IF_ERROR(s);
  for (const StatementProfile& p : step.statements) {
    int64_t rows = 0, scans = 0;
    for (const TableWork& w : p.work)
      if (w.table == "t") rows += w.rows_changed, scans += w.scans;
    out->rows.push_back(rows);
    out->scans.push_back(scans);
  }
  return Status::OK();
}

class RelationProbeCounts : public ::testing::Test {
 protected:
  void SetUp() override {
    std::unique_ptr<Database> admin;
    std::string name;
    ASSERT_TRUE(dbs_.Create(Dialect::kPostgres, &admin, nullptr, "", &name).ok());
    ASSERT_TRUE(dbs_.ConnectAs(name, ThrowawayDatabases::Role::kOwner, &db_).ok());
    ASSERT_TRUE(db_->Execute("CREATE TABLE t (id integer PRIMARY KEY, v integer)").ok());
    ASSERT_TRUE(db_->Execute("INSERT INTO t SELECT g, 0 FROM generate_series(1, 1000) AS g").ok());
  }
  ThrowawayDatabases dbs_;
  std::unique_ptr<Database> db_;
};

TEST_F(RelationProbeCounts, AutocommitStatementsCountTheirOwnRows) {
  Counted c;
  ASSERT_TRUE(Profile(db_.get(),
                      "UPDATE t SET v = 1;\n"
                      "DO $$ BEGIN UPDATE t SET v = 2; UPDATE t SET v = 3 WHERE id <= 500;\n"
                      "  PERFORM pg_sleep(1.1); END $$;\n"
                      "DELETE FROM t WHERE id > 900;\n"
                      "SELECT count(*) FROM t;\n",
                      &c)
                  .ok());
  EXPECT_EQ(c.rows, (std::vector<int64_t>{1000, 1500, 100, 0}));
  // Each UPDATE without a usable index and the count scan t; the DELETE
  // finds its rows through the primary key or a scan, as the planner likes.
  EXPECT_EQ(c.scans[0], 1);
  EXPECT_GE(c.scans[1], 1);
  EXPECT_EQ(c.scans[3], 1);
}

TEST_F(RelationProbeCounts, StatementsInATransactionAreEachCountedOnce) {
  Counted c;
  ASSERT_TRUE(Profile(db_.get(),
                      "BEGIN;\n"
                      "UPDATE t SET v = 4 WHERE id <= 100;\n"
                      "DO $$ BEGIN UPDATE t SET v = 5 WHERE id <= 200; PERFORM pg_sleep(1.1); "
                      "END $$;\n"
                      "SAVEPOINT a;\n"
                      "UPDATE t SET v = 6 WHERE id <= 50;\n"
                      "ROLLBACK TO a;\n"
                      "COMMIT;\n"
                      "SELECT pg_sleep(1.1);\n"
                      "UPDATE t SET v = 7 WHERE id <= 10;\n",
                      &c)
                  .ok());
  // A rolled-back UPDATE held its row locks all the same; COMMIT and the
  // flush after it add nothing.
  EXPECT_EQ(c.rows, (std::vector<int64_t>{0, 100, 200, 0, 50, 0, 0, 0, 10}));
}

}  // namespace
}  // namespace rehearse
