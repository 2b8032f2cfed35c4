// PostgreSQL's table lock modes, weakest first, and what each one blocks.
// A mode "blocks writes" when it conflicts with ROW EXCLUSIVE, the lock every
// INSERT, UPDATE and DELETE takes: SHARE and stronger. Only ACCESS EXCLUSIVE
// blocks reads too.
#ifndef REHEARSE_PROFILE_LOCK_MODE_H_
#define REHEARSE_PROFILE_LOCK_MODE_H_

#include <string>
#include <string_view>

namespace rehearse {

enum class LockMode {
  kNone = 0,
  kAccessShare,
  kRowShare,
  kRowExclusive,
  kShareUpdateExclusive,
  kShare,
  kShareRowExclusive,
  kExclusive,
  kAccessExclusive,
  // SQLite has one lock that matters to writers: the database's write lock.
  kSqliteWrite,
};

// "AccessExclusiveLock" (pg_locks.mode) -> kAccessExclusive; kNone if unknown.
LockMode ParseLockMode(std::string_view pg_locks_mode);
// "ACCESS EXCLUSIVE", "SHARE", …, "the database write lock".
std::string LockModeName(LockMode mode);
bool BlocksWrites(LockMode mode);
bool BlocksReads(LockMode mode);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_LOCK_MODE_H_
