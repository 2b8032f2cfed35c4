// Findings: what in a profiled step would hurt production, each naming the
// statement that caused it, what it held and for how long, and the standard
// safe form where one exists. Judged from a StepProfile alone.
//
// PostgreSQL (work on a table that existed before the step, with at least
// min_rows rows, while the statement's transaction held a lock on it that
// blocks writes — SHARE or stronger — for at least max_lock):
//   table_rewrite    the table got a new relfilenode (ALTER COLUMN … TYPE,
//                    a volatile DEFAULT, VACUUM FULL, CLUSTER)
//   index_build      an index was built or rebuilt (CREATE INDEX without
//                    CONCURRENTLY, ADD UNIQUE/PRIMARY KEY, REINDEX)
//   blocking_scan    the table was scanned (a validated FOREIGN KEY or
//                    CHECK, SET NOT NULL, a backfill after a schema change in
//                    the same transaction)
// SQLite (the database write lock held for at least max_lock, on a table of
// at least min_rows rows):
//   table_rebuild    the table got a new root page (the create-copy-drop-
//                    rename rebuild) or lost a stored column (ALTER TABLE …
//                    DROP COLUMN rewrites every row in place)
//   index_build      an index was built
// Both:
//   unbatched_write  one transaction updated or deleted more than
//                    max_rows_per_transaction rows of one table (SQLite: of
//                    the database), holding their row locks (SQLite: the
//                    write lock) until it ended; named at its statement that
//                    changed most, with that statement's rows and, when
//                    others added to them, the transaction's total
// A lock that lets writes through (SHARE UPDATE EXCLUSIVE: CONCURRENTLY,
// VALIDATE CONSTRAINT) is never a finding, however long.
#ifndef REHEARSE_PROFILE_FINDINGS_H_
#define REHEARSE_PROFILE_FINDINGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness/db/database.h"
#include "harness/profile/step_profile.h"

namespace rehearse {

// The flags of `rehearse profile`, with their documented defaults.
struct ProfileThresholds {
  int64_t min_rows = 10000;                  // --min-rows
  double max_lock_s = 1.0;                   // --max-lock
  int64_t max_rows_per_transaction = 10000;  // --max-rows-per-transaction
};

struct ProfileFinding {
  std::string kind;   // see the header comment
  std::string table;  // "" for SQLite's database-wide write lock
  LockMode mode = LockMode::kNone;
  double held_s = 0;
  int64_t rows = 0;  // the table's rows, or the transaction's rows changed (unbatched_write)
  std::string origin;
  int line = 0;
  std::string statement;
  // One sentence or two: what happened, what it blocks, the safe form.
  std::string message;
};

// The strongest lock that blocks writes held in a step, and for how long.
struct BlockingLock {
  std::string table;
  LockMode mode = LockMode::kNone;
  double held_s = 0;
  // The statement that took it (its transaction held it from that
  // statement's start to its end).
  std::string origin;
  int line = 0;
  std::string statement;  // StatementSummary
};

std::vector<ProfileFinding> JudgeStep(const StepProfile& step, const ProfileThresholds& t);
// The write-blocking lock held longest in `step` (held_s 0 when none).
BlockingLock LongestBlockingLock(const StepProfile& step);
// "ACCESS EXCLUSIVE on events for 3.2 s, from `ALTER TABLE events …`
// (up.sql:3)", or "no lock that blocks writes".
std::string DescribeBlockingLock(const BlockingLock& lock);

// "ALTER TABLE events ALTER COLUMN id TYPE bigint", shortened to one line
// of at most 120 characters.
std::string StatementSummary(const std::string& text);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_FINDINGS_H_
