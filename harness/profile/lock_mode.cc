#include "harness/profile/lock_mode.h"

#include <utility>

namespace rehearse {

namespace {

constexpr std::pair<const char*, const char*> kNames[] = {
    {"", "no lock"},
    {"AccessShareLock", "ACCESS SHARE"},
    {"RowShareLock", "ROW SHARE"},
    {"RowExclusiveLock", "ROW EXCLUSIVE"},
    {"ShareUpdateExclusiveLock", "SHARE UPDATE EXCLUSIVE"},
    {"ShareLock", "SHARE"},
    {"ShareRowExclusiveLock", "SHARE ROW EXCLUSIVE"},
    {"ExclusiveLock", "EXCLUSIVE"},
    {"AccessExclusiveLock", "ACCESS EXCLUSIVE"},
    {"", "the database write lock"},
};

}  // namespace

LockMode ParseLockMode(std::string_view mode) {
  for (int i = 1; i <= static_cast<int>(LockMode::kAccessExclusive); ++i)
    if (mode == kNames[i].first) return static_cast<LockMode>(i);
  return LockMode::kNone;
}

std::string LockModeName(LockMode mode) { return kNames[static_cast<int>(mode)].second; }

bool BlocksWrites(LockMode mode) {
  return mode >= LockMode::kShare;  // kSqliteWrite included
}

bool BlocksReads(LockMode mode) { return mode == LockMode::kAccessExclusive; }

}  // namespace rehearse
