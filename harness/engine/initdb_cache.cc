#include "harness/engine/initdb_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "harness/engine/directory_tree.h"
#include "harness/engine/subprocess.h"

namespace rehearse {
namespace {

constexpr std::chrono::milliseconds kInitdbTimeout{120000};

std::vector<std::string> InitdbArguments() {
  return {"--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
          std::string("--username=") + kSuperuser};
}

// A hash that is the same in every build and on every machine (std::hash is not).
uint64_t Fnv1a(const std::string& text) {
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string EntryName(const PostgresInstallation& installation) {
  std::string key = installation.bindir + "\n" + installation.version;
  for (const std::string& argument : InitdbArguments()) key += "\n" + argument;
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(Fnv1a(key)));
  return "pg" + installation.version + "-" + hex;
}

// The cache is the harness's own: a failure there is the machine's (exit 3).
Status IoFailure(const std::string& what, const std::string& path) {
  return Status::Infrastructure(what + " " + path + ": " + std::strerror(errno));
}

Status EnsureCacheDir(const std::string& cache_dir) {
  if (mkdir(cache_dir.c_str(), 0711) < 0 && errno != EEXIST) {
    return IoFailure("cannot create cache directory", cache_dir);
  }
  struct stat st;
  if (lstat(cache_dir.c_str(), &st) < 0) return IoFailure("cannot stat", cache_dir);
  if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
    return Status::Infrastructure("initdb cache " + cache_dir +
                                  " must be a directory owned by this user and writable by it "
                                  "alone; remove it or set REHEARSE_CACHE_DIR");
  }
  // The server user builds entries inside it, so it must be able to enter.
  if ((st.st_mode & 0011) != 0011 && chmod(cache_dir.c_str(), (st.st_mode & 07777) | 0011) < 0) {
    return IoFailure("cannot chmod", cache_dir);
  }
  return Status::OK();
}

bool IsCompleteEntry(const std::string& entry) {
  return access((entry + "/PG_VERSION").c_str(), F_OK) == 0;
}

// Leftovers of a builder that died; only called with the entry's lock held.
void RemoveAbandonedBuilds(const std::string& cache_dir, const std::string& entry_name) {
  const std::string prefix = "building-" + entry_name + "-";
  std::vector<std::string> stale;
  if (DIR* dir = opendir(cache_dir.c_str())) {
    while (dirent* item = readdir(dir)) {
      if (std::strncmp(item->d_name, prefix.c_str(), prefix.size()) == 0) {
        stale.push_back(cache_dir + "/" + item->d_name);
      }
    }
    closedir(dir);
  }
  for (const std::string& path : stale) RemoveDirectoryTree(path);
}

Status BuildEntry(const PostgresInstallation& installation, const ServerUser& user,
                  const std::string& cache_dir, const std::string& entry_name) {
  const std::string building =
      cache_dir + "/building-" + entry_name + "-" + std::to_string(getpid());
  if (mkdir(building.c_str(), 0700) < 0) return IoFailure("cannot create", building);
  if (user.is_other_user && chown(building.c_str(), user.uid, user.gid) < 0) {
    Status failed = IoFailure("cannot chown", building);
    rmdir(building.c_str());
    return failed;
  }
  const std::string data_dir = building + "/data";
  Status built = RunInitdb(installation, user, data_dir);
  // The cache belongs to us, not to the server user: a server can then
  // never alter the template every later cluster is copied from.
  if (built.ok() && user.is_other_user) {
    built = ChangeTreeOwner(data_dir, TreeOwner{geteuid(), getegid()});
  }
  // Every boot then copies only the non-zero blocks.
  if (built.ok()) built = PunchHolesInZeroBlocks(data_dir);
  const std::string entry = cache_dir + "/" + entry_name;
  if (built.ok() && rename(data_dir.c_str(), entry.c_str()) < 0) {
    built = IoFailure("cannot rename " + data_dir + " to", entry);
  }
  RemoveDirectoryTree(building);
  return built;
}

}  // namespace

std::string DefaultInitdbCacheDir() {
  const char* configured = std::getenv("REHEARSE_CACHE_DIR");
  if (configured != nullptr && configured[0] != '\0') return configured;
  if (geteuid() == 0) return "/var/tmp/rehearse-cache";
  return "/var/tmp/rehearse-cache-" + std::to_string(geteuid());
}

Status RunInitdb(const PostgresInstallation& installation, const ServerUser& user,
                 const std::string& data_dir) {
  SubprocessOptions options;
  options.argv = {installation.Program("initdb"), "-D", data_dir};
  for (const std::string& argument : InitdbArguments()) options.argv.push_back(argument);
  // TZ makes initdb write timezone = 'UTC' whatever this machine's zone is.
  options.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"};
  options.working_dir = data_dir.substr(0, data_dir.find_last_of('/'));
  if (user.is_other_user) {
    options.uid = user.uid;
    options.gid = user.gid;
  }
  options.parent_death_signal = SIGKILL;
  options.new_process_group = true;
  options.stdout_target = OutputTarget::Capture();
  options.stderr_target = OutputTarget::Capture();
  options.timeout = kInitdbTimeout;
  SubprocessResult result;
  Status ran = RunToCompletion(options, &result);
  if (!ran.ok()) return ran.Prepend("initdb");
  if (!result.succeeded()) {
    return Status::Infrastructure("initdb -D " + data_dir + " " + result.Describe() + ":\n" +
                                  result.stderr_text + result.stdout_text);
  }
  return Status::OK();
}

Status FindOrBuildCachedDataDir(const PostgresInstallation& installation, const ServerUser& user,
                                const std::string& cache_dir, std::string* entry) {
  const std::string name = EntryName(installation);
  const std::string path = cache_dir + "/" + name;
  // Checked on every use, not only when building: an entry someone else
  // could have planted would run their configuration as the server user.
  REHEARSE_RETURN_IF_ERROR(EnsureCacheDir(cache_dir));
  if (IsCompleteEntry(path)) {
    *entry = path;
    return Status::OK();
  }
  REHEARSE_RETURN_IF_ERROR(user.CheckCanReach(cache_dir));
  const std::string lock_path = path + ".lock";
  int lock = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) return IoFailure("cannot open", lock_path);
  int locked;
  do {
    locked = flock(lock, LOCK_EX);
  } while (locked < 0 && errno == EINTR);
  Status status;
  if (locked < 0) {
    status = IoFailure("cannot lock", lock_path);
  } else if (!IsCompleteEntry(path)) {  // someone else may have built it while we waited
    RemoveAbandonedBuilds(cache_dir, name);
    RemoveDirectoryTree(path);  // an incomplete entry cannot come from us; clear the way
    status = BuildEntry(installation, user, cache_dir, name);
  }
  close(lock);  // releases the lock
  if (status.ok()) *entry = path;
  return status;
}

}  // namespace rehearse
