#include "harness/engine/cluster_roles.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "harness/engine/initdb_cache.h"
#include "harness/engine/subprocess.h"

namespace rehearse {
namespace {

constexpr std::chrono::milliseconds kSingleUserTimeout{60000};

Status IoFailure(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

// `text` with every occurrence of the secrets replaced, for messages.
std::string Redacted(std::string text, const ClusterSecrets& secrets) {
  for (const std::string* secret : {&secrets.superuser_password, &secrets.owner_password}) {
    if (secret->empty()) continue;
    for (size_t at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at)) {
      text.replace(at, secret->size(), "<secret>");
    }
  }
  return text;
}

// A pipe already holding `input` and closed for writing: the read end, for a
// child's stdin. `input` is small (well under the pipe's 64 KiB), so the
// write never blocks.
Status PipeHolding(const std::string& input, int* read_end) {
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) < 0) return IoFailure("cannot create", "a pipe");
  ssize_t written;
  do {
    written = write(ends[1], input.data(), input.size());
  } while (written < 0 && errno == EINTR);
  const int write_errno = errno;
  close(ends[1]);
  if (written != static_cast<ssize_t>(input.size())) {
    close(ends[0]);
    errno = written < 0 ? write_errno : EPIPE;
    return IoFailure("cannot write", "a pipe");
  }
  *read_end = ends[0];
  return Status::OK();
}

}  // namespace

Status MakeRandomSecret(std::string* secret) {
  unsigned char bytes[32];
  size_t got = 0;
  while (got < sizeof(bytes)) {
    ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Infrastructure(std::string("getrandom: ") + std::strerror(errno));
    got += static_cast<size_t>(n);
  }
  static const char kHex[] = "0123456789abcdef";
  secret->clear();
  for (unsigned char b : bytes) {
    secret->push_back(kHex[b >> 4]);
    secret->push_back(kHex[b & 15]);
  }
  return Status::OK();
}

Status SetUpClusterRoles(const PostgresInstallation& installation, const ServerUser& user,
                         const std::string& data_dir, ClusterSecrets* secrets) {
  ClusterSecrets made;
  REHEARSE_RETURN_IF_ERROR(MakeRandomSecret(&made.superuser_password));
  REHEARSE_RETURN_IF_ERROR(MakeRandomSecret(&made.owner_password));
  // One command per line (single-user mode without -j). Hex passwords need
  // no quoting; the server stores only their SCRAM verifiers.
  const std::string commands =
      std::string("CREATE ROLE ") + kOwnerRole +
      " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '" +
      made.owner_password + "'\nALTER ROLE " + kSuperuser + " PASSWORD '" +
      made.superuser_password + "'\n";
  int stdin_fd = -1;
  REHEARSE_RETURN_IF_ERROR(PipeHolding(commands, &stdin_fd));

  SubprocessOptions options;
  options.argv = {installation.Program("postgres"),
                  "--single",
                  "-D",
                  data_dir,
                  "-c",
                  "fsync=off",
                  "-c",
                  "shared_buffers=1MB",  // enough for two statements, and quick to set up
                  "-c",
                  "password_encryption=scram-sha-256",
                  "-c",
                  "log_checkpoints=off",
                  "postgres"};
  options.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"};
  options.working_dir = data_dir.substr(0, data_dir.find_last_of('/'));
  if (user.is_other_user) {
    options.uid = user.uid;
    options.gid = user.gid;
  }
  options.stdin_fd = stdin_fd;
  options.parent_death_signal = SIGKILL;
  options.new_process_group = true;
  options.stdout_target = OutputTarget::Capture();
  options.stderr_target = OutputTarget::Capture();
  options.timeout = kSingleUserTimeout;
  SubprocessResult result;
  Status ran = RunToCompletion(options, &result);
  close(stdin_fd);
  if (!ran.ok()) return ran.Prepend("postgres --single");
  // Single-user mode reports a failed command on stderr and carries on, so
  // its exit status alone does not say that both commands took.
  const std::string output = result.stderr_text + result.stdout_text;
  if (!result.succeeded() || output.find("ERROR:") != std::string::npos ||
      output.find("FATAL:") != std::string::npos) {
    return Status::Infrastructure("cannot set up the roles of " + data_dir +
                                  ": postgres --single " + result.Describe() + ":\n" +
                                  Redacted(output, made));
  }
  *secrets = std::move(made);
  return Status::OK();
}

Status WriteHbaFile(const std::string& path, const ServerUser& user) {
  static const char kHba[] =
      "# Written by Rehearse for this cluster only: passwords, on the socket only.\n"
      "local all all scram-sha-256\n";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return IoFailure("cannot create", path);
  const size_t size = sizeof(kHba) - 1;
  const bool written = write(fd, kHba, size) == static_cast<ssize_t>(size);
  const bool owned = !user.is_other_user || fchown(fd, user.uid, user.gid) == 0;
  Status status = written && owned ? Status::OK() : IoFailure("cannot write", path);
  if (close(fd) < 0 && status.ok()) status = IoFailure("cannot close", path);
  return status;
}

}  // namespace rehearse
