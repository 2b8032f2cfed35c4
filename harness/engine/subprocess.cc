#include "harness/engine/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "harness/engine/fork_exec.h"

namespace rehearse {
namespace {

// Owns one file descriptor.
class ScopedFd {
 public:
  ScopedFd() = default;
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() { Reset(); }
  int get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

std::string ErrnoText(int err) { return std::strerror(err); }

// Returns a close-on-exec duplicate of `fd` numbered 3 or above, so the child's
// dup2 onto 0-2 can never overwrite a source it still needs.
int DupAbove2(int fd) { return fcntl(fd, F_DUPFD_CLOEXEC, 3); }

// Opens the child's end for `target`; *parent_end is set for kCapture.
Status OpenOutput(const OutputTarget& target, ScopedFd* child_end, ScopedFd* parent_end) {
  int fd = -1;
  switch (target.kind) {
    case OutputTarget::Kind::kInherit:
      return Status::OK();
    case OutputTarget::Kind::kDiscard:
      fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
      break;
    case OutputTarget::Kind::kFile:
      fd = open(target.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (fd < 0)
        return Status::Infrastructure("cannot open " + target.path + ": " + ErrnoText(errno));
      break;
    case OutputTarget::Kind::kCapture: {
      int ends[2];
      if (pipe2(ends, O_CLOEXEC) < 0) return Status::Infrastructure("pipe: " + ErrnoText(errno));
      parent_end->Reset(ends[0]);
      fd = ends[1];
      break;
    }
  }
  if (fd < 0) return Status::Infrastructure("cannot open /dev/null: " + ErrnoText(errno));
  child_end->Reset(fd);
  if (fd < 3) child_end->Reset(DupAbove2(fd));
  if (child_end->get() < 0) return Status::Infrastructure("fcntl: " + ErrnoText(errno));
  return Status::OK();
}

// Starts the child described by `options`. Pipe ends for captured output are
// returned in *stdout_read / *stderr_read.
Status Start(const SubprocessOptions& options, pid_t* pid, ScopedFd* stdout_read,
             ScopedFd* stderr_read) {
  if (options.argv.empty() || options.argv[0].empty() || options.argv[0][0] != '/') {
    return Status::InvalidInput("subprocess: argv[0] must be an absolute path");
  }
  const std::string& program = options.argv[0];
  ForkExecPlan plan;
  for (const std::string& arg : options.argv) plan.argv.push_back(const_cast<char*>(arg.c_str()));
  plan.argv.push_back(nullptr);
  if (options.env) {
    for (const std::string& var : *options.env) plan.envp.push_back(const_cast<char*>(var.c_str()));
    plan.envp.push_back(nullptr);
  }
  if (!options.working_dir.empty()) plan.working_dir = options.working_dir.c_str();

  ScopedFd stdin_fd(options.stdin_fd >= 0 ? DupAbove2(options.stdin_fd)
                                          : open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (stdin_fd.get() >= 0 && stdin_fd.get() < 3) stdin_fd.Reset(DupAbove2(stdin_fd.get()));
  if (stdin_fd.get() < 0) return Status::Infrastructure("subprocess stdin: " + ErrnoText(errno));
  ScopedFd stdout_fd, stderr_fd;
  REHEARSE_RETURN_IF_ERROR(OpenOutput(options.stdout_target, &stdout_fd, stdout_read));
  REHEARSE_RETURN_IF_ERROR(OpenOutput(options.stderr_target, &stderr_fd, stderr_read));
  plan.stdin_fd = stdin_fd.get();
  plan.stdout_fd = stdout_fd.get();
  plan.stderr_fd = stderr_fd.get();

  plan.change_gid = options.gid.has_value();
  plan.gid = options.gid.value_or(0);
  plan.change_uid = options.uid.has_value();
  plan.uid = options.uid.value_or(0);
  plan.parent_death_signal = options.parent_death_signal;
  plan.parent_pid = getpid();
  plan.new_process_group = options.new_process_group;
  plan.new_session = options.new_session;

  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) < 0) return Status::Infrastructure("pipe: " + ErrnoText(errno));
  ScopedFd error_read(error_pipe[0]);
  ScopedFd error_write(error_pipe[1]);
  plan.error_fd = error_write.get();

  int fork_errno = 0;
  pid_t child = ForkExec(plan, &fork_errno);
  if (child < 0) return Status::Infrastructure("fork: " + ErrnoText(fork_errno));
  error_write.Reset();  // so the read below sees EOF once the child has exec'd

  ForkExecFailure error{0, 0};
  ssize_t n;
  do {
    n = read(error_read.get(), &error, sizeof(error));
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    int ignored;
    waitpid(child, &ignored, 0);
    return Status::Infrastructure("cannot start " + program + ": " + ForkExecStepName(error.step) +
                                  ": " + ErrnoText(error.err));
  }
  *pid = child;
  return Status::OK();
}

void FillResult(int wait_status, SubprocessResult* result) {
  if (WIFEXITED(wait_status)) {
    result->exit_code = WEXITSTATUS(wait_status);
    result->term_signal = 0;
  } else if (WIFSIGNALED(wait_status)) {
    result->exit_code = -1;
    result->term_signal = WTERMSIG(wait_status);
  }
}

int MillisecondsUntil(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

std::string DescribeWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status))
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "stopped or continued (wait status " + std::to_string(wait_status) + ")";
}

std::string SubprocessResult::Describe() const {
  if (term_signal != 0) {
    return "killed by signal " + std::to_string(term_signal) + " (" + strsignal(term_signal) + ")";
  }
  return "exited with status " + std::to_string(exit_code);
}

Status Spawn(const SubprocessOptions& options, pid_t* pid) {
  if (options.stdout_target.kind == OutputTarget::Kind::kCapture ||
      options.stderr_target.kind == OutputTarget::Kind::kCapture) {
    return Status::InvalidInput("Spawn cannot capture output; use RunToCompletion");
  }
  ScopedFd unused_out, unused_err;
  return Start(options, pid, &unused_out, &unused_err);
}

Status RunToCompletion(const SubprocessOptions& options, SubprocessResult* result) {
  *result = SubprocessResult();
  ScopedFd out_read, err_read;
  pid_t pid = -1;
  REHEARSE_RETURN_IF_ERROR(Start(options, &pid, &out_read, &err_read));

  const bool has_deadline = options.timeout.count() > 0;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool timed_out = false;
  // Drain captured output until both pipes close, or the deadline passes.
  std::string* sinks[2] = {&result->stdout_text, &result->stderr_text};
  ScopedFd* sources[2] = {&out_read, &err_read};
  for (;;) {
    pollfd fds[2];
    int index_of[2];
    int count = 0;
    for (int i = 0; i < 2; ++i) {
      if (sources[i]->get() < 0) continue;
      fds[count] = {sources[i]->get(), POLLIN, 0};
      index_of[count++] = i;
    }
    if (count == 0) break;
    int wait_ms = has_deadline ? MillisecondsUntil(deadline) : -1;
    int ready = poll(fds, count, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = ready == 0;
      break;
    }
    for (int k = 0; k < count; ++k) {
      if (fds[k].revents == 0) continue;
      char buffer[16384];
      ssize_t n = read(fds[k].fd, buffer, sizeof(buffer));
      if (n > 0) {
        sinks[index_of[k]]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        sources[index_of[k]]->Reset();
      }
    }
  }

  int wait_status = 0;
  if (!timed_out) {
    auto left = has_deadline ? std::chrono::milliseconds(MillisecondsUntil(deadline))
                             : std::chrono::milliseconds(24LL * 3600 * 1000);
    Status waited = WaitForExit(pid, left, &wait_status);
    timed_out = !waited.ok();
  }
  if (timed_out) {
    kill(pid, SIGKILL);
    while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
    }
    FillResult(wait_status, result);
    return Status::Infrastructure(options.argv[0] + " did not finish within " +
                                  std::to_string(options.timeout.count()) + " ms; killed it");
  }
  FillResult(wait_status, result);
  return Status::OK();
}

Status WaitForExit(pid_t pid, std::chrono::milliseconds timeout, int* wait_status) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  // The syscall directly: glibc 2.36's <sys/pidfd.h> lacks extern "C".
  ScopedFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  for (;;) {
    pid_t reaped;
    do {
      reaped = waitpid(pid, &status, WNOHANG);
    } while (reaped < 0 && errno == EINTR);
    if (reaped == pid) {
      if (wait_status != nullptr) *wait_status = status;
      return Status::OK();
    }
    if (reaped < 0) {
      return Status::NotFound("process " + std::to_string(pid) +
                              " is not a child: " + ErrnoText(errno));
    }
    int left = MillisecondsUntil(deadline);
    if (left == 0) {
      return Status::Infrastructure("process " + std::to_string(pid) + " still running after " +
                                    std::to_string(timeout.count()) + " ms");
    }
    if (pidfd.get() >= 0) {
      // Readable once the process has exited.
      pollfd fd{pidfd.get(), POLLIN, 0};
      poll(&fd, 1, left);
    } else {
      // No pidfd (old kernel): poll waitpid with a short sleep.
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(left, 2)));
    }
  }
}

}  // namespace rehearse
