// Writing files so that a reader sees either nothing (or the old contents)
// or all of the new, never a prefix, and so that nothing is left behind
// when the process dies before it is done — not even after SIGKILL, which
// no handler sees.
//
// How: the content goes into an unnamed file (O_TMPFILE) in the target's
// folder, which the kernel frees with the last descriptor. Commit fsyncs it,
// gives it a temporary name for an instant (an unnamed file can only be
// linked to a name that does not exist), renames that over the target, and
// fsyncs the folder so the move itself is durable. CommitNew links it to the
// target instead, which the kernel refuses when the target exists: it never
// replaces a file, even one created a moment before by another process (what
// a check-then-rename could not promise). A file system without O_TMPFILE
// gets a named temporary file beside the target (`<path>.tmp-<pid>`),
// removed unless committed; only a death before that leaves it.
//
// Contract: OK, or kIoError naming the path and the system's reason; on any
// failure the target is unchanged and the content forgotten. CommitNew
// returns kInvalidInput, naming the path, when it already exists; Commit
// returns kInvalidInput when the path is anything but a regular file (a
// symlink, FIFO, device or directory is never replaced).
#ifndef REHEARSE_COMMON_REPLACEMENT_FILE_H_
#define REHEARSE_COMMON_REPLACEMENT_FILE_H_

#include <sys/types.h>

#include <string>
#include <string_view>

#include "harness/common/status.h"

namespace rehearse {

class ReplacementFile {
 public:
  ReplacementFile() = default;
  // Closes, and forgets the content unless committed.
  ~ReplacementFile();
  ReplacementFile(const ReplacementFile&) = delete;
  ReplacementFile& operator=(const ReplacementFile&) = delete;

  // Starts a file for `path` (which need not exist), with permissions `mode`
  // (less the umask). Forgets any file this object had open.
  Status Open(const std::string& path, mode_t mode = 0644);

  // Appends `bytes`.
  Status Write(std::string_view bytes);

  // Puts the content at the path, replacing any file there.
  Status Commit() { return Finish(true); }
  // Puts the content at the path only if nothing is there.
  Status CommitNew() { return Finish(false); }

 private:
  Status Finish(bool replace);
  Status Fail(const char* what);
  void Discard();

  std::string path_;
  std::string named_temp_;  // the fallback's temporary file; "" with O_TMPFILE
  int fd_ = -1;
};

// Whole-file forms. Rollback artifacts are written 0600: they hold
// production values.
Status WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode = 0600);
Status WriteNewFileAtomically(const std::string& path, std::string_view contents,
                              mode_t mode = 0600);

}  // namespace rehearse

#endif  // REHEARSE_COMMON_REPLACEMENT_FILE_H_
