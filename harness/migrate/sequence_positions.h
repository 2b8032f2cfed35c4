// SequencePositions: where every PostgreSQL sequence stands, captured before
// a transaction that will be rolled back and restored after it.
//
// Why: nextval() is never rolled back. A dry run, or a migration that fails
// after inserting into a serial column, rolls its transaction back but leaves
// the sequence advanced — and a snapshot records sequence positions, so the
// database would no longer be byte-identical to what it was before. Restoring
// (last_value, is_called) with setval() makes it so.
//
// SQLite needs nothing: sqlite_sequence is an ordinary table and rolls back
// with the transaction; Capture() records nothing there and Restore() does
// nothing.
//
// Contract: Capture() and Restore() must run outside a transaction (Restore
// after the rollback). Restore() resets only sequences that still exist (one
// created by the rolled-back transaction is gone) and whose position moved.
#ifndef REHEARSE_MIGRATE_SEQUENCE_POSITIONS_H_
#define REHEARSE_MIGRATE_SEQUENCE_POSITIONS_H_

#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

class SequencePositions {
 public:
  Status Capture(Database* db);
  Status Restore(Database* db) const;

 private:
  struct Position {
    std::string qualified;  // "schema"."name", quoted
    std::string last_value;
    bool is_called = false;
  };
  static Status Read(Database* db, std::vector<Position>* out);

  std::vector<Position> positions_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_SEQUENCE_POSITIONS_H_
