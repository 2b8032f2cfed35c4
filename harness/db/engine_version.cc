#include "harness/db/engine_version.h"

#include <libpq-fe.h>
#include <sqlite3.h>

namespace rehearse {

std::string SqliteLibraryVersion() { return std::string("SQLite ") + sqlite3_libversion(); }

std::string LibpqVersion() {
  // 150018 for 15.18 (10 and later: major * 10000 + minor).
  const int v = PQlibVersion();
  return "libpq " + std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

Status EngineVersion(Database* db, std::string* out) {
  if (db->dialect() == Dialect::kSqlite) {
    *out = SqliteLibraryVersion();
    return Status::OK();
  }
  ResultSet r;
  REHEARSE_RETURN_IF_ERROR(db->Execute("SELECT current_setting('server_version')", {}, &r));
  if (r.rows.size() != 1 || r.rows[0].empty()) return Status::Database("server_version: no answer");
  *out = "PostgreSQL " + r.rows[0][0].ToText() + ", " + LibpqVersion();
  return Status::OK();
}

}  // namespace rehearse
