#include "harness/engine/sqlite_file.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "harness/engine/directory_tree.h"

namespace rehearse {
namespace {

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// Runs `sql` on the database at `path`; returns the first column of the last row.
std::string RunSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string last;
  auto keep_last = [](void* out, int, char** values, char**) {
    *static_cast<std::string*>(out) = values[0] != nullptr ? values[0] : "NULL";
    return 0;
  };
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), keep_last, &last, &error), SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
  return last;
}

TEST(SqliteFileTest, CreateGivesAnEmptyDatabaseInAPrivateDirectory) {
  std::unique_ptr<SqliteFile> file;
  ASSERT_TRUE(SqliteFile::Create("scenario.db", &file).ok());
  struct stat st;
  ASSERT_EQ(stat(file->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 0);
  const std::string dir = file->path().substr(0, file->path().find_last_of('/'));
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  EXPECT_EQ(RunSql(file->path(), "SELECT count(*) FROM sqlite_master"), "0");
}

TEST(SqliteFileTest, CopyHasTheSourcesRowsAndIsIndependentOfIt) {
  std::unique_ptr<SqliteFile> source;
  ASSERT_TRUE(SqliteFile::Create("source.db", &source).ok());
  RunSql(source->path(),
         "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1), (1.0), ('1');");

  std::unique_ptr<SqliteFile> copy;
  Status copied = SqliteFile::CopyOf(source->path(), "copy.db", &copy);
  ASSERT_TRUE(copied.ok()) << copied.ToString();
  EXPECT_NE(copy->path(), source->path());
  EXPECT_EQ(RunSql(copy->path(), "SELECT group_concat(typeof(x)) FROM t"), "integer,real,text");

  RunSql(copy->path(), "DELETE FROM t");
  EXPECT_EQ(RunSql(source->path(), "SELECT count(*) FROM t"), "3");
}

TEST(SqliteFileTest, DestructionRemovesTheFileAndItsCompanions) {
  std::string path;
  {
    std::unique_ptr<SqliteFile> file;
    ASSERT_TRUE(SqliteFile::Create("wal.db", &file).ok());
    path = file->path();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x);", nullptr, nullptr, nullptr),
        SQLITE_OK);
    EXPECT_TRUE(Exists(path + "-wal"));
    sqlite3_close(db);
  }
  EXPECT_FALSE(Exists(path));
  EXPECT_FALSE(Exists(path + "-wal"));
  EXPECT_FALSE(Exists(path + "-shm"));
  EXPECT_FALSE(Exists(path.substr(0, path.find_last_of('/'))));
}

TEST(SqliteFileTest, CopyOfAMissingFileIsNotFound) {
  std::unique_ptr<SqliteFile> copy;
  EXPECT_EQ(SqliteFile::CopyOf("/nonexistent/source.db", "copy.db", &copy).code(),
            Status::Code::kNotFound);
  EXPECT_EQ(copy, nullptr);
}

TEST(SqliteFileTest, NameWithASlashIsRejected) {
  std::unique_ptr<SqliteFile> file;
  EXPECT_EQ(SqliteFile::Create("../escape.db", &file).code(), Status::Code::kInvalidInput);
}

TEST(SqliteFileTest, KeptFileSurvivesDestructionOutsideTheRunDirectory) {
  std::string kept_dir;
  {
    std::unique_ptr<SqliteFile> file;
    ASSERT_TRUE(SqliteFile::Create("kept.db", &file).ok());
    RunSql(file->path(), "CREATE TABLE t(x)");
    file->Keep();
    kept_dir = file->kept_dir();
  }
  ASSERT_FALSE(kept_dir.empty());
  EXPECT_EQ(RunSql(kept_dir + "/kept.db", "SELECT count(*) FROM sqlite_master"), "1");
  RemoveDirectoryTree(kept_dir);
}

}  // namespace
}  // namespace rehearse
