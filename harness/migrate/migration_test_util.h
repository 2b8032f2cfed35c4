// Test helpers for harness/migrate: a scratch folder that tests fill with
// small migration folders, removed when the test ends. Header-only and used by
// *_test.cc files only (the core library globs .cc files).
#ifndef REHEARSE_MIGRATE_MIGRATION_TEST_UTIL_H_
#define REHEARSE_MIGRATE_MIGRATION_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/migration_version.h"

namespace rehearse {

class ScratchFolder {
 public:
  ScratchFolder() {
    static int counter = 0;
    path_ = ::testing::TempDir() + "/migrate-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter++);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& relative) const { return path_ + "/" + relative; }

  // Writes `contents` to path()/relative, creating folders on the way.
  void Write(const std::string& relative, const std::string& contents) const {
    std::string full = *this / relative;
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream out(full, std::ios::binary | std::ios::trunc);
    out << contents;
  }
  void Mkdir(const std::string& relative) const {
    std::filesystem::create_directories(*this / relative);
  }
  void Remove(const std::string& relative) const { std::filesystem::remove_all(*this / relative); }

  // A migration folder with generic up.sql and down.sql.
  void Migration(const std::string& folder, const std::string& up, const std::string& down) const {
    Write(folder + "/up.sql", up);
    Write(folder + "/down.sql", down);
  }

 private:
  std::string path_;
};

// The version `text` (digits); fails the test otherwise.
inline MigrationVersion V(const char* text) {
  MigrationVersion v;
  EXPECT_TRUE(MigrationVersion::Parse(text, &v).ok());
  return v;
}

// Loads `dir` with FolderMigrationSource; fails the test on error.
inline std::vector<Migration> LoadOrDie(const std::string& dir) {
  FolderMigrationSource source(dir);
  std::vector<Migration> out;
  Status s = source.Load(&out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATION_TEST_UTIL_H_
