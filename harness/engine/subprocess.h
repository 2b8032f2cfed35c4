// Subprocess: starts a program as a child of this process, optionally as
// another user and tied to this process's life by a parent-death signal.
//
// Contract:
// - RunToCompletion() returns OK once the child has exited, whatever its exit
//   status: the caller reads *result to decide whether that was a success.
//   It returns kInfrastructure when the program could not be started (the
//   message names the step that failed: dup2, setuid, exec, ...) or when it
//   ran longer than options.timeout (the child is then killed with SIGKILL).
// - Spawn() returns OK with *pid set once the program has been exec'd. The
//   caller owns the child: it must reap it, e.g. with WaitForExit().
// - Nothing here throws.
//
// Why fork+exec rather than posix_spawn: posix_spawn cannot drop privileges
// (setgroups/setgid/setuid) or set a parent-death signal in the child.
// Between fork and exec the child only makes async-signal-safe calls, so it
// is safe to start children from a multi-threaded process, from any thread:
// forks run on one long-lived thread, because Linux sends the parent-death
// signal when the forking *thread* exits (fork_exec.h).
//
// Every file descriptor this process opened is closed in the child at exec,
// whether or not it was opened with O_CLOEXEC; only stdin/stdout/stderr
// reach the program.
#ifndef REHEARSE_ENGINE_SUBPROCESS_H_
#define REHEARSE_ENGINE_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

// Where a child's stdout or stderr goes.
struct OutputTarget {
  enum class Kind {
    kInherit,  // this process's own stream
    kDiscard,  // /dev/null
    kFile,     // appended to `path`, created with mode 0600 when missing
    kCapture,  // into SubprocessResult; RunToCompletion() only
  };
  Kind kind = Kind::kDiscard;
  std::string path;

  static OutputTarget Inherit() { return {Kind::kInherit, ""}; }
  static OutputTarget Discard() { return {Kind::kDiscard, ""}; }
  static OutputTarget File(std::string path) { return {Kind::kFile, std::move(path)}; }
  static OutputTarget Capture() { return {Kind::kCapture, ""}; }
};

struct SubprocessOptions {
  // argv[0] is the program's absolute path; there is no PATH search.
  std::vector<std::string> argv;
  // The child's whole environment, "NAME=value" each. Unset: this process's.
  std::optional<std::vector<std::string>> env;
  // Directory the child starts in. Empty: this process's.
  std::string working_dir;
  // Run as this user and group (only root may ask). Supplementary groups are
  // dropped. Unset: same credentials as this process.
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  // Signal the child receives when this process dies (0: none). Set after the
  // credential change, which would clear it.
  int parent_death_signal = 0;
  // A new process group keeps the terminal's Ctrl-C away from the child, so
  // that this process alone decides how its children stop.
  bool new_process_group = false;
  // A new session also detaches the child from the controlling terminal.
  bool new_session = false;
  // The child's stdin. -1: /dev/null. The caller keeps ownership of the fd.
  int stdin_fd = -1;
  OutputTarget stdout_target = OutputTarget::Discard();
  OutputTarget stderr_target = OutputTarget::Discard();
  // RunToCompletion() only: kill the child after this long. Zero: no limit.
  std::chrono::milliseconds timeout{0};
};

struct SubprocessResult {
  int exit_code = -1;       // the exit status when the child exited normally
  int term_signal = 0;      // the signal that killed it, 0 when it exited
  std::string stdout_text;  // when stdout_target was kCapture
  std::string stderr_text;  // when stderr_target was kCapture

  bool succeeded() const { return term_signal == 0 && exit_code == 0; }
  // "exited with status 1" or "killed by signal 9 (Killed)".
  std::string Describe() const;
};

// Runs the program and waits for it to exit; see the contract above.
Status RunToCompletion(const SubprocessOptions& options, SubprocessResult* result);

// Starts the program and returns without waiting; see the contract above.
// kCapture outputs are rejected (kInvalidInput): nobody would read them.
Status Spawn(const SubprocessOptions& options, pid_t* pid);

// Waits up to `timeout` for the child `pid` to exit and reaps it. On OK,
// *wait_status (may be null) holds the status as waitpid() reports it.
// Returns kInfrastructure if it is still running after `timeout` (it is left
// running), kNotFound if `pid` is not an unreaped child of this process.
Status WaitForExit(pid_t pid, std::chrono::milliseconds timeout, int* wait_status);

// "exited with status N" / "killed by signal N (name)" for a waitpid() status.
std::string DescribeWaitStatus(int wait_status);

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_SUBPROCESS_H_
