#include "harness/common/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rehearse {

namespace {

Status Refuse(const std::string& path, const std::string& why) {
  return Status::InvalidInput(why).At(path, 0);
}

std::string KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

Status ReadInputFile(const std::string& path, std::string* out, uint64_t max_bytes) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return Refuse(path, std::string("cannot read: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Refuse(path, "not a regular file: " + KindOf(st.st_mode));
  const std::string limit = "larger than the " + std::to_string(max_bytes) + "-byte input limit";
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return Refuse(path, limit);
  // O_NONBLOCK: a file swapped for a FIFO after the stat must not hang the open.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return Refuse(path, std::string("cannot read: ") + std::strerror(errno));
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Refuse(path, "not a regular file");
  }
  std::string text;
  text.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Refuse(path, std::string("cannot read: ") + std::strerror(err));
    }
    if (n == 0) break;
    if (text.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return Refuse(path, limit);
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  *out = std::move(text);
  return Status::OK();
}

}  // namespace rehearse
