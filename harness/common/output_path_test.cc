#include "harness/common/output_path.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/common/remove_tree.h"
#include "harness/common/replacement_file.h"

namespace rehearse {
namespace {

namespace fs = std::filesystem;

class OutputPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rehearse-output-path-" + std::to_string(getpid()));
    RemoveTree(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { RemoveTree(dir_); }
  std::string P(const char* name) const { return (dir_ / name).string(); }
  size_t Entries() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }
  fs::path dir_;
};

TEST_F(OutputPathTest, ANewPathOrARegularFileIsAccepted) {
  EXPECT_TRUE(CheckOutputPath("--out", P("new.db")).ok());
  std::ofstream(P("old.db")) << "x";
  EXPECT_TRUE(CheckOutputPath("--out", P("old.db")).ok());
  EXPECT_EQ(Entries(), 1u);  // the probe left nothing
}

TEST_F(OutputPathTest, AnythingElseIsRefusedNamingTheFlagAndWhatItIs) {
  fs::create_directory(P("dir"));
  ASSERT_EQ(mkfifo(P("fifo").c_str(), 0600), 0);
  std::ofstream(P("target")) << "x";
  fs::create_symlink(P("target"), P("link"));
  fs::create_symlink(P("nowhere"), P("dangling"));
  const std::pair<std::string, std::string> cases[] = {
      {P("dir"), "is a directory"},     {P("fifo"), "is a FIFO"},     {P("link"), "is a symlink"},
      {P("dangling"), "is a symlink"},  {"/dev/full", "is a device"}, {"/dev/null", "is a device"},
      {P("missing/x.json"), "--junit"}, {"", "empty file name"},
  };
  for (const auto& [path, why] : cases) {
    Status s = CheckOutputPath("--junit", path);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << path;
    EXPECT_EQ(s.ToString().rfind("--junit", 0), 0u) << s.ToString();
    EXPECT_NE(s.ToString().find(why), std::string::npos) << s.ToString();
  }
  EXPECT_EQ(fs::read_symlink(P("link")), P("target"));
}

TEST_F(OutputPathTest, CommitNeverReplacesWhatIsNotARegularFile) {
  std::ofstream(P("target")) << "keep";
  fs::create_symlink(P("target"), P("link"));
  ASSERT_EQ(mkfifo(P("fifo").c_str(), 0600), 0);
  for (const std::string& path : {P("link"), P("fifo")}) {
    Status s = WriteFileAtomically(path, "new");
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << path;
  }
  EXPECT_TRUE(fs::is_symlink(P("link")));
  EXPECT_TRUE(fs::is_fifo(P("fifo")));
  std::ifstream in(P("target"));
  std::string text;
  in >> text;
  EXPECT_EQ(text, "keep");
  EXPECT_EQ(Entries(), 3u);  // nothing left beside them
}

}  // namespace
}  // namespace rehearse
