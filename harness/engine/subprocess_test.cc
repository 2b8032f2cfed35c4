#include "harness/engine/subprocess.h"

#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "gtest/gtest.h"
#include "harness/engine/process_status.h"

namespace rehearse {
namespace {

using std::chrono::milliseconds;

SubprocessOptions Shell(const std::string& script) {
  SubprocessOptions options;
  options.argv = {"/bin/sh", "-c", script};
  options.stdout_target = OutputTarget::Capture();
  options.stderr_target = OutputTarget::Capture();
  return options;
}

TEST(SubprocessTest, RunToCompletionCapturesOutputAndExitStatus) {
  SubprocessResult result;
  ASSERT_TRUE(RunToCompletion(Shell("echo out; echo err >&2; exit 3"), &result).ok());
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.term_signal, 0);
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(result.stdout_text, "out\n");
  EXPECT_EQ(result.stderr_text, "err\n");
  EXPECT_EQ(result.Describe(), "exited with status 3");
}

TEST(SubprocessTest, ChildGetsTheGivenEnvironmentAndDirectory) {
  SubprocessOptions options = Shell("echo \"$ONLY\"; pwd; env | wc -l");
  options.env = std::vector<std::string>{"ONLY=this"};
  options.working_dir = "/";
  SubprocessResult result;
  ASSERT_TRUE(RunToCompletion(options, &result).ok());
  EXPECT_EQ(result.stdout_text.substr(0, result.stdout_text.find('\n')), "this");
  EXPECT_NE(result.stdout_text.find("\n/\n"), std::string::npos) << result.stdout_text;
}

TEST(SubprocessTest, ProgramThatCannotBeExecutedIsAnInfrastructureError) {
  SubprocessOptions options = Shell("");
  options.argv = {"/nonexistent/program"};
  SubprocessResult result;
  Status status = RunToCompletion(options, &result);
  EXPECT_EQ(status.code(), Status::Code::kInfrastructure);
  EXPECT_NE(status.message().find("exec"), std::string::npos) << status.message();
}

TEST(SubprocessTest, RelativeProgramPathIsRejected) {
  SubprocessOptions options = Shell("");
  options.argv = {"sh"};
  SubprocessResult result;
  EXPECT_EQ(RunToCompletion(options, &result).code(), Status::Code::kInvalidInput);
}

TEST(SubprocessTest, ChildRunningPastItsTimeoutIsKilled) {
  SubprocessOptions options = Shell("exec sleep 30");
  options.timeout = milliseconds(200);
  SubprocessResult result;
  Status status = RunToCompletion(options, &result);
  EXPECT_EQ(status.code(), Status::Code::kInfrastructure);
  EXPECT_EQ(result.term_signal, SIGKILL);  // killed, not waited for
}

TEST(SubprocessTest, RootCanRunAChildAsAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  struct passwd* nobody = getpwnam("nobody");
  if (nobody == nullptr) GTEST_SKIP() << "no user nobody";
  SubprocessOptions options = Shell("id -u; id -G");
  options.uid = nobody->pw_uid;
  options.gid = nobody->pw_gid;
  SubprocessResult result;
  ASSERT_TRUE(RunToCompletion(options, &result).ok());
  EXPECT_EQ(result.stdout_text,
            std::to_string(nobody->pw_uid) + "\n" + std::to_string(nobody->pw_gid) + "\n");
}

TEST(SubprocessTest, SpawnedChildIsReapedByWaitForExit) {
  SubprocessOptions options = Shell("exit 7");
  options.stdout_target = OutputTarget::Discard();
  options.stderr_target = OutputTarget::Discard();
  pid_t pid = -1;
  ASSERT_TRUE(Spawn(options, &pid).ok());
  int wait_status = 0;
  ASSERT_TRUE(WaitForExit(pid, milliseconds(5000), &wait_status).ok());
  EXPECT_EQ(DescribeWaitStatus(wait_status), "exited with status 7");
  EXPECT_EQ(WaitForExit(pid, milliseconds(10), nullptr).code(), Status::Code::kNotFound);
}

TEST(SubprocessTest, SpawnRefusesToCaptureOutput) {
  pid_t pid = -1;
  EXPECT_EQ(Spawn(Shell("true"), &pid).code(), Status::Code::kInvalidInput);
}

TEST(SubprocessTest, WaitForExitGivesUpOnAChildStillRunning) {
  SubprocessOptions options = Shell("exec sleep 30");
  options.stdout_target = OutputTarget::Discard();
  options.stderr_target = OutputTarget::Discard();
  pid_t pid = -1;
  ASSERT_TRUE(Spawn(options, &pid).ok());
  EXPECT_EQ(WaitForExit(pid, milliseconds(50), nullptr).code(), Status::Code::kInfrastructure);
  kill(pid, SIGKILL);
  EXPECT_TRUE(WaitForExit(pid, milliseconds(5000), nullptr).ok());
}

// Linux signals parent death when the forking *thread* exits; a server
// started from a worker thread must survive that thread.
TEST(SubprocessTest, ChildWithDeathSignalOutlivesTheThreadThatSpawnedIt) {
  pid_t pid = -1;
  std::thread worker([&pid] {
    SubprocessOptions options = Shell("exec sleep 30");
    options.stdout_target = OutputTarget::Discard();
    options.stderr_target = OutputTarget::Discard();
    options.parent_death_signal = SIGKILL;
    ASSERT_TRUE(Spawn(options, &pid).ok());
  });
  worker.join();
  ASSERT_GT(pid, 0);
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_TRUE(ProcessIsRunning(pid));
  kill(pid, SIGKILL);
  EXPECT_TRUE(WaitForExit(pid, milliseconds(5000), nullptr).ok());
}

TEST(SubprocessTest, ChildWithDeathSignalDiesWithItsParentProcess) {
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  pid_t parent = fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    SubprocessOptions options = Shell("exec sleep 30");
    options.stdout_target = OutputTarget::Discard();
    options.stderr_target = OutputTarget::Discard();
    options.parent_death_signal = SIGKILL;
    pid_t child = -1;
    if (!Spawn(options, &child).ok()) _exit(1);
    ssize_t ignored = write(report[1], &child, sizeof(child));
    (void)ignored;
    pause();
    _exit(0);
  }
  close(report[1]);
  pid_t grandchild = -1;
  ASSERT_EQ(read(report[0], &grandchild, sizeof(grandchild)), ssize_t(sizeof(grandchild)));
  close(report[0]);
  EXPECT_TRUE(ProcessIsRunning(grandchild));
  kill(parent, SIGKILL);
  waitpid(parent, nullptr, 0);
  for (int i = 0; i < 500 && ProcessIsRunning(grandchild); ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_FALSE(ProcessIsRunning(grandchild));
}

}  // namespace
}  // namespace rehearse
