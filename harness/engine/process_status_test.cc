#include "harness/engine/process_status.h"

#include <sys/wait.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace rehearse {
namespace {

TEST(ProcessStatusTest, ThisProcessHasAStartTimeAndIsRunning) {
  uint64_t first = 0, second = 0;
  ASSERT_TRUE(ReadProcessStartTime(getpid(), &first));
  ASSERT_TRUE(ReadProcessStartTime(getpid(), &second));
  EXPECT_EQ(first, second);
  EXPECT_TRUE(ProcessIsRunning(getpid()));
}

TEST(ProcessStatusTest, ZombieCountsAsNoLongerRunning) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  siginfo_t info;
  // Wait for the exit without reaping: the child stays a zombie.
  ASSERT_EQ(waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT), 0);
  uint64_t start_time = 0;
  EXPECT_TRUE(ReadProcessStartTime(child, &start_time));
  EXPECT_FALSE(ProcessIsRunning(child));
  waitpid(child, nullptr, 0);
  EXPECT_FALSE(ReadProcessStartTime(child, &start_time));
}

TEST(ProcessStatusTest, ProcessThatIsNotPostgresIsNeverTakenForAPostmaster) {
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
  EXPECT_FALSE(IsPostmasterOf(getpid(), cwd));
}

TEST(ProcessStatusTest, MissingPostmasterPidFileGivesNoPid) {
  EXPECT_EQ(ReadPostmasterPid("/nonexistent/data"), -1);
}

}  // namespace
}  // namespace rehearse
