#include "harness/cli/run_space.h"

#include <unistd.h>

#include "harness/engine/run_directory.h"

namespace rehearse {

namespace {

constexpr uint64_t kMiB = 1ull << 20;

// Measured on the domain fixture (the schema-driven filler's 100 rows per
// table per unit are smaller for every schema tried): one database at scale
// 1, on the larger engine (PostgreSQL, with its indexes).
constexpr uint64_t kBytesPerScale = 4 * kMiB;
// Databases of one worker alive at once, each a full copy: the template at
// N-1, the clone being rehearsed, the snapshot row archives of S0..S3.
constexpr uint64_t kCopiesPerWorker = 4;
// A booted cluster's data directory (the initdb copy and its WAL).
constexpr uint64_t kClusterBytes = 48 * kMiB;
// Everything else: SQLite scratch files, logs, the dry run's archives.
constexpr uint64_t kSlackBytes = 16 * kMiB;

uint64_t FixedBytes(const RunSpaceRequest& r) {
  const uint64_t workers = static_cast<uint64_t>(r.workers < 1 ? 1 : r.workers);
  return kSlackBytes + (r.postgres ? workers * kClusterBytes : 0);
}

uint64_t BytesPerScale(const RunSpaceRequest& r) {
  const uint64_t workers = static_cast<uint64_t>(r.workers < 1 ? 1 : r.workers);
  return workers * kCopiesPerWorker * kBytesPerScale;
}

std::string Mib(uint64_t bytes) { return std::to_string((bytes + kMiB - 1) / kMiB) + " MiB"; }

}  // namespace

uint64_t EstimateRunBytes(const RunSpaceRequest& r) {
  const uint64_t per = BytesPerScale(r);
  const uint64_t fixed = FixedBytes(r);
  if (r.scale > (UINT64_MAX - fixed) / per) return UINT64_MAX;
  return fixed + r.scale * per;
}

Status CheckRunSpace(const RunSpaceRequest& r) {
  const uint64_t needed = EstimateRunBytes(r);
  std::string base;
  uint64_t free_bytes = 0;
  REHEARSE_RETURN_IF_ERROR(RunDirectory::PlanBase(needed, &base, &free_bytes));
  if (needed <= free_bytes) return Status::OK();
  const uint64_t fixed = FixedBytes(r);
  if (free_bytes < fixed) {
    return Status::Infrastructure("the run directory's file system " + base + " has " +
                                  Mib(free_bytes) + " free, and even an empty run needs " +
                                  Mib(fixed) + "; free some space or set TMPDIR elsewhere");
  }
  const uint64_t fits = (free_bytes - fixed) / BytesPerScale(r);
  const std::string need = needed == UINT64_MAX ? "more than the machine has" : Mib(needed);
  return Status::InvalidInput(r.scale_flag + " " + std::to_string(r.scale) + " needs about " +
                              need + " in the run directory under " + base + ", which has " +
                              Mib(free_bytes) + " free: at most " + r.scale_flag + " " +
                              std::to_string(fits) +
                              " fits there (TMPDIR chooses another file system)");
}

}  // namespace rehearse
