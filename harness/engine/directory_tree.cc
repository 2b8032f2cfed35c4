#include "harness/engine/directory_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace rehearse {
namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// The trees are the harness's own (data directories in the run directory, the
// initdb cache): a failure is the machine's (a full disk), exit 3, not input.
Status Failure(const char* what, const std::string& path) {
  return Status::Infrastructure(std::string(what) + " " + path + ": " + std::strerror(errno));
}

// Names in the directory `dir_fd` (without "." and ".."), read before the
// caller changes the directory, so that removing entries cannot upset readdir.
Status ListDirectory(int dir_fd, const std::string& path, std::vector<std::string>* names) {
  int fd = dup(dir_fd);
  if (fd < 0) return Failure("dup", path);
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    close(fd);
    return Failure("opendir", path);
  }
  rewinddir(dir);
  names->clear();
  errno = 0;
  while (dirent* entry = readdir(dir)) {
    if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
    names->emplace_back(entry->d_name);
  }
  int err = errno;
  closedir(dir);
  if (err != 0) {
    errno = err;
    return Failure("readdir", path);
  }
  return Status::OK();
}

// Copies `length` bytes at `offset` in the kernel where it can.
Status CopyRange(int from_fd, int to_fd, off_t offset, off_t length, const std::string& path) {
  off_t in = offset, out = offset;
  while (length > 0) {
    ssize_t n = copy_file_range(from_fd, &in, to_fd, &out, static_cast<size_t>(length), 0);
    if (n > 0) {
      length -= n;
      continue;
    }
    if (n == 0) return Status::OK();  // the source shrank under us
    if (errno == EINTR) continue;
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
      return Failure("copy_file_range", path);
    }
    // This file system pair cannot: read and write.
    char buffer[1 << 16];
    while (length > 0) {
      ssize_t got = pread(from_fd, buffer, std::min<off_t>(length, sizeof(buffer)), in);
      if (got == 0) return Status::OK();
      if (got < 0) {
        if (errno == EINTR) continue;
        return Failure("read", path);
      }
      for (ssize_t done = 0; done < got;) {
        ssize_t put = pwrite(to_fd, buffer + done, static_cast<size_t>(got - done), out);
        if (put < 0) {
          if (errno == EINTR) continue;
          return Failure("write", path);
        }
        done += put;
        out += put;
      }
      in += got;
      length -= got;
    }
  }
  return Status::OK();
}

// Copies the data extents of the source (holes are skipped, then restored
// by setting the size).
Status CopyFileContents(int from_fd, int to_fd, off_t size, const std::string& path) {
  off_t offset = 0;
  while (offset < size) {
    off_t data = lseek(from_fd, offset, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) break;  // only a hole is left
      // No SEEK_DATA on this file system: copy everything.
      REHEARSE_RETURN_IF_ERROR(CopyRange(from_fd, to_fd, offset, size - offset, path));
      break;
    }
    off_t hole = lseek(from_fd, data, SEEK_HOLE);
    if (hole < 0) hole = size;
    REHEARSE_RETURN_IF_ERROR(CopyRange(from_fd, to_fd, data, hole - data, path));
    offset = hole;
  }
  if (ftruncate(to_fd, size) < 0) return Failure("truncate", path);
  return Status::OK();
}

Status PunchHoles(int fd, const std::string& path) {
  constexpr size_t kBlock = 8192;
  static const char kZeros[kBlock] = {};
  char block[kBlock];
  for (off_t offset = 0;; offset += kBlock) {
    ssize_t n = pread(fd, block, kBlock, offset);
    if (n < 0) {
      if (errno == EINTR) {
        offset -= kBlock;
        continue;
      }
      return Failure("read", path);
    }
    if (n < static_cast<ssize_t>(kBlock)) return Status::OK();  // leave a short tail alone
    if (std::memcmp(block, kZeros, kBlock) == 0 &&
        fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, kBlock) < 0) {
      if (errno == EOPNOTSUPP) return Status::OK();  // no holes here; not needed for correctness
      return Failure("fallocate", path);
    }
  }
}

