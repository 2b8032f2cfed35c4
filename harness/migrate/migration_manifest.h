// MigrationManifest: the optional migration.json of a migration folder.
//
//   {
//     "description": "what the change is for",   // string, default ""
//     "transaction": true,                       // bool, default true
//     "kind": "sql",                             // "sql" (default) or "data"
//     "privileged": false,                       // bool, default false
//     "report": {"title": "SELECT ..."}          // object of strings, default {}
//   }
//
// "report" names queries the Migrator runs right after the migration's up
// (in a dry run and for real, inside its transaction) whose rows are worth
// telling whoever runs it — rows the migration deliberately leaves alone,
// such as the rows a backfill finds nothing for. Each query is one
// SELECT both engines accept; its rows are counted and the first column of
// the first few is shown. A report never changes anything, so it is not
// part of the checksum.
//
// "kind": "data" marks a data migration: C++ registered under the folder's
// version (data_migration.h) runs after the folder's up SQL, if any, and
// before its down SQL. Such a folder may hold no SQL at all, and may hold data
// files the code reads (a copy table, a timing table): every regular file
// whose name is not one of the recognised ones and does not start with "up."
// or "down." is a data file, part of the checksum. A SQL migration folder has
// no data files: an unrecognised name there is a typo until proven otherwise.
//
// "privileged": true runs the migration as the cluster's superuser instead of
// the database owner without superuser that every other migration runs as
// (engine/cluster_roles.h): for what only a superuser may do (an untrusted
// extension, a role). Migrations are code from outside the trusted branch,
// so this is an explicit, reported choice; it means nothing on SQLite or on
// a database given with --database, where Rehearse does not choose the role.
//
// Contract: ParseMigrationManifest returns OK and fills *out, or returns
// kInvalidInput at (path, line) whose message says what is wrong: malformed
// JSON (with nlohmann's message and byte position), a root that is not an
// object, a key of the wrong type, an unknown key (catches "transactional"),
// an unknown kind, or a report query that is not a non-empty string.
#ifndef REHEARSE_MIGRATE_MIGRATION_MANIFEST_H_
#define REHEARSE_MIGRATE_MIGRATION_MANIFEST_H_

#include <string>
#include <string_view>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

struct MigrationReportQuery {
  std::string title;
  std::string sql;
};

struct MigrationManifest {
  std::string description;
  bool transactional = true;
  bool data = false;                         // "kind": "data"
  bool privileged = false;                   // "privileged": true
  std::vector<MigrationReportQuery> report;  // in the order of the file's keys (sorted)
};

Status ParseMigrationManifest(std::string_view text, const std::string& path,
                              MigrationManifest* out);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATION_MANIFEST_H_
