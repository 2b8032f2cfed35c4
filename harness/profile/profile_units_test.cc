// The profile's pure parts, each with a case that must trip it and one that
// must not: the rows file, the timings baseline comparison (noise handled by
// the reference ratio and the floor), the rollback windows, and the
// findings' judge on hand-made step profiles.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/profile/findings.h"
#include "harness/profile/rollback_window.h"
#include "harness/profile/rows_file.h"
#include "harness/profile/timings.h"

namespace rehearse {
namespace {

TEST(RowsFile, ReadsTheDocumentedExport) {
  std::map<std::string, int64_t> rows;
  ASSERT_TRUE(ParseRowsFile("sizes.csv",
                            "relname,reltuples\n# from production\nevents,1e+06\n\"users\",2500\n"
                            "never_analyzed,-1\n",
                            &rows)
                  .ok());
  EXPECT_EQ(rows, (std::map<std::string, int64_t>{{"events", 1000000}, {"users", 2500}}));
}

TEST(RowsFile, BadLinesNameFileAndLine) {
  std::map<std::string, int64_t> rows;
  Status s = ParseRowsFile("sizes.csv", "events,100\nusers;12\n", &rows);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.ToString().find("sizes.csv:2"), std::string::npos) << s.ToString();
  EXPECT_EQ(ParseRowsFile("f", "events,many\n", &rows).code(), Status::Code::kInvalidInput);
  EXPECT_EQ(ParseRowsFile("f", "a,1\na,2\n", &rows).code(), Status::Code::kInvalidInput);
}

Timings OneMigration(double reference, double up, double down, double lock) {
  Timings t;
  t.backends.push_back({"postgres", "PostgreSQL 15", reference, {{"0002_x", up, down, lock, ""}}});
  return t;
}

TEST(Timings, FlagsAGrowthPastTheFactorAndFloor) {
  // 2 reference units before, 6 now: up tripled.
  const auto r = CompareTimings(OneMigration(0.1, 0.2, 0.1, 0), OneMigration(0.1, 0.6, 0.1, 0), {});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].what, "up");
  EXPECT_NE(r[0].message.find("0002_x up on postgres grew from 2.00 to 6.00"), std::string::npos)
      << r[0].message;
}

TEST(Timings, ASlowerMachineIsNotARegression) {
  // Everything, the reference included, took three times as long.
  EXPECT_TRUE(CompareTimings(OneMigration(0.1, 0.2, 0.1, 0.2), OneMigration(0.3, 0.6, 0.3, 0.6), {})
                  .empty());
}

TEST(Timings, GrowthUnderTheFloorIsNoise) {
  // 0.01 -> 0.04 reference units: four times, but far under the floor (0.5).
  EXPECT_TRUE(
      CompareTimings(OneMigration(1, 0.01, 0.01, 0), OneMigration(1, 0.04, 0.04, 0), {}).empty());
}

TEST(Timings, LongerBlockingLockIsFlagged) {
  const auto r = CompareTimings(OneMigration(0.1, 1, 1, 0.1), OneMigration(0.1, 1, 1, 2), {});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].what, "longest blocking lock");
}

TEST(Timings, RoundTripsAndRefusesOtherFiles) {
  const std::string path =
      std::filesystem::temp_directory_path() / ("timings_" + std::to_string(getpid()) + ".json");
  Timings t = OneMigration(0.25, 1.5, 0.5, 0.75);
  t.rows = 1000;
  ASSERT_TRUE(WriteTimings(t, path).ok());
  Timings back;
  ASSERT_TRUE(ReadTimings(path, &back).ok());
  ASSERT_EQ(back.backends.size(), 1u);
  EXPECT_EQ(back.rows, 1000);
  EXPECT_EQ(back.backends[0].reference_s, 0.25);
  EXPECT_EQ(back.backends[0].migrations[0].up_s, 1.5);
  std::ofstream(path) << R"({"verdict": "pass", "runs": []})";  // a gate report
  Status s = ReadTimings(path, &back);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("\"format\""), std::string::npos) << s.message();
  std::ofstream(path)
      << R"({"format": "rehearse-profile-timings/1", "backends": [{"backend": "postgres", "reference_s": 0, "migrations": []}]})";
  s = ReadTimings(path, &back);
  EXPECT_NE(s.message().find("backends[0].reference_s"), std::string::npos) << s.message();
  std::filesystem::remove(path);
}