Status PunchHolesUnder(int dir_fd, const std::string& dir_path) {
  std::vector<std::string> names;
  REHEARSE_RETURN_IF_ERROR(ListDirectory(dir_fd, dir_path, &names));
  for (const std::string& name : names) {
    const std::string path = dir_path + "/" + name;
    struct stat st;
    if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) return Failure("stat", path);
    if (S_ISDIR(st.st_mode)) {
      ScopedFd sub(openat(dir_fd, name.c_str(), kDirFlags));
      if (sub.get() < 0) return Failure("open", path);
      REHEARSE_RETURN_IF_ERROR(PunchHolesUnder(sub.get(), path));
    } else if (S_ISREG(st.st_mode)) {
      ScopedFd file(openat(dir_fd, name.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC));
      if (file.get() < 0) return Failure("open", path);
      REHEARSE_RETURN_IF_ERROR(PunchHoles(file.get(), path));
    }
  }
  return Status::OK();
}

Status CopyEntries(int from_dir, int to_dir, const std::string& from_path,
                   const std::optional<TreeOwner>& owner) {
  std::vector<std::string> names;
  REHEARSE_RETURN_IF_ERROR(ListDirectory(from_dir, from_path, &names));
  for (const std::string& name : names) {
    const std::string path = from_path + "/" + name;
    struct stat st;
    if (fstatat(from_dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) return Failure("stat", path);
    const mode_t mode = st.st_mode & 07777;
    if (S_ISDIR(st.st_mode)) {
      if (mkdirat(to_dir, name.c_str(), 0700) < 0) return Failure("mkdir copy of", path);
      ScopedFd from_sub(openat(from_dir, name.c_str(), kDirFlags));
      ScopedFd to_sub(openat(to_dir, name.c_str(), kDirFlags));
      if (from_sub.get() < 0 || to_sub.get() < 0) return Failure("open", path);
      if (owner && fchown(to_sub.get(), owner->uid, owner->gid) < 0) return Failure("chown", path);
      REHEARSE_RETURN_IF_ERROR(CopyEntries(from_sub.get(), to_sub.get(), path, owner));
      if (fchmod(to_sub.get(), mode) < 0) return Failure("chmod", path);
    } else if (S_ISREG(st.st_mode)) {
      ScopedFd from_file(openat(from_dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      if (from_file.get() < 0) return Failure("open", path);
      ScopedFd to_file(
          openat(to_dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (to_file.get() < 0) return Failure("create copy of", path);
      if (owner && fchown(to_file.get(), owner->uid, owner->gid) < 0) {
        return Failure("chown", path);
      }
      REHEARSE_RETURN_IF_ERROR(CopyFileContents(from_file.get(), to_file.get(), st.st_size, path));
      if (fchmod(to_file.get(), mode) < 0) return Failure("chmod", path);
    } else if (S_ISLNK(st.st_mode)) {
      std::vector<char> target(static_cast<size_t>(st.st_size) + 1);
      ssize_t n = readlinkat(from_dir, name.c_str(), target.data(), target.size());
      if (n < 0) return Failure("readlink", path);
      target[static_cast<size_t>(n)] = '\0';
      if (symlinkat(target.data(), to_dir, name.c_str()) < 0) return Failure("symlink", path);
      if (owner &&
          fchownat(to_dir, name.c_str(), owner->uid, owner->gid, AT_SYMLINK_NOFOLLOW) < 0) {
        return Failure("chown", path);
      }
    }
  }
  return Status::OK();
}

Status ChownEntries(int dir_fd, const std::string& dir_path, const TreeOwner& owner) {
  std::vector<std::string> names;
  REHEARSE_RETURN_IF_ERROR(ListDirectory(dir_fd, dir_path, &names));
  for (const std::string& name : names) {
    const std::string path = dir_path + "/" + name;
    if (fchownat(dir_fd, name.c_str(), owner.uid, owner.gid, AT_SYMLINK_NOFOLLOW) < 0) {
      return Failure("chown", path);
    }
    ScopedFd sub(openat(dir_fd, name.c_str(), kDirFlags));
    if (sub.get() >= 0) {
      REHEARSE_RETURN_IF_ERROR(ChownEntries(sub.get(), path, owner));
    } else if (errno != ENOTDIR && errno != ELOOP) {
      return Failure("open", path);
    }
  }
  return Status::OK();
}

// Removes the entry `name` of the directory `parent_fd`.
Status RemoveEntry(int parent_fd, const std::string& name, const std::string& path) {
  if (unlinkat(parent_fd, name.c_str(), 0) == 0 || errno == ENOENT) return Status::OK();
  if (errno != EISDIR) return Failure("unlink", path);
  {
    ScopedFd dir(openat(parent_fd, name.c_str(), kDirFlags));
    if (dir.get() < 0) {
      if (errno == ENOENT) return Status::OK();
      return Failure("open", path);
    }
    std::vector<std::string> names;
    REHEARSE_RETURN_IF_ERROR(ListDirectory(dir.get(), path, &names));
    for (const std::string& child : names) {
      REHEARSE_RETURN_IF_ERROR(RemoveEntry(dir.get(), child, path + "/" + child));
    }
  }
  if (unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) {
    return Status::OK();
  }
  return Failure("rmdir", path);
}

void SplitParent(const std::string& path, std::string* parent, std::string* name) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) {
    *parent = ".";
    *name = path;
  } else {
    *parent = slash == 0 ? "/" : path.substr(0, slash);
    *name = path.substr(slash + 1);
  }
}

}  // namespace

Status CopyDirectoryTree(const std::string& from, const std::string& to,
                         const std::optional<TreeOwner>& owner) {
  ScopedFd from_dir(open(from.c_str(), kDirFlags));
  if (from_dir.get() < 0) return Failure("open", from);
  struct stat st;
  if (fstat(from_dir.get(), &st) < 0) return Failure("stat", from);
  if (mkdir(to.c_str(), 0700) < 0) return Failure("mkdir", to);
  ScopedFd to_dir(open(to.c_str(), kDirFlags));
  if (to_dir.get() < 0) return Failure("open", to);
  if (owner && fchown(to_dir.get(), owner->uid, owner->gid) < 0) return Failure("chown", to);
  REHEARSE_RETURN_IF_ERROR(CopyEntries(from_dir.get(), to_dir.get(), from, owner));
  if (fchmod(to_dir.get(), st.st_mode & 07777) < 0) return Failure("chmod", to);
  return Status::OK();
}

Status PunchHolesInZeroBlocks(const std::string& path) {
  ScopedFd dir(open(path.c_str(), kDirFlags));
  if (dir.get() < 0) return Failure("open", path);
  return PunchHolesUnder(dir.get(), path);
}

Status ChangeTreeOwner(const std::string& path, const TreeOwner& owner) {
  ScopedFd dir(open(path.c_str(), kDirFlags));
  if (dir.get() < 0) return Failure("open", path);
  if (fchown(dir.get(), owner.uid, owner.gid) < 0) return Failure("chown", path);
  return ChownEntries(dir.get(), path, owner);
}

Status RemoveDirectoryTree(const std::string& path) {
  std::string parent, name;
  SplitParent(path, &parent, &name);
  if (name.empty() || name == "." || name == "..") {
    return Status::InvalidInput("refusing to remove " + path);
  }
  ScopedFd parent_dir(open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (parent_dir.get() < 0) {
    if (errno == ENOENT) return Status::OK();
    return Failure("open", parent);
  }
  return RemoveEntry(parent_dir.get(), name, path);
}

}  // namespace rehearse
