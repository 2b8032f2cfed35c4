#include "harness/common/replacement_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/common/output_path.h"

namespace rehearse {

namespace {

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string TemporaryName(const std::string& path) {
  return path + ".tmp-" + std::to_string(getpid());
}

}  // namespace

ReplacementFile::~ReplacementFile() { Discard(); }

void ReplacementFile::Discard() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  if (!named_temp_.empty()) unlink(named_temp_.c_str());
  named_temp_.clear();
}

Status ReplacementFile::Fail(const char* what) {
  Status s = Status::IoError(std::string(what) + ": " + std::strerror(errno)).At(path_, 0);
  Discard();
  return s;
}

Status ReplacementFile::Open(const std::string& path, mode_t mode) {
  Discard();
  path_ = path;
  fd_ = open(DirectoryOf(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
  if (fd_ >= 0) return Status::OK();
  // EISDIR / EOPNOTSUPP: the kernel or the file system has no O_TMPFILE.
  if (errno != EISDIR && errno != EOPNOTSUPP) return Fail("cannot make a file beside it");
  named_temp_ = TemporaryName(path);
  fd_ = open(named_temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd_ < 0) {
    named_temp_.clear();
    return Fail("cannot make a file beside it");
  }
  return Status::OK();
}

Status ReplacementFile::Write(std::string_view bytes) {
  if (fd_ < 0) return Status::IoError("not open for writing").At(path_, 0);
  while (!bytes.empty()) {
    const ssize_t n = write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fail("cannot write");
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status ReplacementFile::Finish(bool replace) {
  if (fd_ < 0) return Status::IoError("not open for writing").At(path_, 0);
  if (fsync(fd_) < 0) return Fail("cannot fsync");
  const std::string unnamed = "/proc/self/fd/" + std::to_string(fd_);
  if (!replace) {
    const bool linked = named_temp_.empty() ? linkat(AT_FDCWD, unnamed.c_str(), AT_FDCWD,
                                                     path_.c_str(), AT_SYMLINK_FOLLOW) == 0
                                            : link(named_temp_.c_str(), path_.c_str()) == 0;
    if (!linked && errno == EEXIST) {
      Discard();
      return Status::InvalidInput("already exists; refusing to overwrite it").At(path_, 0);
    }
    if (!linked) return Fail("cannot link into place");
  } else {
    // rename() would replace a symlink, a FIFO or a device node itself (as
    // root, /dev/full): only a regular file is ever replaced.
    if (const std::string kind = NonRegularKindAt(path_); !kind.empty()) {
      Discard();
      return Status::InvalidInput("is " + kind + "; refusing to replace it with a file")
          .At(path_, 0);
    }
    if (named_temp_.empty()) {
      named_temp_ = TemporaryName(path_);
      unlink(named_temp_.c_str());
      if (linkat(AT_FDCWD, unnamed.c_str(), AT_FDCWD, named_temp_.c_str(), AT_SYMLINK_FOLLOW) < 0) {
        named_temp_.clear();
        return Fail("cannot name it");
      }
    }
    if (rename(named_temp_.c_str(), path_.c_str()) < 0) return Fail("cannot rename into place");
    named_temp_.clear();  // it is the target now
  }
  Discard();  // also unlinks the fallback's name after a link
  // The move is only durable once the directory entry is on disk.
  const int dir = open(DirectoryOf(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    const int rc = fsync(dir);
    const int err = errno;
    close(dir);
    if (rc < 0)
      return Status::IoError(std::string("cannot fsync its directory: ") + std::strerror(err))
          .At(path_, 0);
  }
  return Status::OK();
}

Status WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode) {
  ReplacementFile file;
  REHEARSE_RETURN_IF_ERROR(file.Open(path, mode));
  REHEARSE_RETURN_IF_ERROR(file.Write(contents));
  return file.Commit();
}

Status WriteNewFileAtomically(const std::string& path, std::string_view contents, mode_t mode) {
  ReplacementFile file;
  REHEARSE_RETURN_IF_ERROR(file.Open(path, mode));
  REHEARSE_RETURN_IF_ERROR(file.Write(contents));
  return file.CommitNew();
}

}  // namespace rehearse
