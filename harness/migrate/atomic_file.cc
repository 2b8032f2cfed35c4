#include "harness/migrate/atomic_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rehearse {

namespace {

Status Failure(const std::string& path, const char* what, int err) {
  return Status::IoError(std::string(what) + ": " + std::strerror(err)).At(path, 0);
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Writes `contents` to a new temporary file beside `path` and moves it into
// place with `replace` (rename) or without (link, then unlink the temporary).
Status WriteInPlace(const std::string& path, std::string_view contents, bool replace) {
  std::string temp = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(temp.data());  // 0600: artifacts hold production values
  if (fd < 0) return Failure(path, "cannot create a temporary file beside it", errno);
  auto fail = [&](const char* what) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    return Failure(path, what, err);
  };
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write");
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) < 0) return fail("cannot fsync");
  if (::close(fd) < 0) {
    fd = -1;
    return fail("cannot close");
  }
  fd = -1;
  if (replace) {
    if (::rename(temp.c_str(), path.c_str()) < 0) return fail("cannot rename into place");
  } else {
    if (::link(temp.c_str(), path.c_str()) < 0) {
      if (errno != EEXIST) return fail("cannot link into place");
      ::unlink(temp.c_str());
      return Status::InvalidInput("already exists; refusing to overwrite it").At(path, 0);
    }
    ::unlink(temp.c_str());
  }
  // The move is only durable once the directory entry is on disk.
  int dir = ::open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    int rc = ::fsync(dir);
    int err = errno;
    ::close(dir);
    if (rc < 0) return Failure(path, "cannot fsync its directory", err);
  }
  return Status::OK();
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  return WriteInPlace(path, contents, true);
}

Status WriteNewFileAtomically(const std::string& path, std::string_view contents) {
  return WriteInPlace(path, contents, false);
}

}  // namespace rehearse
