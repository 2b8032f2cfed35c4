// Database identity: a token that says which database a rollback artifact
// came from, so that an artifact is never applied to another one.
//
// Where it lives: a one-row table rehearse_identity (token TEXT NOT NULL
// PRIMARY KEY) inside the database. Why not something the engine provides:
// - PostgreSQL's system_identifier is shared by every cluster copied from one
//   cached initdb (DESIGN.md, known pitfalls), and database oids repeat across
//   clusters;
// - a SQLite file path changes when the file is copied or kept, and two runs
//   reuse the same names;
// - a digest of the database's state changes with every write the
//   application makes between apply and rollback, so it would refuse the
//   legitimate rollback it exists for.
// A table moves with the database (a kept SQLite file, `--database PATH`) and
// is part of snapshots, so stamping it before the first snapshot keeps
// rollbacks byte-identical.
//
// Who stamps it: whoever creates or clones a database stamps it right after
// (StampDatabaseIdentity). A clone of a template carries the template's token
// — exactly the shared-identity trap of system_identifier — so a clone MUST be
// re-stamped before anything is migrated in it. The Migrator stamps a database
// that has no identity yet with MigratorOptions::identity, and never
// overwrites one.
//
// Determinism: MakeDatabaseIdentity derives the token from the harness seed
// and the database's name, so the same inputs give the same token, the same
// rows and the same digest on any machine. That is right for throwaway and
// rehearsal databases, and wrong for a database the user names: a file
// recreated at the same path (or a URL pointing at a rebuilt database) would
// get the token of its predecessor and accept its artifacts. Such a database
// is stamped with MakeRandomDatabaseIdentity instead.
#ifndef REHEARSE_MIGRATE_DATABASE_IDENTITY_H_
#define REHEARSE_MIGRATE_DATABASE_IDENTITY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// "db-" followed by 32 hex digits of XXH3-128 over (seed, name).
std::string MakeDatabaseIdentity(uint64_t seed, std::string_view database_name);

// "db-" followed by 32 hex digits read from /dev/urandom: a token no other
// database has, for databases that outlive the harness run. kIoError when the
// system's random source cannot be read.
Status MakeRandomDatabaseIdentity(std::string* token);

// Creates rehearse_identity when missing and makes `token` its only row,
// replacing any previous token. Joins the caller's transaction when one is
// open. An empty token is kInvalidInput.
Status StampDatabaseIdentity(Database* db, const std::string& token);

// Sets *token to the database's identity. kNotFound when it has none (no
// table, or no row).
Status ReadDatabaseIdentity(Database* db, std::string* token);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_DATABASE_IDENTITY_H_
