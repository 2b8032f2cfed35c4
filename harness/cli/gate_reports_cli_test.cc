// The gate's review outputs from the command line: a bad path for any of
// them is exit 2 before anything boots; a failing folder gets annotations
// on stdout and every file written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "harness/cli/command_run_test_util.h"

namespace rehearse {
namespace {

const std::string kCases = std::string(REHEARSE_SOURCE_ROOT) + "/harness/runner/testdata";

TEST(GateReportsCliTest, BadOutputPathIsExitTwoBeforeAnythingBoots) {
  for (const char* flag : {"--summary-markdown", "--sarif", "--report-html"}) {
    for (const char* path : {"/dev/null", "/", "/no/such/folder/r"}) {
      CommandRun r = RunCommandLine(std::string(REHEARSE_BINARY) + " gate --migrations " + kCases +
                                    "/failing_up --backend sqlite " + flag + " " + path);
      EXPECT_EQ(r.exit_code, 2) << flag << " " << path << ": " << r.output;
      EXPECT_NE(r.output.find(flag), std::string::npos) << r.output;
      EXPECT_EQ(r.output.find("scenario(s)"), std::string::npos) << "booted: " << r.output;
    }
  }
  CommandRun r = RunCommandLine(std::string(REHEARSE_BINARY) + " gate --migrations " + kCases +
                                "/failing_up --annotations gitlab");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

TEST(GateReportsCliTest, FailingFolderAnnotatedAndReported) {
  const std::string dir =
      std::filesystem::temp_directory_path() / ("rehearse-reports-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy(kCases + "/failing_up", dir + "/db",
                        std::filesystem::copy_options::recursive);
  CommandRun r = RunCommandLine("cd " + dir + " && " + REHEARSE_BINARY +
                                " gate --migrations db --backend sqlite --annotations github "
                                "--summary-markdown s.md --sarif s.sarif --report-html s.html");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("\n::error file=db/0002_add_active/up.sql,line=1,title=rehearse "
                          "forward_applies failed on 0002_add_active [sqlite]::"),
            std::string::npos)
      << r.output;
  for (const char* f : {"s.md", "s.sarif", "s.html"})
    EXPECT_GT(std::filesystem::file_size(dir + "/" + f), 100u) << f;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rehearse
