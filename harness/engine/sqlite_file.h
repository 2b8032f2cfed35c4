// SqliteFile: a throwaway SQLite database file in a private (0700)
// subdirectory of this process's RunDirectory.
//
// Contract:
// - Create() and CopyOf() return OK and set *out; the caller owns *out.
//   Create() makes an empty file (a valid, empty database). CopyOf() copies
//   a database with SQLite's online backup API, which gives a consistent
//   copy even of a database in WAL mode or in use, instead of rebuilding it.
//   CopyOf() returns kNotFound if `source_path` does not exist,
//   kInfrastructure if SQLite cannot read or write (a full run directory);
//   `name` must be a plain file name (kInvalidInput otherwise).
// - Destruction removes the file, its -wal, -shm and -journal companions,
//   and its subdirectory. Close every connection to it first.
// - Keep() moves the file's subdirectory out of the run directory at
//   destruction instead, to kept_dir(), for inspection (`--keep`).
#ifndef REHEARSE_ENGINE_SQLITE_FILE_H_
#define REHEARSE_ENGINE_SQLITE_FILE_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "harness/common/status.h"

namespace rehearse {

class SqliteFile {
 public:
  static Status Create(const std::string& name, std::unique_ptr<SqliteFile>* out);
  static Status CopyOf(const std::string& source_path, const std::string& name,
                       std::unique_ptr<SqliteFile>* out);

  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;
  ~SqliteFile();

  // <run dir>/sqlite-<n>/<name>
  const std::string& path() const { return path_; }

  void Keep();
  // After Keep(): the directory the file will be in once this is destroyed.
  const std::string& kept_dir() const { return kept_dir_; }

 private:
  SqliteFile() = default;
  static Status MakeDirectory(const std::string& name, std::unique_ptr<SqliteFile>* out);

  pid_t owner_pid_ = -1;  // a forked copy leaves the file alone
  std::string dir_;
  std::string path_;
  bool keep_ = false;
  std::string kept_dir_;
};

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_SQLITE_FILE_H_
