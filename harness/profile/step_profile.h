// StepProfile: what one up or down of one migration did, statement by
// statement, as ProfiledDatabase measured it: each statement's time, the
// table locks its transaction held while and right after it ran, and the work
// it did on each table that existed before it (rewrites, index builds,
// sequential scans, rows updated or deleted). Plain data; judged by
// JudgeStep (findings.h).
#ifndef REHEARSE_PROFILE_STEP_PROFILE_H_
#define REHEARSE_PROFILE_STEP_PROFILE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/profile/lock_mode.h"

namespace rehearse {

// What one statement did to one table (an index's work counts for its table).
struct TableWork {
  std::string table;
  int64_t rows = -1;                       // the table's rows when the step began; -1 unknown
  bool rewritten = false;                  // new relfilenode (SQLite: new root page)
  std::vector<std::string> indexes_built;  // indexes created or rebuilt on it
  int64_t scans = 0;                       // sequential scans (PostgreSQL)
  int64_t rows_changed = 0;                // rows updated or deleted (PostgreSQL)
};

struct HeldLock {
  std::string table;  // "" for SQLite's database-wide write lock
  LockMode mode = LockMode::kNone;
};

struct StatementProfile {
  std::string origin;  // the file it came from
  int line = 0;
  std::string text;
  int transaction = 0;  // statements of one transaction share it
  double start_s = 0;   // since the step began
  double seconds = 0;
  // The strongest lock per table its transaction held during or right after
  // it (PostgreSQL: pg_locks; SQLite: the write lock once it wrote).
  std::vector<HeldLock> locks;
  std::vector<TableWork> work;
  // UPDATE/DELETE rows of the statement where only a total is known (SQLite).
  int64_t rows_changed = 0;
};

struct StepProfile {
  bool up = true;
  bool ran = false;  // false: the migration has no such step
  Status status;     // the step's own outcome
  double seconds = 0;
  std::vector<StatementProfile> statements;
  // When each transaction ended, since the step began (autocommit
  // statements are transactions of their own).
  std::map<int, double> transaction_end_s;
  // Statements that ran on a connection the profiler does not watch (a
  // "privileged" migration): timed as a whole only.
  bool unwatched = false;
};

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_STEP_PROFILE_H_