TEST(RollbackWindow, SeedFourWindows) {
  RollbackWindows w;  // 5 and 30 minutes
  RollbackRehearsal r;
  r.seconds = 299;
  EXPECT_EQ(JudgeRollback(r, w), RollbackFit::kImmediate);
  EXPECT_FALSE(NeedsRollbackLog(r, w));
  r.seconds = 301;
  EXPECT_EQ(JudgeRollback(r, w), RollbackFit::kDeadline);
  EXPECT_EQ(DescribeRollback(r, w),
            "missed the 5-minute immediate window, fits the 30-minute deadline (5.0 min)");
  r.seconds = 1801;
  EXPECT_EQ(JudgeRollback(r, w), RollbackFit::kMissed);
  EXPECT_TRUE(NeedsRollbackLog(r, w));
  const std::string entry = RollbackLogEntry(r, w, "2026-12-07 12:00 UTC", "rehearse profile");
  EXPECT_NE(entry.find("**Severity:** High"), std::string::npos) << entry;
  r.lost = {"events: 10 rows before up, 5 after down"};
  EXPECT_EQ(JudgeRollback(r, w), RollbackFit::kLostData);
  EXPECT_NE(RollbackLogEntry(r, w, "t", "x").find("**Severity:** Critical"), std::string::npos);
}

// A transaction that holds ACCESS EXCLUSIVE on a big table while a later
// statement scans it is flagged at that statement; the same scan before the
// lock was taken is not.
TEST(Findings, AScanCountsOnlyUnderTheLockHeldAtThatStatement) {
  ProfileThresholds t;
  t.min_rows = 100;
  t.max_lock_s = 0;
  StepProfile step;
  StatementProfile validate;
  validate.text = "ALTER TABLE events VALIDATE CONSTRAINT c";
  validate.locks = {{"events", LockMode::kShareUpdateExclusive}};
  validate.work = {{"events", 1000, false, {}, 1, 0}};
  StatementProfile set_not_null = validate;
  set_not_null.text = "ALTER TABLE events ALTER COLUMN c SET NOT NULL";
  set_not_null.locks = {{"events", LockMode::kAccessExclusive}};
  set_not_null.work = {};
  step.statements = {validate, set_not_null};
  step.transaction_end_s[0] = 1;
  EXPECT_TRUE(JudgeStep(step, t).empty());
  step.statements[1].work = {{"events", 1000, false, {}, 1, 0}};  // SET NOT NULL scanned too
  const auto f = JudgeStep(step, t);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "blocking_scan");
  EXPECT_EQ(f[0].statement, set_not_null.text);
  EXPECT_NE(f[0].message.find("CHECK (column IS NOT NULL) NOT VALID"), std::string::npos);
}

// unbatched_write names the statement that changed most with its own rows,
// and the transaction's total beside them only when other statements added
// to it.
TEST(Findings, UnbatchedWriteSaysTheStatementsRowsAndTheTransactionsTotal) {
  ProfileThresholds t;
  t.max_rows_per_transaction = 1000;
  StepProfile sqlite;
  for (int64_t rows : {100000, 300000, 200000}) {
    StatementProfile p;
    p.text = "UPDATE x SET v = " + std::to_string(rows);
    p.rows_changed = rows;
    p.locks = {{"", LockMode::kSqliteWrite}};
    sqlite.statements.push_back(p);
  }
  sqlite.transaction_end_s[0] = 1;
  auto f = JudgeStep(sqlite, t);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rows, 600000);
  EXPECT_NE(f[0].message.find("`UPDATE x SET v = 300000` changed 300,000 rows in a transaction "
                              "whose 3 statements changed 600,000 in all"),
            std::string::npos)
      << f[0].message;
  sqlite.statements.resize(1);
  f = JudgeStep(sqlite, t);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("`UPDATE x SET v = 100000` changed 100,000 rows in one transaction,"),
            std::string::npos)
      << f[0].message;

  t.max_rows_per_transaction = 10000;
  StepProfile postgres;
  for (int64_t rows : {5000, 7000}) {
    StatementProfile p;
    p.text = "UPDATE events SET flag = " + std::to_string(rows);
    p.work = {{"events", 100000, false, {}, 1, rows}};
    postgres.statements.push_back(p);
  }
  postgres.transaction_end_s[0] = 1;
  f = JudgeStep(postgres, t);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("`UPDATE events SET flag = 7000` updated or deleted 7,000 rows of "
                              "events in a transaction whose 2 statements updated or deleted "
                              "12,000 in all"),
            std::string::npos)
      << f[0].message;
  // Each statement in a transaction of its own (autocommit): under the limit.
  postgres.statements[1].transaction = 1;
  postgres.transaction_end_s[1] = 2;
  EXPECT_TRUE(JudgeStep(postgres, t).empty());
}

}  // namespace
}  // namespace rehearse
