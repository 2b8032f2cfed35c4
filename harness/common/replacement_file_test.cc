// ReplacementFile on the real file system: the target changes only at
// Commit, and a file never committed — forgotten, failed, or its process
// killed with SIGKILL — leaves the folder exactly as it was.
#include "harness/common/replacement_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/common/remove_tree.h"

namespace rehearse {
namespace {

namespace fs = std::filesystem;

class ReplacementFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rehearse-replacement-" + std::to_string(getpid()));
    RemoveTree(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { EXPECT_TRUE(RemoveTree(dir_)); }

  std::set<std::string> Entries() const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.insert(e.path().filename().string());
    return names;
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
};

TEST_F(ReplacementFileTest, TargetChangesOnlyAtCommit) {
  std::ofstream(dir_ / "out.sql") << "old";
  const std::string target = (dir_ / "out.sql").string();
  ReplacementFile f;
  ASSERT_TRUE(f.Open(target).ok());
  ASSERT_TRUE(f.Write("new ").ok());
  ASSERT_TRUE(f.Write("content").ok());
  EXPECT_EQ(Read("out.sql"), "old");
  EXPECT_EQ(Entries(), std::set<std::string>{"out.sql"});  // nothing named yet
  Status s = f.Commit();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Read("out.sql"), "new content");
  EXPECT_EQ(Entries(), std::set<std::string>{"out.sql"});
}

TEST_F(ReplacementFileTest, CommitMakesAFileThatDidNotExist) {
  ReplacementFile f;
  ASSERT_TRUE(f.Open((dir_ / "fresh.db").string()).ok());
  ASSERT_TRUE(f.Write("x").ok());
  ASSERT_TRUE(f.Commit().ok());
  EXPECT_EQ(Read("fresh.db"), "x");
}

TEST_F(ReplacementFileTest, AFileNeverCommittedLeavesNothing) {
  std::ofstream(dir_ / "keep") << "kept";
  {
    ReplacementFile f;
    ASSERT_TRUE(f.Open((dir_ / "keep").string()).ok());
    ASSERT_TRUE(f.Write("lost").ok());
  }
  EXPECT_EQ(Entries(), std::set<std::string>{"keep"});
  EXPECT_EQ(Read("keep"), "kept");
}

TEST_F(ReplacementFileTest, SigkillBeforeCommitLeavesNothing) {
  const std::string target = (dir_ / "out.db").string();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ReplacementFile f;
    if (!f.Open(target).ok() || !f.Write(std::string(1 << 20, 'x')).ok()) _exit(1);
    kill(getpid(), SIGKILL);  // no destructor, no handler
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  EXPECT_TRUE(Entries().empty());
}

TEST_F(ReplacementFileTest, CommitNewNeverReplacesAFile) {
  const std::string target = (dir_ / "artifact.json").string();
  ASSERT_TRUE(WriteNewFileAtomically(target, "first").ok());
  Status s = WriteNewFileAtomically(target, "second");
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << s.ToString();
  EXPECT_NE(s.ToString().find(target), std::string::npos) << s.ToString();
  EXPECT_EQ(Read("artifact.json"), "first");
  EXPECT_EQ(Entries(), std::set<std::string>{"artifact.json"});
  // Artifacts hold production values: owner-only by default.
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_TRUE(WriteFileAtomically(target, "third").ok());  // the replacing form does replace
  EXPECT_EQ(Read("artifact.json"), "third");
}

TEST_F(ReplacementFileTest, AFolderThatCannotTakeAFileIsAnErrorNamingIt) {
  ReplacementFile f;
  Status s = f.Open((dir_ / "missing" / "out.db").string());
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_NE(s.ToString().find((dir_ / "missing").string()), std::string::npos) << s.ToString();
  s = f.Open("/proc/rehearse-out.db");
  EXPECT_EQ(s.code(), Status::Code::kIoError) << s.ToString();
  EXPECT_TRUE(Entries().empty());
}

}  // namespace
}  // namespace rehearse
