// The fixture of the `rehearse migrate` tests: the built binary run on a
// SQLite file in a private directory, and helpers to read what it printed.
#ifndef REHEARSE_CLI_MIGRATE_COMMAND_TEST_SUPPORT_H_
#define REHEARSE_CLI_MIGRATE_COMMAND_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "harness/cli/command_run_test_util.h"
#include "harness/common/remove_tree.h"
#include "harness/db/sql_script.h"
#include "migrations/code/migration_test_support.h"

#ifndef REHEARSE_BINARY
#error "needs REHEARSE_BINARY (set by harness/cli/CMakeLists.txt)"
#endif

namespace rehearse {
namespace migrate_command_test {

using namespace migration_test;
namespace fs = std::filesystem;

// `rehearse <command_line>`, stdout and stderr together.
inline CommandRun RunRehearse(const std::string& command_line) {
  return RunCommandLine(std::string(REHEARSE_BINARY) + " " + command_line);
}

inline CommandRun Rehearse(const std::string& args) { return RunRehearse("migrate " + args); }

inline bool Says(const CommandRun& r, const std::string& text) {
  return r.output.find(text) != std::string::npos;
}

// The path an apply printed after "rollback artifact: ".
inline std::string PrintedArtifact(const CommandRun& r) {
  const std::string label = "rollback artifact: ";
  const size_t at = r.output.find(label);
  if (at == std::string::npos) return "";
  const size_t begin = at + label.size();
  return r.output.substr(begin, r.output.find_first_of(" \n", begin) - begin);
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::set<std::string> FilesIn(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

class MigrateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rehearse-migrate-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    RemoveTree(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { EXPECT_TRUE(RemoveTree(dir_)) << dir_; }

  // A SQLite file as production has it before 0003: baseline, data, 0001-0002.
  void MakeDatabaseFile() {
    std::unique_ptr<Database> db;
    ASSERT_OK(OpenSqlite(File(), &db));
    Migrator migrator(db.get(), Databases::Get().migrations(),
                      Databases::Get().Options(MakeDatabaseIdentity(3, "cli")));
    MigrationReport ignored;
    ASSERT_OK(migrator.Up(MigrationRange::Through(Version("0000")), &ignored));
    FixtureStats stats;
    ASSERT_OK(GenerateFixture({3, 2, "default"}, db.get(), &stats));
    ASSERT_OK(migrator.UpBefore(Version("0003"), &ignored));
  }
  // A SQLite file at the baseline with the fixture of `seed`, written the way
  // a user makes one (`rehearse fixture --out`): it has no identity yet.
  void WriteFixtureFile(const std::string& path, int seed) {
    CommandRun r = RunRehearse("fixture --backend sqlite --scale 1 --seed " + std::to_string(seed) +
                               " --out " + path);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  std::string File() const { return (dir_ / "production.db").string(); }
  std::string Digest() const { return Digest(File()); }
  static std::string Digest(const std::string& file) {
    std::unique_ptr<Database> db;
    Snapshot snap;
    Status s = OpenSqlite(file, &db);
    if (s.ok()) s = Snapshot::Take(db.get(), {}, &snap);
    return s.ok() ? snap.digest().ToHex() : s.ToString();
  }
  std::string Busiest() const { return Busiest(File()); }
  static std::string Busiest(const std::string& file) {
    std::unique_ptr<Database> db;
    std::vector<Row> rows;
    EXPECT_TRUE(OpenSqlite(file, &db).ok());
    EXPECT_TRUE(Query(db.get(),
                      "SELECT s.workspace_id FROM follow_up_instances i JOIN follow_up_sequences s "
                      "ON s.id = i.sequence_id WHERE s.name = 'No Response Day 2/5/7' "
                      "GROUP BY s.workspace_id ORDER BY count(*) DESC, s.workspace_id LIMIT 1",
                      &rows)
                    .ok());
    return rows.empty() ? "" : rows[0][0].ToText();
  }

  fs::path dir_;
};

}  // namespace migrate_command_test
}  // namespace rehearse

#endif  // REHEARSE_CLI_MIGRATE_COMMAND_TEST_SUPPORT_H_
