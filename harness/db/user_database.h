// OpenUserDatabase: a database the user named (`--database PATH|URL`,
// `--use-env`) rather than one Rehearse made: a PostgreSQL connection string
// or URL, or a SQLite file that must already exist — a mistyped path is never
// created. The commands that touch a user's database all open it here.
#ifndef REHEARSE_DB_USER_DATABASE_H_
#define REHEARSE_DB_USER_DATABASE_H_

#include <memory>
#include <string>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// kInvalidInput ("--database: no SQLite file at PATH") when a SQLite
// `target` is not an existing regular file; OK for PostgreSQL, whose target
// is only known to be good once connected. Touches no database: commands
// call it while checking their input.
Status CheckUserDatabase(Dialect dialect, const std::string& target);

// CheckUserDatabase, then the connection; a connection that fails is the
// driver's Status, for the command to classify.
Status OpenUserDatabase(Dialect dialect, const std::string& target, std::unique_ptr<Database>* db);

}  // namespace rehearse

#endif  // REHEARSE_DB_USER_DATABASE_H_
