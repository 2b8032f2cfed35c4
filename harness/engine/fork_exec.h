// ForkExec: what a child does between fork and exec, and the thread every
// fork runs on. Internal to subprocess.cc; everyone else uses subprocess.h.
//
// Contract: ForkExec() returns the child's pid, or -1 with *fork_errno set
// when fork failed. A child that fails before exec writes a ForkExecFailure
// to plan.error_fd and exits with status 127; ForkExecStepName() names the
// step for the message.
//
// Why a dedicated thread: Linux sends the parent-death signal when the
// *thread* that forked exits, not the process. A server started from a
// short-lived worker thread would be killed as soon as that thread ended.
// So every fork runs on one thread that lives as long as the process (it
// blocks all signals, so no handler runs in a child before exec). A plain
// fork() by the program (a test forking a harness) leaves the child without
// that thread; the child starts its own on first use.
//
// Between fork and exec the child makes async-signal-safe calls only, and
// the plan is built before fork, so the child allocates nothing: another
// thread may have held the allocator's lock at the moment of fork.
#ifndef REHEARSE_ENGINE_FORK_EXEC_H_
#define REHEARSE_ENGINE_FORK_EXEC_H_

#include <sys/types.h>

#include <vector>

namespace rehearse {

// Everything the child needs; pointers refer to the caller's memory, which
// the child sees as it was at fork.
struct ForkExecPlan {
  std::vector<char*> argv;  // null-terminated, pointing into the options
  std::vector<char*> envp;  // null-terminated; empty: inherit environ
  const char* working_dir = nullptr;
  int stdin_fd = -1;   // always >= 3
  int stdout_fd = -1;  // >= 3, or -1 to inherit
  int stderr_fd = -1;  // >= 3, or -1 to inherit
  bool change_gid = false;
  gid_t gid = 0;
  bool change_uid = false;
  uid_t uid = 0;
  int parent_death_signal = 0;
  pid_t parent_pid = 0;
  bool new_process_group = false;
  bool new_session = false;
  // Write end of a close-on-exec pipe: a ForkExecFailure record arrives on
  // it when the child fails before exec; end-of-file means exec succeeded.
  int error_fd = -1;
};

struct ForkExecFailure {
  int step;  // what failed; see ForkExecStepName()
  int err;   // its errno
};

const char* ForkExecStepName(int step);

pid_t ForkExec(const ForkExecPlan& plan, int* fork_errno);

// Registers ForkExec's pthread_atfork handlers (which take its lock) if that
// has not happened yet; ForkExec does so on first use. Code that calls
// ForkExec while holding a lock that its own atfork handlers also take must
// call this before registering those handlers: prepare handlers run in
// reverse order of registration, and must take the locks in the order that
// code does (its own, then ForkExec's), or a fork() could deadlock. Returns
// pthread_atfork's result (0, or the error number, the same on every call):
// without the handlers a fork could deadlock, so nothing may fork then.
int RegisterForkExecAtforkHandlers();

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_FORK_EXEC_H_
