// Workload: a small, faithful model of one job of the application — the
// follow-up cron tick, the bot's restart recovery, the timeout job processor
// — played against a rehearsal database so that what a migration promises is
// observed instead of assumed.
//
// Contract of Play(db, now, record):
// - `db` must not be inside a transaction. Play opens one, acts as the
//   application would at instant `now` (canonical timestamp text, see
//   fixtures/fixture_time.h; no wall clock is read), reads back from the
//   database what it did into *record (workload_record.h), then ROLLS THE
//   TRANSACTION BACK — on success and on failure. The database is left
//   byte-identical (same snapshot digest), so a rehearsal can play a
//   workload between any two snapshots.
// - Returns OK with *record filled (record->workload = name()), or the first
//   failure: kInvalidInput for a `now` that is not canonical text or an open
//   transaction, else the database's Status. *record is unspecified then.
// - A Workload holds no state between plays; one object may play many times,
//   on one thread at a time.
//
// WorkloadRegistry: the workloads by name, each with the seed it models and,
// for a known-bad variant (a negative case), the check it must fail. It is a
// plain object the caller builds (MakeWorkloadRegistry()), not a global.
#ifndef REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_H_
#define REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "scenarios/workloads/workload_record.h"

namespace rehearse {

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string name() const = 0;
  virtual Status Play(Database* db, const std::string& now, WorkloadRecord* record) = 0;
};

struct WorkloadEntry {
  std::string name;
  std::string seed;         // "000".."003": the change of shared/seeds/ it plays
  std::string description;  // one sentence
  // Known-bad variants only: the check (verifiers/workload_checks.h name) a record of
  // this workload must fail. Empty for the faithful workloads.
  std::string must_fail;
  // The instant to play at when the caller has no reason to choose another;
  // empty means the harness clock (MigratorOptions::now). The cron tick plays
  // on the first weekday afternoon after it, because the harness clock is a
  // Sunday and nearly every workspace is closed then.
  std::string clock;
  std::function<std::unique_ptr<Workload>()> make;
};

class WorkloadRegistry {
 public:
  // kInvalidInput when the name is empty or already registered.
  Status Register(WorkloadEntry entry);

  // The entry named `name`, or null.
  const WorkloadEntry* Find(const std::string& name) const;

  // A new instance of the workload named `name`; kNotFound naming the known
  // workloads when there is none.
  Status Make(const std::string& name, std::unique_ptr<Workload>* out) const;

  // Every entry, by name.
  std::vector<const WorkloadEntry*> Entries() const;

 private:
  std::map<std::string, WorkloadEntry> entries_;
};

// Every workload of this folder, faithful and known-bad, into *out; the
// registry's kInvalidInput if two share a name.
Status MakeWorkloadRegistry(WorkloadRegistry* out);

// The shared half of Play: checks `now` and that `db` is outside a
// transaction, resets *record and fills its header (kind, workload, dialect,
// now), opens a transaction, runs `act` with now in microseconds and rolls
// back whatever `act` returned. Returns act's failure first, else the
// rollback's.
Status PlayAndRollBack(Database* db, WorkloadKind kind, const std::string& workload,
                       const std::string& now, WorkloadRecord* record,
                       const std::function<Status(int64_t now)>& act);

}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_H_
