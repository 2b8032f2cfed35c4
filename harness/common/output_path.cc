#include "harness/common/output_path.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "harness/common/replacement_file.h"

namespace rehearse {

std::string NonRegularKindAt(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return "";
  if (S_ISREG(st.st_mode)) return "";
  if (S_ISLNK(st.st_mode)) return "a symlink";
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (S_ISFIFO(st.st_mode)) return "a FIFO";
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  return "not a regular file";
}

Status CheckOutputPath(const std::string& flag, const std::string& path) {
  if (path.empty()) return Status::InvalidInput(flag + ": empty file name");
  if (path.back() == '/') return Status::InvalidInput(flag + ": " + path + " names a folder");
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 && errno != ENOENT) {
    return Status::InvalidInput(flag + ": cannot inspect " + path + ": " + std::strerror(errno));
  }
  if (const std::string kind = NonRegularKindAt(path); !kind.empty()) {
    return Status::InvalidInput(flag + ": " + path + " is " + kind +
                                "; Rehearse writes only a new file or replaces a regular one");
  }
  ReplacementFile probe;  // never committed: leaves nothing
  Status s = probe.Open(path);
  if (!s.ok()) {
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    return Status::InvalidInput(flag + ": cannot write into " + dir + " (" + s.message() + ")");
  }
  return Status::OK();
}

}  // namespace rehearse
