#include "harness/engine/run_directory.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "harness/engine/directory_tree.h"
#include "harness/engine/fork_exec.h"
#include "harness/engine/process_status.h"
#include "harness/engine/subprocess.h"

namespace rehearse {
namespace {

constexpr std::chrono::milliseconds kOrphanGrace{5000};

// $1 is the run directory; stdin is the pipe. Only builtins in the loops, so
// that the watchdog costs nothing while it waits.
constexpr const char* kWatchdogScript = R"sh(
trap '' INT TERM HUP QUIT PIPE
while read -r _; do :; done
running() {
  { read -r s < "/proc/$1/stat"; } 2>/dev/null || return 1
  case "$s" in *") Z "*|*") X "*) return 1 ;; esac
}
pids=
for f in "$1"/*/data/postmaster.pid; do
  [ -f "$f" ] || continue
  { read -r pid < "$f"; } 2>/dev/null || continue
  { read -r comm < "/proc/$pid/comm"; } 2>/dev/null || continue
  [ "$comm" = postgres ] && [ "/proc/$pid/cwd" -ef "${f%/postmaster.pid}" ] || continue
  kill -QUIT "$pid" 2>/dev/null && pids="$pids $pid"
done
n=0
while [ -n "$pids" ] && [ $n -lt 500 ]; do
  alive=
  for p in $pids; do running "$p" && alive="$alive $p"; done
  pids=$alive
  n=$((n + 1))
  [ $n -eq 250 ] && for p in $pids; do kill -KILL "$p" 2>/dev/null; done
  [ -n "$pids" ] && sleep 0.02
done
rm -rf "$1"
)sh";

std::mutex g_mu;                     // guards g_instance and g_planned_base
RunDirectory* g_instance = nullptr;  // this process's, or null before first use
std::string g_planned_base;          // PlanBase()'s choice; "" = DefaultBase()

// $TMPDIR if set, else /dev/shm if writable, else /tmp.
std::string DefaultBase() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string base = tmpdir != nullptr && tmpdir[0] != '\0' ? tmpdir
                     : access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm"
                                                            : "/tmp";
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  return base;
}

// Bytes free for this user at `dir`, or false when it cannot be told.
bool FreeBytes(const std::string& dir, uint64_t* free_bytes) {
  struct statvfs fs;
  if (statvfs(dir.c_str(), &fs) != 0) return false;
  *free_bytes = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  return true;
}

// Registered servers, read by the signal handler: only lock-free atomics.
std::atomic<pid_t> g_servers[RunDirectory::kMaxServers];
std::atomic<pid_t> g_servers_owner{0};  // the process the entries belong to

static_assert(std::atomic<pid_t>::is_always_lock_free);

void OnTerminatingSignal(int sig) {
  int saved_errno = errno;
  RunDirectory::StopRegisteredServers();
  // SA_RESETHAND restored the default action: the re-raised signal, delivered
  // once this handler returns, ends the process as it would have without us.
  raise(sig);
  errno = saved_errno;
}

void InstallSignalHandlers() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current;
    if (sigaction(sig, nullptr, &current) < 0 || current.sa_handler != SIG_DFL) continue;
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = OnTerminatingSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(sig, &action, nullptr);
  }
}

void RemoveRunDirectoryAtExit() {
  // try_lock: exit must not hang on a thread that was mid-Get().
  std::unique_lock<std::mutex> lock(g_mu, std::try_to_lock);
  // rmdir fails, harmlessly, if something is still inside: the watchdog
  // removes it once this process is gone.
  if (lock.owns_lock() && g_instance != nullptr) rmdir(g_instance->path().c_str());
}

void LockForFork() { g_mu.lock(); }
void UnlockInParent() { g_mu.unlock(); }

Status EnsureRoot(const std::string& root) {
  if (mkdir(root.c_str(), 0711) < 0 && errno != EEXIST) {
    return Status::Infrastructure("cannot create " + root + ": " + std::strerror(errno));
  }
  struct stat st;
  if (lstat(root.c_str(), &st) < 0) {
    return Status::Infrastructure("cannot stat " + root + ": " + std::strerror(errno));
  }
  // Another user who could write here could plant links or fake run dirs.
  if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
    return Status::Infrastructure(root +
                                  " is not a directory owned by this user and writable by it "
                                  "alone; remove it or set TMPDIR elsewhere");
  }
  if ((st.st_mode & 07777) != 0711 && chmod(root.c_str(), 0711) < 0) {
    return Status::Infrastructure("cannot chmod " + root + ": " + std::strerror(errno));
  }
  return Status::OK();
}

// Parses "run-<pid>-<start time>".
bool ParseRunName(const char* name, pid_t* pid, uint64_t* start_time) {
  std::string_view rest(name);
  if (!rest.starts_with("run-")) return false;
  rest.remove_prefix(4);
  size_t dash = rest.find('-');
  if (dash == std::string_view::npos) return false;
  auto [pid_end, pid_error] = std::from_chars(rest.data(), rest.data() + dash, *pid);
  auto [time_end, time_error] =
      std::from_chars(rest.data() + dash + 1, rest.data() + rest.size(), *start_time);
  return pid_error == std::errc() && pid_end == rest.data() + dash && time_error == std::errc() &&
         time_end == rest.data() + rest.size() && *pid > 0;
}

std::vector<std::string> ListSubdirectories(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (dirent* entry = readdir(d)) {
    if (entry->d_name[0] != '.') names.emplace_back(entry->d_name);
  }
  closedir(d);
  return names;
}

}  // namespace

Status RunDirectory::PlanBase(uint64_t bytes, std::string* base, uint64_t* free_bytes) {
  std::lock_guard<std::mutex> lock(g_mu);
  std::string chosen = g_instance != nullptr
                           ? g_instance->root_.substr(0, g_instance->root_.rfind("/rehearse-"))
                           : DefaultBase();
  uint64_t room = 0;
  const bool known = FreeBytes(chosen, &room);
  const char* tmpdir = std::getenv("TMPDIR");
  const bool chosen_by_user = tmpdir != nullptr && tmpdir[0] != '\0';
  // /dev/shm is RAM: a run that does not fit there goes to disk.
  if (g_instance == nullptr && !chosen_by_user && (!known || room < bytes)) {
    uint64_t disk = 0;
    if (FreeBytes(kDiskBase, &disk) && disk > room) {
      chosen = kDiskBase;
      room = disk;
    }
  }
  if (!FreeBytes(chosen, &room)) {
    return Status::Infrastructure("cannot tell the free space of the run directory's base " +
                                  chosen + ": " + std::strerror(errno));
  }
  if (g_instance == nullptr) g_planned_base = chosen;
  *base = chosen;
  *free_bytes = room;
  return Status::OK();
}

Status RunDirectory::RoomForCopy(const std::string& dir, uint64_t free_bytes, uint64_t bytes,
                                 const std::string& what) {
  const uint64_t needed =
      bytes > (UINT64_MAX - kCopySlackBytes) / 2 ? UINT64_MAX : 2 * bytes + kCopySlackBytes;
  if (free_bytes >= needed) return Status::OK();
  auto mib = [](uint64_t b) { return std::to_string((b + (1 << 20) - 1) >> 20) + " MiB"; };
  return Status::Infrastructure(
      "the run directory's file system at " + dir + " has " + mib(free_bytes) + " free, and " +
      what + " (" + mib(bytes) + ") needs about " + mib(needed) +
      " for its copy and the snapshots taken of it; stopped before the copy, so no migration is "
      "blamed for a full disk. Set TMPDIR to a larger file system or lower --scale");
}

Status RunDirectory::CheckRoomForCopy(const std::string& dir, uint64_t bytes,
                                      const std::string& what) {
  uint64_t free_bytes = 0;
  if (!FreeBytes(dir, &free_bytes)) {
    return Status::Infrastructure("cannot tell the free space at " + dir + ": " +
                                  std::strerror(errno));
  }
  return RoomForCopy(dir, free_bytes, bytes, what);
}

Status RunDirectory::Get(RunDirectory** out) {
  // Get() holds g_mu while it forks the watchdog: g_mu must come before the
  // fork lock in fork() too (see fork_exec.h).
  static const int registered = [] {
    const int err = RegisterForkExecAtforkHandlers();
    return err != 0 ? err : pthread_atfork(LockForFork, UnlockInParent, CloseInheritedAfterFork);
  }();
  if (registered != 0)
    return Status::Infrastructure(std::string("pthread_atfork: ") + std::strerror(registered));
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_instance == nullptr) {
    // Without it a normal exit would leave the run directory to the watchdog.
    static const bool at_exit = std::atexit(RemoveRunDirectoryAtExit) == 0;
    if (!at_exit)
      return Status::Infrastructure("atexit: cannot register the run directory's removal");
    REHEARSE_RETURN_IF_ERROR(Create(&g_instance));
  }
  *out = g_instance;
  return Status::OK();
}

// Runs in the child of a plain fork(), with g_mu held by the prepare handler.
void RunDirectory::CloseInheritedAfterFork() {
  if (g_instance != nullptr) {
    // Keeping the parent's write end would hold its watchdog off until we exit.
    close(g_instance->watchdog_pipe_);
    g_instance = nullptr;  // leaked: the parent's, not ours to clean
  }
  for (auto& slot : g_servers) slot.store(0);
  g_servers_owner.store(getpid());
  g_mu.unlock();
}

Status RunDirectory::Create(RunDirectory** out) {
  // Throwaway clusters are copied and deleted by the hundred; on a tmpfs that
  // costs a fraction of what it costs on a disk file system (see the header),
  // so /dev/shm is preferred when TMPDIR does not name a place.
  std::string base = g_planned_base.empty() ? DefaultBase() : g_planned_base;
  std::unique_ptr<RunDirectory> dir(new RunDirectory);
  dir->root_ = base + "/rehearse-" + std::to_string(geteuid());
  REHEARSE_RETURN_IF_ERROR(EnsureRoot(dir->root_));

  ReapStaleRunDirectories(dir->root_);

  dir->owner_pid_ = getpid();
  uint64_t start_time = 0;
  if (!ReadProcessStartTime(dir->owner_pid_, &start_time)) {
    return Status::Infrastructure("cannot read this process's start time from /proc");
  }
  dir->path_ =
      dir->root_ + "/run-" + std::to_string(dir->owner_pid_) + "-" + std::to_string(start_time);
  if (mkdir(dir->path_.c_str(), 0711) < 0 || chmod(dir->path_.c_str(), 0711) < 0) {
    return Status::Infrastructure("cannot create " + dir->path_ + ": " + std::strerror(errno));
  }
  Status started = dir->StartWatchdog();
  if (!started.ok()) {
    rmdir(dir->path_.c_str());
    return started;
  }
  g_servers_owner.store(dir->owner_pid_);
  InstallSignalHandlers();
  *out = dir.release();
  return Status::OK();
}

Status RunDirectory::StartWatchdog() {
  int ends[2];
  // Close-on-exec on both ends: no program we start may hold the write end.
  if (pipe2(ends, O_CLOEXEC) < 0) {
    return Status::Infrastructure(std::string("watchdog pipe: ") + std::strerror(errno));
  }
  SubprocessOptions options;
  options.argv = {"/bin/sh", "-c", kWatchdogScript, "rehearse-watchdog", path_};
  options.env = std::vector<std::string>{"PATH=/usr/bin:/bin"};
  options.working_dir = "/";
  options.new_session = true;
  options.stdin_fd = ends[0];
  Status spawned = Spawn(options, &watchdog_pid_);
  close(ends[0]);
  if (!spawned.ok()) {
    close(ends[1]);
    return spawned.Prepend("cannot start the run directory's watchdog");
  }
  watchdog_pipe_ = ends[1];
  return Status::OK();
}

Status RunDirectory::MakePrivateSubdir(const std::string& prefix, uid_t uid, gid_t gid,
                                       std::string* dir) {
  const std::string candidate = path_ + "/" + prefix + std::to_string(next_subdir_++);
  if (mkdir(candidate.c_str(), 0700) < 0) {
    return Status::Infrastructure("cannot create " + candidate + ": " + std::strerror(errno));
  }
  // chmod: the umask may have cleared bits; chown: the server user must own it.
  if (chmod(candidate.c_str(), 0700) < 0 ||
      ((uid != geteuid() || gid != getegid()) && chown(candidate.c_str(), uid, gid) < 0)) {
    Status failed = Status::Infrastructure("cannot set owner/mode of " + candidate + ": " +
                                           std::strerror(errno));
    rmdir(candidate.c_str());
    return failed;
  }
  *dir = candidate;
  return Status::OK();
}

std::string RunDirectory::KeptPathFor(const std::string& subdir) const {
  return root_ + "/kept-" + std::to_string(owner_pid_) + "-" +
         subdir.substr(subdir.find_last_of('/') + 1);
}

Status RunDirectory::MoveOut(const std::string& subdir, std::string* kept_path) {
  const std::string target = KeptPathFor(subdir);
  // RENAME_NOREPLACE: whatever is already at the target (an empty folder,
  // another run's kept database) stays; rename() would replace a folder.
  if (renameat2(AT_FDCWD, subdir.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) < 0) {
    return Status::Infrastructure("cannot move " + subdir + " to " + target + ": " +
                                  std::strerror(errno));
  }
  *kept_path = target;
  return Status::OK();
}

void RunDirectory::RegisterServer(pid_t pid) {
  for (auto& slot : g_servers) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

void RunDirectory::UnregisterServer(pid_t pid) {
  for (auto& slot : g_servers) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void RunDirectory::StopRegisteredServers() {
  // A forked child that never made its own run directory must not stop the
  // parent's servers.
  if (g_servers_owner.load() != getpid()) return;
  for (auto& slot : g_servers) {
    pid_t pid = slot.load();
    if (pid > 0) kill(pid, SIGQUIT);
  }
}

int RunDirectory::ReapStaleRunDirectories(const std::string& root) {
  int removed = 0;
  for (const std::string& name : ListSubdirectories(root)) {
    pid_t pid = 0;
    uint64_t start_time = 0;
    if (!ParseRunName(name.c_str(), &pid, &start_time)) continue;
    uint64_t actual = 0;
    if (ReadProcessStartTime(pid, &actual) && actual == start_time) continue;  // owner alive
    const std::string run = root + "/" + name;
    for (const std::string& child : ListSubdirectories(run)) {
      const std::string data_dir = run + "/" + child + "/data";
      pid_t postmaster = ReadPostmasterPid(data_dir);
      if (postmaster > 0 && IsPostmasterOf(postmaster, data_dir)) {
        StopOrphanedPostmaster(postmaster, kOrphanGrace);
      }
    }
    if (RemoveDirectoryTree(run).ok()) ++removed;
  }
  return removed;
}

}  // namespace rehearse
