#include "harness/profile/lock_sampler.h"

#include <cstdlib>

namespace rehearse {

LockSampler::LockSampler(std::unique_ptr<Database> watcher, int64_t pid,
                         std::chrono::milliseconds interval)
    : watcher_(std::move(watcher)),
      query_("SELECT relation::pg_catalog.int8, mode FROM pg_catalog.pg_locks WHERE pid = " +
             std::to_string(pid) + " AND locktype = 'relation' AND granted AND relation >= 16384"),
      interval_(interval),
      thread_([this] { Loop(); }) {}

LockSampler::~LockSampler() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void LockSampler::Begin() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.clear();
    active_ = true;
  }
  cv_.notify_all();
}

std::map<std::string, LockMode> LockSampler::End() {
  std::lock_guard<std::mutex> lock(mu_);
  active_ = false;
  return std::move(seen_);
}

int64_t LockSampler::samples() const {
  std::lock_guard<std::mutex> lock(mu_);
  return samples_;
}

void LockSampler::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || active_; });
    if (stop_) return;
    lock.unlock();
    ResultSet rs;
    // A failed read (the server went away) loses samples, never the
    // migration: the statement's own status says what happened to it.
    Status s = watcher_->Execute(query_, {}, &rs);
    lock.lock();
    ++samples_;
    if (s.ok() && active_) {
      for (const Row& r : rs.rows) {
        LockMode& held = seen_[r[0].ToText()];
        held = std::max(held, ParseLockMode(r[1].bytes));
      }
    }
    cv_.wait_for(lock, interval_, [this] { return stop_ || !active_; });
  }
}

Status BackendPid(Database* db, int64_t* pid) {
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(db->Execute("SELECT pg_catalog.pg_backend_pid()", {}, &rs));
  *pid = std::strtoll(rs.rows.at(0).at(0).ToText().c_str(), nullptr, 10);
  return Status::OK();
}

}  // namespace rehearse
