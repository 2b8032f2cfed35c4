#include "harness/engine/run_directory.h"

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "gtest/gtest.h"
#include "harness/engine/directory_tree.h"
#include "harness/engine/postgres_cluster.h"
#include "harness/engine/process_status.h"
#include "harness/engine/subprocess.h"

namespace rehearse {
namespace {

using std::chrono::milliseconds;

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// Polls `done` for up to `limit`; true once it holds.
template <typename Condition>
bool Eventually(Condition done, milliseconds limit = milliseconds(10000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

// A pid that belonged to a process that has exited and been reaped.
pid_t DeadPid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

std::string Root() {
  RunDirectory* run = nullptr;
  EXPECT_TRUE(RunDirectory::Get(&run).ok());
  return run->root();
}

TEST(RunDirectoryTest, EveryCallGivesTheSameTraversableDirectory) {
  RunDirectory* first = nullptr;
  RunDirectory* second = nullptr;
  ASSERT_TRUE(RunDirectory::Get(&first).ok());
  ASSERT_TRUE(RunDirectory::Get(&second).ok());
  EXPECT_EQ(first, second);
  EXPECT_EQ(first->path().rfind(first->root() + "/run-" + std::to_string(getpid()) + "-", 0), 0u);
  struct stat st;
  ASSERT_EQ(stat(first->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0711u);
  EXPECT_TRUE(ProcessIsRunning(first->watchdog_pid()));
}

TEST(RunDirectoryTest, PrivateSubdirectoryBelongsToItsOwnerAlone) {
  RunDirectory* run = nullptr;
  ASSERT_TRUE(RunDirectory::Get(&run).ok());
  std::string dir;
  ASSERT_TRUE(run->MakePrivateSubdir("test-", geteuid(), getegid(), &dir).ok());
  struct stat st;
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  EXPECT_EQ(st.st_uid, geteuid());
  std::string another;
  ASSERT_TRUE(run->MakePrivateSubdir("test-", geteuid(), getegid(), &another).ok());
  EXPECT_NE(dir, another);
  RemoveDirectoryTree(dir);
  RemoveDirectoryTree(another);
}

TEST(RunDirectoryTest, AKeptDirectoryNeverReplacesWhatIsThere) {
  RunDirectory* run = nullptr;
  ASSERT_TRUE(RunDirectory::Get(&run).ok());
  std::string dir, kept;
  ASSERT_TRUE(run->MakePrivateSubdir("keep-", geteuid(), getegid(), &dir).ok());
  const std::string target = run->KeptPathFor(dir);
  ASSERT_EQ(mkdir(target.c_str(), 0700), 0);  // an empty folder rename() would replace
  Status s = run->MoveOut(dir, &kept);
  EXPECT_EQ(s.code(), Status::Code::kInfrastructure) << s.ToString();
  EXPECT_TRUE(Exists(dir));
  EXPECT_TRUE(Exists(target));
  RemoveDirectoryTree(target);
  ASSERT_TRUE(run->MoveOut(dir, &kept).ok());
  EXPECT_EQ(kept, target);
  RemoveDirectoryTree(kept);
}

TEST(RunDirectoryTest, PlanBaseReportsWhereTheRunGoesAndItsFreeSpace) {
  std::string base;
  uint64_t free_bytes = 0;
  ASSERT_TRUE(RunDirectory::PlanBase(1, &base, &free_bytes).ok());
  RunDirectory* run = nullptr;
  ASSERT_TRUE(RunDirectory::Get(&run).ok());
  EXPECT_EQ(run->root().rfind(base + "/rehearse-", 0), 0u) << base << " vs " << run->root();
  EXPECT_GT(free_bytes, 0u);
}

TEST(RunDirectoryTest, ACopyNeedsRoomForItselfAndItsSnapshots) {
  constexpr uint64_t kMiB = 1 << 20;
  EXPECT_TRUE(RunDirectory::RoomForCopy("/run", 2 * 40 * kMiB + RunDirectory::kCopySlackBytes,
                                        40 * kMiB, "cloning a")
                  .ok());
  Status short_of_room = RunDirectory::RoomForCopy(
      "/run", 2 * 40 * kMiB + RunDirectory::kCopySlackBytes - 1, 40 * kMiB, "cloning a into b");
  EXPECT_EQ(short_of_room.code(), Status::Code::kInfrastructure);
  for (const char* part : {"/run", "cloning a into b (40 MiB)", "needs about 96 MiB", "TMPDIR"})
    EXPECT_NE(short_of_room.message().find(part), std::string::npos) << short_of_room.message();
  EXPECT_EQ(RunDirectory::RoomForCopy("/run", UINT64_MAX - 1, UINT64_MAX, "x").code(),
            Status::Code::kInfrastructure);
}

TEST(RunDirectoryTest, TheRunDirectoryHasRoomForASmallCopyAndNotForAnExabyte) {
  RunDirectory* run = nullptr;
  ASSERT_TRUE(RunDirectory::Get(&run).ok());
  EXPECT_TRUE(RunDirectory::CheckRoomForCopy(run->path(), 1ull << 20, "a small copy").ok());
  EXPECT_EQ(RunDirectory::CheckRoomForCopy(run->path(), 1ull << 60, "an exabyte").code(),
            Status::Code::kInfrastructure);
}

TEST(RunDirectoryTest, ARunThatDoesNotFitInDevShmGoesToDisk) {
  struct statvfs shm, disk;
  if (access("/dev/shm", W_OK | X_OK) != 0 || statvfs("/dev/shm", &shm) != 0 ||
      statvfs(RunDirectory::kDiskBase, &disk) != 0)
    GTEST_SKIP() << "no /dev/shm or " << RunDirectory::kDiskBase;
  const uint64_t shm_free = static_cast<uint64_t>(shm.f_bavail) * shm.f_frsize;
  const uint64_t disk_free = static_cast<uint64_t>(disk.f_bavail) * disk.f_frsize;
  if (disk_free <= shm_free + (64u << 20)) GTEST_SKIP() << "the disk has no more room than RAM";
  // In a child: the choice is the process's, made before its first Get().
  pid_t pid = fork();
  if (pid == 0) {
    unsetenv("TMPDIR");
    std::string small_base, large_base;
    uint64_t room = 0;
    if (!RunDirectory::PlanBase(1 << 20, &small_base, &room).ok()) _exit(10);
    if (small_base != "/dev/shm") _exit(11);
    if (!RunDirectory::PlanBase(shm_free + (32u << 20), &large_base, &room).ok()) _exit(12);
    _exit(large_base == RunDirectory::kDiskBase ? 0 : 13);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(RunDirectoryTest, ReaperRemovesTheRunDirectoryOfADeadProcess) {
  const std::string stale = Root() + "/run-" + std::to_string(DeadPid()) + "-12345";
  ASSERT_EQ(mkdir(stale.c_str(), 0711), 0);
  ASSERT_EQ(mkdir((stale + "/pg-1").c_str(), 0700), 0);
  ASSERT_EQ(mkdir((stale + "/pg-1/data").c_str(), 0700), 0);
  // A postmaster.pid naming a live process that is not its postmaster (us):
  // the reaper must not signal it.
  std::ofstream(stale + "/pg-1/data/postmaster.pid") << getpid() << "\n";

  // Another test process's reaper may get there first: judge the outcome.
  RunDirectory::ReapStaleRunDirectories(Root());
  EXPECT_FALSE(Exists(stale));
}

TEST(RunDirectoryTest, ReaperLeavesTheRunDirectoryOfALiveProcess) {
  pid_t sleeper = fork();
  if (sleeper == 0) {
    pause();
    _exit(0);
  }
  uint64_t start_time = 0;
  ASSERT_TRUE(ReadProcessStartTime(sleeper, &start_time));
  const std::string live =
      Root() + "/run-" + std::to_string(sleeper) + "-" + std::to_string(start_time);
  ASSERT_EQ(mkdir(live.c_str(), 0711), 0);

  RunDirectory::ReapStaleRunDirectories(Root());
  EXPECT_TRUE(Exists(live));

  kill(sleeper, SIGKILL);
  waitpid(sleeper, nullptr, 0);
  RunDirectory::ReapStaleRunDirectories(Root());
  EXPECT_FALSE(Exists(live));
}

TEST(RunDirectoryTest, ReaperStopsAServerLeftRunningInAStaleDirectory) {
  std::unique_ptr<PostgresCluster> cluster;
  Status booted = PostgresCluster::Boot({}, &cluster);
  ASSERT_TRUE(booted.ok()) << booted.ToString();
  // Make it look like the server of a harness that died without cleaning up.
  const std::string stale = Root() + "/run-" + std::to_string(DeadPid()) + "-1";
  ASSERT_EQ(mkdir(stale.c_str(), 0711), 0);
  ASSERT_EQ(rename(cluster->dir().c_str(), (stale + "/pg-1").c_str()), 0);

  RunDirectory::ReapStaleRunDirectories(Root());
  EXPECT_FALSE(ProcessIsRunning(cluster->server_pid()));
  EXPECT_FALSE(Exists(stale));
  EXPECT_TRUE(cluster->Stop().ok()) << "stopping what is already gone is fine";
}

TEST(RunDirectoryTest, ForkedChildGetsItsOwnRunDirectoryWhichGoesWhenItExits) {
  RunDirectory* parent_run = nullptr;
  ASSERT_TRUE(RunDirectory::Get(&parent_run).ok());
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  pid_t child = fork();
  if (child == 0) {
    close(report[0]);
    RunDirectory* run = nullptr;
    std::string path = RunDirectory::Get(&run).ok() ? run->path() : "error";
    ssize_t ignored = write(report[1], path.data(), path.size());
    (void)ignored;
    _exit(0);  // no exit hooks: the watchdog alone must clean up
  }
  close(report[1]);
  char buffer[512] = {};
  ssize_t n = read(report[0], buffer, sizeof(buffer) - 1);
  close(report[0]);
  ASSERT_GT(n, 0);
  const std::string child_path(buffer, static_cast<size_t>(n));
  waitpid(child, nullptr, 0);
  EXPECT_NE(child_path, parent_run->path());
  EXPECT_TRUE(Eventually([&] { return !Exists(child_path); })) << child_path;
  EXPECT_TRUE(Exists(parent_run->path()));
}

// A child harness: boots a cluster, reports it, then waits to be killed.
struct ChildHarness {
  pid_t pid = -1;
  pid_t server_pid = -1;
  pid_t watchdog_pid = -1;
  std::string run_dir;
  std::string cluster_dir;
};

::testing::AssertionResult StartChildHarness(ChildHarness* child) {
  int report[2];
  if (pipe(report) != 0) return ::testing::AssertionFailure() << "pipe";
  child->pid = fork();
  if (child->pid == 0) {
    close(report[0]);
    std::unique_ptr<PostgresCluster> cluster;
    Status booted = PostgresCluster::Boot({}, &cluster);
    RunDirectory* run = nullptr;
    std::ostringstream line;
    if (booted.ok() && RunDirectory::Get(&run).ok()) {
      line << cluster->server_pid() << " " << run->watchdog_pid() << " " << run->path() << " "
           << cluster->dir();
    } else {
      line << "error " << booted.ToString();
    }
    const std::string text = line.str();
    ssize_t ignored = write(report[1], text.data(), text.size());
    (void)ignored;
    close(report[1]);
    for (;;) pause();
  }
  close(report[1]);
  std::string text;
  char buffer[1024];
  pollfd fd{report[0], POLLIN, 0};
  while (poll(&fd, 1, 60000) > 0) {
    ssize_t n = read(report[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  close(report[0]);
  std::istringstream in(text);
  if (!(in >> child->server_pid >> child->watchdog_pid >> child->run_dir >> child->cluster_dir)) {
    return ::testing::AssertionFailure() << "child harness failed: " << text;
  }
  return ::testing::AssertionSuccess();
}

class HarnessKilledTest : public ::testing::TestWithParam<int> {};

TEST_P(HarnessKilledTest, LeavesNoServerAndNoDirectoryBehind) {
  struct sigaction current;
  sigaction(GetParam(), nullptr, &current);
  if (current.sa_handler == SIG_IGN) GTEST_SKIP() << "the signal is ignored in this process";
  ChildHarness child;
  ASSERT_TRUE(StartChildHarness(&child));
  ASSERT_TRUE(ProcessIsRunning(child.server_pid));
  ASSERT_TRUE(Exists(child.cluster_dir + "/data/postmaster.pid"));

  ASSERT_EQ(kill(child.pid, GetParam()), 0);
  int wait_status = 0;
  Status waited = WaitForExit(child.pid, milliseconds(10000), &wait_status);
  if (!waited.ok()) kill(child.pid, SIGKILL);
  ASSERT_TRUE(waited.ok()) << "the signal did not end the harness";
  // SIGTERM's handler re-raises it: the harness still dies of that signal.
  ASSERT_TRUE(WIFSIGNALED(wait_status));
  EXPECT_EQ(WTERMSIG(wait_status), GetParam());

  EXPECT_TRUE(Eventually([&] { return !ProcessIsRunning(child.server_pid); }))
      << "postmaster " << child.server_pid << " still running";
  EXPECT_TRUE(Eventually([&] { return !Exists(child.run_dir); })) << child.run_dir;
  EXPECT_TRUE(Eventually([&] { return !ProcessIsRunning(child.watchdog_pid); }));
}

INSTANTIATE_TEST_SUITE_P(BySignal, HarnessKilledTest, ::testing::Values(SIGKILL, SIGTERM, SIGINT),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(sigabbrev_np(info.param));
                         });

}  // namespace
}  // namespace rehearse
