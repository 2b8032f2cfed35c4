#include "harness/engine/sqlite_file.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/engine/directory_tree.h"
#include "harness/engine/run_directory.h"

namespace rehearse {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Closes a connection, even a half-opened one (sqlite3_open_v2 may return a
// handle on failure).
struct ConnectionCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

Status SqliteError(const std::string& what, sqlite3* db) {
  return Status::Infrastructure(what + ": " +
                                (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Status SqliteFile::MakeDirectory(const std::string& name, std::unique_ptr<SqliteFile>* out) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    return Status::InvalidInput("SQLite file name must be a plain file name, not \"" + name + "\"");
  }
  RunDirectory* run = nullptr;
  REHEARSE_RETURN_IF_ERROR(RunDirectory::Get(&run));
  std::unique_ptr<SqliteFile> file(new SqliteFile);
  REHEARSE_RETURN_IF_ERROR(run->MakePrivateSubdir("sqlite-", geteuid(), getegid(), &file->dir_));
  file->owner_pid_ = getpid();
  file->path_ = file->dir_ + "/" + name;
  *out = std::move(file);
  return Status::OK();
}

Status SqliteFile::Create(const std::string& name, std::unique_ptr<SqliteFile>* out) {
  out->reset();
  std::unique_ptr<SqliteFile> file;
  REHEARSE_RETURN_IF_ERROR(MakeDirectory(name, &file));
  int fd = open(file->path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status::Infrastructure("cannot create " + file->path_ + ": " + std::strerror(errno));
  close(fd);
  *out = std::move(file);
  return Status::OK();
}

Status SqliteFile::CopyOf(const std::string& source_path, const std::string& name,
                          std::unique_ptr<SqliteFile>* out) {
  out->reset();
  struct stat st;
  if (stat(source_path.c_str(), &st) < 0) {
    return Status::NotFound("SQLite database " + source_path + ": " + std::strerror(errno));
  }
  RunDirectory* run = nullptr;
  REHEARSE_RETURN_IF_ERROR(RunDirectory::Get(&run));
  REHEARSE_RETURN_IF_ERROR(RunDirectory::CheckRoomForCopy(
      run->path(), static_cast<uint64_t>(st.st_size), "copying " + source_path));
  std::unique_ptr<SqliteFile> file;
  REHEARSE_RETURN_IF_ERROR(MakeDirectory(name, &file));

  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(source_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Connection source(raw);
  if (rc != SQLITE_OK) return SqliteError("cannot open " + source_path, source.get());
  sqlite3_busy_timeout(source.get(), kBusyTimeoutMs);
  raw = nullptr;
  rc = sqlite3_open_v2(file->path_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       nullptr);
  Connection target(raw);
  if (rc != SQLITE_OK) return SqliteError("cannot create " + file->path_, target.get());

  sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
  if (backup == nullptr) return SqliteError("cannot back up " + source_path, target.get());
  // One step copies every page; BUSY/LOCKED only while a writer holds the source.
  for (int waited_ms = 0;; waited_ms += 5) {
    rc = sqlite3_backup_step(backup, -1);
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited_ms >= kBusyTimeoutMs) break;
    sqlite3_sleep(5);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return Status::Infrastructure("cannot copy " + source_path + " to " + file->path_ + ": " +
                                  sqlite3_errstr(rc));
  }
  *out = std::move(file);
  return Status::OK();
}

SqliteFile::~SqliteFile() {
  if (getpid() != owner_pid_ || dir_.empty()) return;
  RunDirectory* run = nullptr;
  if (keep_ && RunDirectory::Get(&run).ok() && run->MoveOut(dir_, &kept_dir_).ok()) return;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    unlink((path_ + suffix).c_str());
  }
  RemoveDirectoryTree(dir_);  // and anything else SQLite left (a -mj file)
}

void SqliteFile::Keep() {
  keep_ = true;
  RunDirectory* run = nullptr;
  if (RunDirectory::Get(&run).ok()) kept_dir_ = run->KeptPathFor(dir_);
}

}  // namespace rehearse
