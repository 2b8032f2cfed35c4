// LockSampler: watches the table locks one PostgreSQL backend (the
// migration's) holds, from a connection of its own (the harness's superuser
// connection), while a statement runs. A statement in autocommit releases
// its locks when it ends, so they can only be seen while it runs; a
// statement inside a transaction is also read exactly right after it
// (RelationProbe), and the sampler adds what it took and released meanwhile.
//
// Contract: Begin() starts polling pg_locks every `interval` on a thread of
// its own, End() stops it and returns every (relation oid, strongest mode)
// seen since Begin(). A lock held for less than the interval may be missed:
// the sampler reports what production would feel for longer than that. The
// sampler's connection is used from its thread only. Polling stops, and the
// thread is joined, at destruction.
#ifndef REHEARSE_PROFILE_LOCK_SAMPLER_H_
#define REHEARSE_PROFILE_LOCK_SAMPLER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/profile/lock_mode.h"

namespace rehearse {

class LockSampler {
 public:
  // `watcher` is another connection to the same cluster; `pid` the backend
  // to watch.
  LockSampler(std::unique_ptr<Database> watcher, int64_t pid, std::chrono::milliseconds interval);
  ~LockSampler();
  LockSampler(const LockSampler&) = delete;
  LockSampler& operator=(const LockSampler&) = delete;

  void Begin();
  // Relation oid (decimal) -> the strongest mode seen since Begin().
  std::map<std::string, LockMode> End();
  // How many times pg_locks was read in all (for the report and tests).
  int64_t samples() const;

 private:
  void Loop();

  std::unique_ptr<Database> watcher_;
  const std::string query_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool active_ = false;
  bool stop_ = false;
  std::map<std::string, LockMode> seen_;
  int64_t samples_ = 0;
  std::thread thread_;  // last: starts once the members above exist
};

// The backend pid of `db`'s connection (PostgreSQL).
Status BackendPid(Database* db, int64_t* pid);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_LOCK_SAMPLER_H_
