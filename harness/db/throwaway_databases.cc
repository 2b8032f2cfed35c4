#include "harness/db/throwaway_databases.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "harness/common/remove_tree.h"
#include "harness/engine/run_directory.h"

namespace rehearse {

ThrowawayDatabases::ThrowawayDatabases(PostgresClusterOptions options)
    : options_(std::move(options)) {}

ThrowawayDatabases::~ThrowawayDatabases() {
  if (keep_) return;
  for (const std::string& dir : scratch_) RemoveTree(dir);
}

void ThrowawayDatabases::ReleaseScratchDir(const std::string& dir) {
  auto it = std::find(scratch_.begin(), scratch_.end(), dir);
  if (it == scratch_.end()) return;
  scratch_.erase(it);
  if (!keep_) RemoveTree(dir);
}

void ThrowawayDatabases::KeepAll() {
  keep_ = true;
  if (cluster_) cluster_->Keep();
  for (auto& f : files_) f->Keep();
}

std::vector<std::string> ThrowawayDatabases::kept() const {
  std::vector<std::string> out;
  if (!keep_) return out;
  if (cluster_) {
    out.push_back("postgres cluster: " + cluster_->kept_dir() +
                  " (restart as the server user: " + "postgres -D " + cluster_->kept_dir() +
                  "/data -k " + cluster_->kept_dir() + " -c listen_addresses='')");
  }
  for (const Made& m : made_) {
    std::string from = (m.what.empty() ? "" : m.what + "; ") +
                       (m.from.empty() ? "made empty" : "cloned from " + m.from);
    if (m.dialect == Dialect::kPostgres) {
      if (!cluster_) continue;
      out.push_back("postgres database " + m.name + " (" + from + "): psql \"host=" +
                    cluster_->kept_dir() + " user=rehearse dbname=" + m.name + "\"");
    } else {
      out.push_back("sqlite database " + m.name + " (" + from + "): sqlite3 " + m.file->kept_dir() +
                    "/" + m.name + ".db");
    }
  }
  return out;
}

void ThrowawayDatabases::DescribeLast(std::string what) {
  if (!made_.empty()) made_.back().what = std::move(what);
}

Status ThrowawayDatabases::Cluster(PostgresCluster** cluster) {
  if (!cluster_) {
    REHEARSE_RETURN_IF_ERROR(PostgresCluster::Boot(options_, &cluster_));
    if (keep_) cluster_->Keep();
  }
  *cluster = cluster_.get();
  return Status::OK();
}

Status ThrowawayDatabases::ConnectAs(const std::string& name, Role role,
                                     std::unique_ptr<Database>* db) {
  if (!cluster_) return Status::InvalidInput("no PostgreSQL database \"" + name + "\" was made");
  return OpenPostgres(role == Role::kOwner ? cluster_->OwnerConnectionString(name)
                                           : cluster_->ConnectionString(name),
                      db);
}

Status ThrowawayDatabases::ConnectForMigrations(Database* db, const std::string& name,
                                                bool privileged, MigrationConnections* out) {
  *out = MigrationConnections();
  if (db->dialect() != Dialect::kPostgres) {
    out->db = db;
    return Status::OK();
  }
  REHEARSE_RETURN_IF_ERROR(ConnectAs(name, Role::kOwner, &out->owned_db));
  out->db = out->owned_db.get();
  if (privileged) {
    REHEARSE_RETURN_IF_ERROR(ConnectAs(name, Role::kSuperuser, &out->owned_privileged));
    out->privileged = out->owned_privileged.get();
  }
  return Status::OK();
}

Status ThrowawayDatabases::DropAllBut(const std::vector<std::string>& live) {
  if (keep_ || made_.size() <= kMaxRetained) return Status::OK();
  for (auto it = made_.begin(); it != made_.end();) {
    const bool postgres = it->dialect == Dialect::kPostgres;
    const std::string name = postgres ? it->name : it->file->path();
    if (std::find(live.begin(), live.end(), name) != live.end()) {
      ++it;
      continue;
    }
    if (postgres && cluster_) {
      REHEARSE_RETURN_IF_ERROR(cluster_->DropDatabase(it->name));
    } else if (!postgres) {
      const SqliteFile* file = it->file;
      files_.erase(
          std::remove_if(files_.begin(), files_.end(),
                         [&](const std::unique_ptr<SqliteFile>& f) { return f.get() == file; }),
          files_.end());
    }
    it = made_.erase(it);
  }
  return Status::OK();
}

Status ThrowawayDatabases::ScratchDir(const std::string& prefix, std::string* dir) {
  RunDirectory* run;
  REHEARSE_RETURN_IF_ERROR(RunDirectory::Get(&run));
  REHEARSE_RETURN_IF_ERROR(run->MakePrivateSubdir(prefix, geteuid(), getegid(), dir));
  scratch_.push_back(*dir);
  return Status::OK();
}

Status ThrowawayDatabases::Create(Dialect dialect, std::unique_ptr<Database>* db,
                                  std::string* location, const std::string& template_name,
                                  std::string* name_out) {
  const std::string name = "rehearse_" + std::to_string(next_id_++);
  std::string where;
  if (dialect == Dialect::kPostgres) {
    PostgresCluster* cluster;
    REHEARSE_RETURN_IF_ERROR(Cluster(&cluster));
    REHEARSE_RETURN_IF_ERROR(
        cluster->CreateDatabase(name, template_name.empty() ? "template0" : template_name));
    where = cluster->ConnectionString(name);
    REHEARSE_RETURN_IF_ERROR(OpenPostgres(where, db));
  } else {
    std::unique_ptr<SqliteFile> file;
    REHEARSE_RETURN_IF_ERROR(template_name.empty()
                                 ? SqliteFile::Create(name + ".db", &file)
                                 : SqliteFile::CopyOf(template_name, name + ".db", &file));
    where = file->path();
    if (keep_) file->Keep();
    REHEARSE_RETURN_IF_ERROR(OpenSqlite(where, db, /*throwaway=*/true));
    if (!sqlite_foreign_keys_)
      REHEARSE_RETURN_IF_ERROR((*db)->Execute("PRAGMA foreign_keys = OFF", {}, nullptr));
    files_.push_back(std::move(file));
  }
  std::string from = template_name;
  if (dialect == Dialect::kSqlite && !from.empty())
    from = std::filesystem::path(from).stem().string();
  made_.push_back(
      {dialect, name, from, dialect == Dialect::kSqlite ? files_.back().get() : nullptr, ""});
  if (location) *location = where;
  if (name_out) *name_out = dialect == Dialect::kPostgres ? name : where;
  return Status::OK();
}

}  // namespace rehearse
