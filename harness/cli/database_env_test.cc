// --use-env: the dotenv reader, the order of the files and the environment,
// and that `rehearse snapshot` / `migrate` use the URL without printing its
// password.
#include "harness/cli/database_env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "harness/cli/command_run_test_util.h"

namespace rehearse {
namespace {

TEST(DotenvTest, Syntax) {
  auto env = ParseDotenv(
      "# comment\n"
      "\n"
      "A=plain value  # trailing comment\n"
      "export B = 'single # not a comment'\n"
      "C=\"double \\\"quoted\\\"\\nline\"\n"
      "not a pair\n"
      "D=\n"
      "A=second wins not\n"
      "E=postgresql://u:p#w@h/db\n");
  EXPECT_EQ(env["A"], "plain value");
  EXPECT_EQ(env["B"], "single # not a comment");
  EXPECT_EQ(env["C"], "double \"quoted\"\nline");
  EXPECT_EQ(env["D"], "");
  EXPECT_EQ(env["E"], "postgresql://u:p#w@h/db");  // '#' without a space before is data
  EXPECT_EQ(env.count("not a pair"), 0u);
}

class DatabaseEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rehearse-env-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    unsetenv("DIRECT_URL");
    unsetenv("DATABASE_URL");
  }
  void TearDown() override {
    unsetenv("DIRECT_URL");
    unsetenv("DATABASE_URL");
    std::filesystem::remove_all(dir_);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  std::string dir_;
};

TEST_F(DatabaseEnvTest, DirectUrlThenDatabaseUrlLocalFileFirstEnvironmentWins) {
  EnvDatabase db;
  EXPECT_EQ(DatabaseFromEnvironment(dir_, &db).code(), Status::Code::kInvalidInput);
  Write(".env", "DATABASE_URL=postgresql://app:secret@env/db\n");
  ASSERT_TRUE(DatabaseFromEnvironment(dir_, &db).ok());
  EXPECT_EQ(db.target, "postgresql://app:secret@env/db");
  EXPECT_EQ(db.source, "DATABASE_URL from .env");
  Write(".env.local", "DATABASE_URL=postgresql://app:secret@local/db\n");
  ASSERT_TRUE(DatabaseFromEnvironment(dir_, &db).ok());
  EXPECT_EQ(db.source, "DATABASE_URL from .env.local");
  setenv("DATABASE_URL", "postgresql://real/db", 1);
  ASSERT_TRUE(DatabaseFromEnvironment(dir_, &db).ok());
  EXPECT_EQ(db.source, "DATABASE_URL from the environment");
  // DIRECT_URL first, from wherever it is set.
  Write(".env", "DIRECT_URL=file:./staging.db\n");
  ASSERT_TRUE(DatabaseFromEnvironment(dir_, &db).ok());
  EXPECT_EQ(db.source, "DIRECT_URL from .env");
  EXPECT_EQ(db.dialect, Dialect::kSqlite);
  EXPECT_EQ(db.target, "./staging.db");
}

TEST_F(DatabaseEnvTest, SnapshotUsesTheUrlAndNeverPrintsThePassword) {
  // A SQLite staging file named by DATABASE_URL.
  Write("staging.db", "");
  RunCommandLine("cd " + dir_ + " && sqlite3 staging.db 'CREATE TABLE t (id INTEGER PRIMARY KEY);" +
                 " INSERT INTO t VALUES (1);'");
  Write(".env", "DATABASE_URL=\"file:staging.db\"\n");
  CommandRun r = RunCommandLine("cd " + dir_ + " && env -u DIRECT_URL -u DATABASE_URL " +
                                REHEARSE_BINARY + " snapshot --use-env");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("DATABASE_URL from .env"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("snapshot of staging.db"), std::string::npos) << r.output;
  // A PostgreSQL URL nobody listens at: exit 2 or 3, the password redacted.
  Write(".env.local", "DIRECT_URL=postgresql://app:hunter2@127.0.0.1:9/staging\n");
  r = RunCommandLine("cd " + dir_ + " && env -u DIRECT_URL -u DATABASE_URL " + REHEARSE_BINARY +
                     " snapshot --use-env");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("hunter2"), std::string::npos) << r.output;
  r = RunCommandLine("cd " + dir_ + " && env -u DIRECT_URL -u DATABASE_URL " + REHEARSE_BINARY +
                     " migrate 0001 --dry-run --use-env --migrations " + dir_);
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("hunter2"), std::string::npos) << r.output;
  // Both at once is a usage error.
  r = RunCommandLine("cd " + dir_ + " && " + REHEARSE_BINARY +
                     " snapshot --use-env --database x.db");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

}  // namespace
}  // namespace rehearse
