#include "harness/common/replacement_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rehearse {

ReplacementFile::~ReplacementFile() { Discard(); }

void ReplacementFile::Discard() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  if (!named_temp_.empty()) unlink(named_temp_.c_str());
  named_temp_.clear();
}

Status ReplacementFile::Fail(const std::string& what) {
  Status s = Status::IoError(what + " " + path_ + ": " + std::strerror(errno));
  Discard();
  return s;
}

Status ReplacementFile::Open(const std::string& path) {
  Discard();
  path_ = path;
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  fd_ = open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd_ >= 0) return Status::OK();
  // EISDIR / EOPNOTSUPP: the kernel or the file system has no O_TMPFILE.
  if (errno != EISDIR && errno != EOPNOTSUPP) {
    return Status::IoError("cannot make a file in " + dir + ": " + std::strerror(errno));
  }
  named_temp_ = path + ".tmp-" + std::to_string(getpid());
  fd_ = open(named_temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    named_temp_.clear();
    return Status::IoError("cannot make a file in " + dir + ": " + std::strerror(errno));
  }
  return Status::OK();
}

Status ReplacementFile::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fail("cannot write");
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status ReplacementFile::Commit() {
  if (fd_ < 0) return Status::IoError("no file open for " + path_);
  if (named_temp_.empty()) {
    // An unnamed file can only be linked to a name that does not exist, so
    // it gets a temporary one for the instant before the rename.
    named_temp_ = path_ + ".tmp-" + std::to_string(getpid());
    unlink(named_temp_.c_str());
    const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
    if (linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, named_temp_.c_str(), AT_SYMLINK_FOLLOW) < 0) {
      named_temp_.clear();
      return Fail("cannot name");
    }
  }
  if (rename(named_temp_.c_str(), path_.c_str()) < 0) return Fail("cannot rename over");
  named_temp_.clear();  // it is the target now
  Discard();
  return Status::OK();
}

}  // namespace rehearse
