// ReplacementFile: writes a file that appears at its path complete or not at
// all, and that leaves nothing behind when the process dies before it is
// committed — not even after SIGKILL, which no handler sees: the content goes
// into an unnamed file (O_TMPFILE) in the target's folder, which the kernel
// frees with the last descriptor, and is given its name only by Commit
// (linked under a temporary name, then renamed over the target, so a reader
// never sees it half-written).
//
// A file system without O_TMPFILE gets a named temporary file next to the
// target instead (`<path>.tmp-<pid>`), removed by the destructor when not
// committed; only a death before that leaves it.
#ifndef REHEARSE_COMMON_REPLACEMENT_FILE_H_
#define REHEARSE_COMMON_REPLACEMENT_FILE_H_

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

  // Starts a file that will replace `path` (which need not exist). kIoError
  // naming the folder when a file cannot be made there. `path` must not be
  // open already in this object.
  Status Open(const std::string& path);

  // Appends `bytes`. kIoError naming the path on a failed write.
  Status Write(std::string_view bytes);

  // Gives the content its name, replacing any file at the path. kIoError
  // naming the path when that fails (the content is then forgotten).
  Status Commit();

 private:
  Status Fail(const std::string& what);
  void Discard();

  std::string path_;
  std::string named_temp_;  // the fallback's temporary file; "" with O_TMPFILE
  int fd_ = -1;
};

}  // namespace rehearse

#endif  // REHEARSE_COMMON_REPLACEMENT_FILE_H_
