#include "harness/db/user_database.h"

#include <sys/stat.h>

namespace rehearse {

Status CheckUserDatabase(Dialect dialect, const std::string& target) {
  if (dialect != Dialect::kSqlite) return Status::OK();
  struct stat st;
  if (stat(target.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return Status::InvalidInput("--database: no SQLite file at " + target);
  return Status::OK();
}

Status OpenUserDatabase(Dialect dialect, const std::string& target, std::unique_ptr<Database>* db) {
  REHEARSE_RETURN_IF_ERROR(CheckUserDatabase(dialect, target));
  return dialect == Dialect::kPostgres ? OpenPostgres(target, db) : OpenSqlite(target, db);
}

}  // namespace rehearse
