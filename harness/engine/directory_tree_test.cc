#include "harness/engine/directory_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace rehearse {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path, std::ios::binary) << text;
  chmod(path.c_str(), mode);
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

class DirectoryTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/directory-tree-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    scratch_ = pattern;
  }
  void TearDown() override { RemoveDirectoryTree(scratch_); }

  std::string scratch_;
};

TEST_F(DirectoryTreeTest, CopyKeepsContentsModesLinksAndHoles) {
  const std::string from = scratch_ + "/from";
  ASSERT_EQ(mkdir(from.c_str(), 0750), 0);
  ASSERT_EQ(mkdir((from + "/sub").c_str(), 0700), 0);
  WriteFile(from + "/sub/file", "contents", 0640);
  ASSERT_EQ(symlink("sub/file", (from + "/link").c_str()), 0);
  // A file that is mostly zeros, with data after the zeros.
  std::string sparse(64 * 1024, '\0');
  sparse += "tail";
  WriteFile(from + "/sparse", sparse, 0600);
  ASSERT_TRUE(PunchHolesInZeroBlocks(from).ok());
  EXPECT_EQ(ReadFile(from + "/sparse"), sparse);

  const std::string to = scratch_ + "/to";
  Status copied = CopyDirectoryTree(from, to, std::nullopt);
  ASSERT_TRUE(copied.ok()) << copied.ToString();
  EXPECT_EQ(ReadFile(to + "/sub/file"), "contents");
  EXPECT_EQ(ReadFile(to + "/sparse"), sparse);
  struct stat st;
  ASSERT_EQ(stat((to + "/sub/file").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  ASSERT_EQ(stat(to.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  char target[64] = {};
  ASSERT_GT(readlink((to + "/link").c_str(), target, sizeof(target) - 1), 0);
  EXPECT_STREQ(target, "sub/file");
}

TEST_F(DirectoryTreeTest, CopyIntoAnExistingDirectoryFails) {
  EXPECT_EQ(CopyDirectoryTree(scratch_, scratch_, std::nullopt).code(),
            Status::Code::kInfrastructure);
}

TEST_F(DirectoryTreeTest, RemoveDeletesLinksButNeverWhatTheyPointAt) {
  const std::string outside = scratch_ + "/outside";
  ASSERT_EQ(mkdir(outside.c_str(), 0700), 0);
  WriteFile(outside + "/precious", "keep me", 0600);
  const std::string tree = scratch_ + "/tree";
  ASSERT_EQ(mkdir(tree.c_str(), 0700), 0);
  ASSERT_EQ(symlink(outside.c_str(), (tree + "/link").c_str()), 0);
  WriteFile(tree + "/file", "x", 0600);

  ASSERT_TRUE(RemoveDirectoryTree(tree).ok());
  EXPECT_FALSE(Exists(tree));
  EXPECT_EQ(ReadFile(outside + "/precious"), "keep me");
}

TEST_F(DirectoryTreeTest, RemovingSomethingMissingIsNotAnError) {
  EXPECT_TRUE(RemoveDirectoryTree(scratch_ + "/missing").ok());
  EXPECT_TRUE(RemoveDirectoryTree("/nonexistent-parent/missing").ok());
}

TEST_F(DirectoryTreeTest, RootCanGiveATreeAway) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  const std::string tree = scratch_ + "/tree";
  ASSERT_EQ(mkdir(tree.c_str(), 0700), 0);
  WriteFile(tree + "/file", "x", 0600);
  ASSERT_TRUE(ChangeTreeOwner(tree, TreeOwner{65534, 65534}).ok());
  struct stat st;
  ASSERT_EQ(stat((tree + "/file").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 65534u);
}

}  // namespace
}  // namespace rehearse
