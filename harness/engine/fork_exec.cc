#include "harness/engine/fork_exec.h"

#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

extern char** environ;

namespace rehearse {
namespace {

enum ChildStep : int {
  kStepSession = 1,
  kStepDup,
  kStepSetgroups,
  kStepSetgid,
  kStepSetuid,
  kStepDeathSignal,
  kStepParentGone,
  kStepChdir,
  kStepExec,
};

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void RunChild(const ForkExecPlan& plan) {
  auto fail = [&plan](int step) {
    ForkExecFailure error{step, errno};
    ssize_t ignored = write(plan.error_fd, &error, sizeof(error));
    (void)ignored;
    _exit(127);
  };
  if (plan.new_session) {
    if (setsid() < 0) fail(kStepSession);
  } else if (plan.new_process_group) {
    if (setpgid(0, 0) < 0) fail(kStepSession);
  }
  // dup2 clears close-on-exec on the copy; the sources are all >= 3.
  if (dup2(plan.stdin_fd, 0) < 0) fail(kStepDup);
  if (plan.stdout_fd >= 0 && dup2(plan.stdout_fd, 1) < 0) fail(kStepDup);
  if (plan.stderr_fd >= 0 && dup2(plan.stderr_fd, 2) < 0) fail(kStepDup);
  // The raw system calls, not glibc's setgroups/setgid/setuid: those
  // broadcast the change to every thread glibc still lists, and a forked
  // child of a threaded parent can list a thread that was starting or ending
  // at the fork and will never answer: the child then waits forever (seen
  // under load, in setxid_mark_thread). The child has one thread, so the
  // per-thread call is the whole change.
  if (plan.change_gid) {
    if (syscall(SYS_setgroups, 1, &plan.gid) < 0) fail(kStepSetgroups);
    if (syscall(SYS_setgid, plan.gid) < 0) fail(kStepSetgid);
  }
  if (plan.change_uid && syscall(SYS_setuid, plan.uid) < 0) fail(kStepSetuid);
  // After setuid: a credential change clears the parent-death signal.
  if (plan.parent_death_signal != 0) {
    if (prctl(PR_SET_PDEATHSIG, plan.parent_death_signal) < 0) fail(kStepDeathSignal);
    // The parent may have died before prctl took effect; nobody would signal us.
    if (getppid() != plan.parent_pid) fail(kStepParentGone);
  }
  if (plan.working_dir != nullptr && chdir(plan.working_dir) < 0) fail(kStepChdir);
  // Handlers and the mask are this process's (the fork thread blocks every
  // signal); the program gets the defaults.
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = SIG_DFL;
    sigaction(sig, &action, nullptr);  // fails harmlessly for reserved signals
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // Whatever a library opened without O_CLOEXEC must not reach the program
  // (the watchdog's pipe must stay ours alone).
  close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  char* const* envp = plan.envp.empty() ? environ : plan.envp.data();
  execve(plan.argv[0], plan.argv.data(), envp);
  fail(kStepExec);
  _exit(127);  // not reached
}

struct ForkJob {
  const ForkExecPlan* plan = nullptr;
  pid_t pid = -1;
  int err = 0;
  bool done = false;
};

struct ForkThreadState {
  std::condition_variable cv;  // a job was posted, or one is done
  std::deque<ForkJob*> jobs;
};

// The fork thread's state is leaked on purpose, so that it outlives static
// destruction at exit.
std::mutex g_fork_mu;                     // guards g_fork_state and its contents
ForkThreadState* g_fork_state = nullptr;  // null: no fork thread in this process yet

void ForkLoop(ForkThreadState* state) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  std::unique_lock<std::mutex> lock(g_fork_mu);
  for (;;) {
    state->cv.wait(lock, [state] { return !state->jobs.empty(); });
    ForkJob* job = state->jobs.front();
    state->jobs.pop_front();
    lock.unlock();
    // _Fork skips pthread_atfork handlers: nothing but RunChild runs in the child.
    pid_t pid = _Fork();
    if (pid == 0) RunChild(*job->plan);
    int err = errno;
    lock.lock();
    job->pid = pid;
    job->err = pid < 0 ? err : 0;
    job->done = true;
    state->cv.notify_all();
  }
}

void LockForFork() { g_fork_mu.lock(); }
void UnlockInParent() { g_fork_mu.unlock(); }
void ResetInChild() {
  g_fork_state = nullptr;
  g_fork_mu.unlock();
}

}  // namespace

int RegisterForkExecAtforkHandlers() {
  static const int registered = pthread_atfork(LockForFork, UnlockInParent, ResetInChild);
  return registered;
}

pid_t ForkExec(const ForkExecPlan& plan, int* fork_errno) {
  if (const int err = RegisterForkExecAtforkHandlers(); err != 0) {
    *fork_errno = err;
    return -1;
  }
  std::unique_lock<std::mutex> lock(g_fork_mu);
  if (g_fork_state == nullptr) {
    auto* state = new ForkThreadState;
    try {
      std::thread(ForkLoop, state).detach();
      g_fork_state = state;
    } catch (const std::system_error&) {
      // No thread to be had: fork here; the death signal then follows this
      // thread. Block signals so that no handler runs in the child.
      delete state;
      lock.unlock();
      sigset_t all, previous;
      sigfillset(&all);
      pthread_sigmask(SIG_BLOCK, &all, &previous);
      pid_t pid = _Fork();
      if (pid == 0) RunChild(plan);
      *fork_errno = errno;
      pthread_sigmask(SIG_SETMASK, &previous, nullptr);
      return pid;
    }
  }
  ForkThreadState* state = g_fork_state;
  ForkJob job;
  job.plan = &plan;
  state->jobs.push_back(&job);
  state->cv.notify_all();
  state->cv.wait(lock, [&job] { return job.done; });
  *fork_errno = job.err;
  return job.pid;
}

const char* ForkExecStepName(int step) {
  switch (step) {
    case kStepSession:
      return "setsid/setpgid";
    case kStepDup:
      return "dup2";
    case kStepSetgroups:
      return "setgroups";
    case kStepSetgid:
      return "setgid";
    case kStepSetuid:
      return "setuid";
    case kStepDeathSignal:
      return "prctl(PR_SET_PDEATHSIG)";
    case kStepParentGone:
      return "parent exited before the child started";
    case kStepChdir:
      return "chdir";
    case kStepExec:
      return "exec";
  }
  return "unknown step";
}

}  // namespace rehearse
