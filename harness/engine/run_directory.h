// RunDirectory: this process's private scratch root,
//   <base>/rehearse-<euid>/run-<pid>-<process start time>,
// where <base> is $TMPDIR if set, else /dev/shm if writable, else /tmp —
// or, when a command said first how much room it needs (PlanBase) and
// /dev/shm does not have it, /var/tmp —
// under which every throwaway server and file of the process lives, and the
// machinery that removes it whatever way the process ends:
//
// - normal exit: the objects living in it (PostgresCluster, SqliteFile) stop
//   their servers and remove their subdirectories; an exit hook removes the
//   then empty run directory.
// - SIGINT, SIGTERM, SIGHUP: a handler sends SIGQUIT (immediate shutdown) to
//   every registered server and re-raises the signal; the watchdog (below)
//   then removes the directory. The handler is installed only for signals
//   whose disposition is still the default: a program that installs its own
//   handler takes over, and should call StopRegisteredServers() from it.
// - SIGKILL, or a crash: servers get their parent-death signal; the
//   WATCHDOG, a child started when the run directory is created, holds the
//   read end of a pipe whose write end only this process holds. When this
//   process dies the pipe reaches end-of-file; the watchdog then SIGQUITs any
//   postmaster under the run directory, waits for it to go, and removes the
//   directory. It ignores SIGINT/SIGTERM/SIGHUP and runs in its own session,
//   so the Ctrl-C that kills the harness does not kill it.
// - anything the watchdog missed (it was killed too, the machine rebooted):
//   the REAPER, run when a later process creates its run directory, removes
//   every sibling run-* directory whose owner (pid + start time in the name)
//   is gone, stopping any postmaster still running in it first.
//
// Why a process-wide singleton: signal dispositions, the parent-death
// relationship and the watchdog's pipe all belong to the process, not to an
// object; two instances in one process could only fight over them. A forked
// child (a test forking a harness) gets its own run directory and watchdog
// on first use, and forgets its parent's registered servers at fork.
//
// Where: every boot creates ~1000 files here and every stop deletes them.
// On a file system slow at that (ext4 without a journal scans recently
// deleted inodes on every create), a tmpfs is much faster: copying a data
// directory takes ~25 ms on /dev/shm against 80-450 ms there, which is why
// /dev/shm is the default base.
//
// Liveness is judged from /proc: processes that share a /tmp across PID
// namespaces (containers with a shared /tmp) would take each other for dead
// and must each have their own TMPDIR.
//
// Ownership: the RunDirectory is never destroyed; pointers to it stay valid
// for the life of the process. Directories it makes belong to the caller,
// who removes them; the watchdog and the reaper only clean up after death.
#ifndef REHEARSE_ENGINE_RUN_DIRECTORY_H_
#define REHEARSE_ENGINE_RUN_DIRECTORY_H_

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "harness/common/status.h"

namespace rehearse {

class RunDirectory {
 public:
  // Sets *out to this process's run directory, creating it on the first call
  // (which also runs the reaper, starts the watchdog and installs the signal
  // handlers). Returns kInfrastructure, naming the directory, when the root
  // is unsafe (not a directory owned by this user, or writable by others),
  // a directory cannot be made (a full disk) or the watchdog cannot start.
  // Thread-safe.
  static Status Get(RunDirectory** out);

  // Before the first Get(): the run directory of a run that needs about
  // `bytes` goes where they fit — $TMPDIR as the user set it, else /dev/shm
  // (RAM) when it has the room, else kDiskBase when that has more. Sets
  // *base to the choice and *free_bytes to its free space, for the caller to
  // refuse a run that fits nowhere. After Get(), reports the base in use.
  // kInfrastructure when the free space cannot be told.
  static constexpr const char* kDiskBase = "/var/tmp";
  static Status PlanBase(uint64_t bytes, std::string* base, uint64_t* free_bytes);

  // Before copying a database of `bytes` into `dir` (a directory under the
  // run directory): kInfrastructure, naming `what`, the directory and both
  // sizes, unless `dir`'s file system has room for the copy twice over (the
  // copy, then the snapshot archives and growth of the migrations run on it)
  // plus kCopySlackBytes. A long chain holds a bounded number of copies, but
  // their size is the schema's, which no estimate made before the run knows:
  // the run stops with this message instead of a migration failing with the
  // engine's "No space left on device" and being blamed for it.
  static constexpr uint64_t kCopySlackBytes = 16ull << 20;
  static Status CheckRoomForCopy(const std::string& dir, uint64_t bytes, const std::string& what);
  // The decision CheckRoomForCopy makes once it knows `free_bytes`.
  static Status RoomForCopy(const std::string& dir, uint64_t free_bytes, uint64_t bytes,
                            const std::string& what);

  RunDirectory(const RunDirectory&) = delete;
  RunDirectory& operator=(const RunDirectory&) = delete;

  // The run directory: mode 0711, so that an unprivileged server user can
  // traverse into its own 0700 subdirectory but list nothing.
  const std::string& path() const { return path_; }
  // Its parent, <base>/rehearse-<euid>, shared by this user's runs.
  const std::string& root() const { return root_; }
  pid_t watchdog_pid() const { return watchdog_pid_; }

  // Creates a new directory <path()>/<prefix><n>, mode 0700, owned by
  // uid/gid (giving it away needs root), and sets *dir to it. Thread-safe.
  Status MakePrivateSubdir(const std::string& prefix, uid_t uid, gid_t gid, std::string* dir);

  // Moves `subdir` (a directory made by MakePrivateSubdir) to
  // <root()>/kept-<pid>-<name>, where neither the watchdog nor the reaper
  // will touch it, and sets *kept_path. For keeping a database to inspect.
  // Never replaces anything already there: kInfrastructure then.
  Status MoveOut(const std::string& subdir, std::string* kept_path);
  // Where MoveOut() puts `subdir`.
  std::string KeptPathFor(const std::string& subdir) const;

  // Adds or removes a postmaster to be SIGQUIT on SIGINT/SIGTERM/SIGHUP.
  // At most kMaxServers are tracked; beyond that the watchdog still cleans
  // up, a little later. Thread-safe and lock-free.
  static constexpr int kMaxServers = 256;
  static void RegisterServer(pid_t pid);
  static void UnregisterServer(pid_t pid);
  // Sends SIGQUIT to every registered server of this process.
  // Async-signal-safe: for use from a signal handler.
  static void StopRegisteredServers();

  // Removes every run-* directory under `root` whose owner process is gone,
  // after stopping any postmaster running from it. Returns how many it
  // removed. Get() runs it; tests call it directly.
  static int ReapStaleRunDirectories(const std::string& root);

 private:
  RunDirectory() = default;
  static Status Create(RunDirectory** out);
  Status StartWatchdog();
  static void CloseInheritedAfterFork();

  std::string root_;
  std::string path_;
  pid_t owner_pid_ = 0;
  pid_t watchdog_pid_ = -1;
  int watchdog_pipe_ = -1;  // write end; end-of-file tells the watchdog we are gone
  std::atomic<int> next_subdir_{1};
};

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_RUN_DIRECTORY_H_
