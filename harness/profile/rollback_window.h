// Rollback windows in seed 004's terms. Its decision matrix gives a database
// rollback an immediate window ("Step 1: Immediate Rollback (5 minutes)") and
// a deadline ("Database errors | High | < 30 min | Rollback DB + code"). A
// profiled down at production size either fits the first, only the second,
// or neither; or it failed, or it lost rows the up left alone; or there is no
// down at all.
//
// For each rollback that failed, lost data or missed the immediate window,
// RollbackLogEntry writes one entry in the seed's ROLLBACK_LOG format
// (Trigger, Severity, Rollback From/To, Impact, Root Cause, Prevention, Retry
// ETA). Severity follows the matrix: a down that misses the immediate window
// but fits the deadline is Medium ("Performance degraded"); one that fails or
// misses the deadline is High ("Database errors"); one that loses data is
// Critical.
#ifndef REHEARSE_PROFILE_ROLLBACK_WINDOW_H_
#define REHEARSE_PROFILE_ROLLBACK_WINDOW_H_

#include <string>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

struct RollbackWindows {
  double immediate_s = 300;  // --rollback-window (5 minutes)
  double deadline_s = 1800;  // --rollback-deadline (30 minutes)
};

struct RollbackRehearsal {
  std::string backend;
  std::string from;     // the migration rolled back ("0005_add_index")
  std::string to;       // the one before it, or "(empty database)"
  int64_t rows = 0;     // rows per table it was rehearsed at (--rows)
  double seconds = -1;  // the down's time (median of repeats); < 0 when it did not run
  std::string failure;  // the down failed: why
  std::string no_down;  // there is no down: why
  bool declared_irreversible = false;  // the team said so (--irreversible): not logged
  std::vector<std::string> lost;       // "comments: 100,000 rows before up, 0 after down"
  std::string origin;                  // where the migration is, for the report
};

enum class RollbackFit { kImmediate, kDeadline, kMissed, kFailed, kLostData, kNoDown };

RollbackFit JudgeRollback(const RollbackRehearsal& r, const RollbackWindows& w);
// "fits the 5-minute immediate window (0.412 s)", "missed the 30-minute
// deadline (41.0 min)", "failed: …", "lost data: …", "no down: …".
std::string DescribeRollback(const RollbackRehearsal& r, const RollbackWindows& w);
// Whether it goes to the ROLLBACK_LOG (failed, lost data, missed the
// immediate window, or no down that was not declared irreversible).
bool NeedsRollbackLog(const RollbackRehearsal& r, const RollbackWindows& w);
// One Markdown entry; `when` is the time of the run ("2026-12-07 14:03 UTC").
std::string RollbackLogEntry(const RollbackRehearsal& r, const RollbackWindows& w,
                             const std::string& when, const std::string& rerun);
// Appends `text` to `path` (created when missing; must be a regular file,
// never followed through a symlink: output_path.h's rules).
Status AppendRollbackLog(const std::string& path, const std::string& text);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_ROLLBACK_WINDOW_H_
