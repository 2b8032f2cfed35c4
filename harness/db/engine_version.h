// EngineVersion: which engine, exactly, a database runs on, for reports (a
// migration that needs a newer engine than the one it was rehearsed on
// fails for that reason, and the report must say so).
#ifndef REHEARSE_DB_ENGINE_VERSION_H_
#define REHEARSE_DB_ENGINE_VERSION_H_

#include <string>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// "PostgreSQL 15.18 (Debian 15.18-0+deb12u1), libpq 15.18" — the server's
// own server_version and the client library this process runs — or
// "SQLite 3.40.1", the library this process runs.
Status EngineVersion(Database* db, std::string* out);

// The client libraries alone, without a database: "SQLite 3.40.1", "libpq 15.18".
std::string SqliteLibraryVersion();
std::string LibpqVersion();

}  // namespace rehearse

#endif  // REHEARSE_DB_ENGINE_VERSION_H_
