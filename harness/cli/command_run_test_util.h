// Running the built `rehearse` binary from a test, as a user's shell would:
// stdout and stderr together, and the exit code (-1 when it did not exit).
#ifndef REHEARSE_CLI_COMMAND_RUN_TEST_UTIL_H_
#define REHEARSE_CLI_COMMAND_RUN_TEST_UTIL_H_

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace rehearse {

struct CommandRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// `command_line` through /bin/sh with 2>&1 appended.
inline CommandRun RunCommandLine(const std::string& command_line) {
  const std::string cmd = command_line + " 2>&1";
  CommandRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace rehearse

#endif  // REHEARSE_CLI_COMMAND_RUN_TEST_UTIL_H_
