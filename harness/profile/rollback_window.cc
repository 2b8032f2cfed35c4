#include "harness/profile/rollback_window.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rehearse {

namespace {

std::string Window(double seconds) {
  char buf[48];
  if (seconds >= 60 && static_cast<int64_t>(seconds) % 60 == 0)
    std::snprintf(buf, sizeof buf, "%g-minute", seconds / 60);
  else
    std::snprintf(buf, sizeof buf, "%g-second", seconds);
  return buf;
}

std::string Took(double seconds) {
  char buf[48];
  if (seconds >= 60)
    std::snprintf(buf, sizeof buf, "%.1f min", seconds / 60);
  else
    std::snprintf(buf, sizeof buf, "%.3g s", seconds);
  return buf;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : "; ") + s;
  return out;
}

}  // namespace

RollbackFit JudgeRollback(const RollbackRehearsal& r, const RollbackWindows& w) {
  if (!r.no_down.empty()) return RollbackFit::kNoDown;
  if (!r.failure.empty()) return RollbackFit::kFailed;
  if (!r.lost.empty()) return RollbackFit::kLostData;
  if (r.seconds <= w.immediate_s) return RollbackFit::kImmediate;
  if (r.seconds <= w.deadline_s) return RollbackFit::kDeadline;
  return RollbackFit::kMissed;
}

std::string DescribeRollback(const RollbackRehearsal& r, const RollbackWindows& w) {
  switch (JudgeRollback(r, w)) {
    case RollbackFit::kNoDown:
      return "no down: " + r.no_down;
    case RollbackFit::kFailed:
      return "failed: " + r.failure;
    case RollbackFit::kLostData:
      return "lost data: " + Joined(r.lost);
    case RollbackFit::kImmediate:
      return "fits the " + Window(w.immediate_s) + " immediate window (" + Took(r.seconds) + ")";
    case RollbackFit::kDeadline:
      return "missed the " + Window(w.immediate_s) + " immediate window, fits the " +
             Window(w.deadline_s) + " deadline (" + Took(r.seconds) + ")";
    case RollbackFit::kMissed:
      break;
  }
  return "missed the " + Window(w.deadline_s) + " deadline (" + Took(r.seconds) + ")";
}

bool NeedsRollbackLog(const RollbackRehearsal& r, const RollbackWindows& w) {
  return JudgeRollback(r, w) != RollbackFit::kImmediate && !r.declared_irreversible;
}

std::string RollbackLogEntry(const RollbackRehearsal& r, const RollbackWindows& w,
                             const std::string& when, const std::string& rerun) {
  const RollbackFit fit = JudgeRollback(r, w);
  const char* severity = fit == RollbackFit::kLostData   ? "Critical"
                         : fit == RollbackFit::kDeadline ? "Medium"
                                                         : "High";
  std::string impact, cause, prevention;
  const std::string at = " at " + std::to_string(r.rows) + " rows per table on " + r.backend;
  switch (fit) {
    case RollbackFit::kNoDown:
      impact = "- The database cannot be rolled back past " + r.from +
               "; code and schema stay "
               "forward only";
      cause = "The migration has no down: " + r.no_down;
      prevention = "Write a down for it and rehearse it, or plan a fix-forward for this release";
      break;
    case RollbackFit::kFailed:
      impact = "- The rollback stops at " + r.from +
               ": the database stays on the new schema "
               "while the code is rolled back";
      cause = "Its down failed" + at + ": " + r.failure;
      prevention = "Fix the down and rehearse it on production-sized data before release";
      break;
    case RollbackFit::kLostData:
      impact = "- Rows are gone after the rollback: " + Joined(r.lost);
      cause = "The down of " + r.from + " does not restore what its up changed" + at;
      prevention =
          "Make the down restore the rows (or keep them until the release is final); "
          "rehearse it with `rehearse gate`";
      break;
    default:
      impact = "- Writes wait on the rollback's locks for " + Took(r.seconds) + at;
      cause = "The down of " + r.from + " takes " + Took(r.seconds) + at + ", " +
              DescribeRollback(r, w);
      prevention =
          "Make the down cheaper (drop instead of rewrite, batches), or accept a "
          "fix-forward for this release";
      break;
  }
  return "## Rollback: " + when + "\n\n**Trigger:** rehearsed rollback of " + r.from + " on " +
         r.backend + " " + DescribeRollback(r, w) + "\n**Severity:** " + severity +
         "\n**Rollback From:** " + r.from + "\n**Rollback To:** " + r.to + "\n\n**Impact:**\n" +
         impact + "\n- Found by a rehearsal, before production: no user-facing impact yet\n\n" +
         "**Root Cause:**\n" + cause + (r.origin.empty() ? "" : " (" + r.origin + ")") +
         "\n\n**Prevention:**\n" + prevention + "\n\n**Retry ETA:**\nAfter the fix passes `" +
         rerun + "`\n\n";
}

Status AppendRollbackLog(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(),
                        O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
  if (fd < 0)
    return Status::IoError("--rollback-log: cannot open " + path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::IoError("--rollback-log: " + path + " is not a regular file");
  }
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      return Status::IoError("--rollback-log: cannot write " + path + ": " + std::strerror(e));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return Status::IoError("--rollback-log: cannot write " + path);
  return Status::OK();
}

}  // namespace rehearse
