// ExportDatabase: a database written to a file a bug report can carry
// (`rehearse fixture --out FILE`). SQLite: a copy made with VACUUM INTO.
// PostgreSQL: pg_dump's plain SQL with COPY data, from the installation the
// cluster runs, without owners and privileges (the throwaway role means
// nothing elsewhere) and without pg_dump 15.14+'s random `\restrict` lines,
// so the same data gives the same file; its password goes in pg_dump's
// environment, never on its command line.
//
// Both are made in a scratch directory of the run directory and streamed
// into `out` through a ReplacementFile: `out` is never half-written, and an
// interrupted run leaves nothing next to it. Errors name `--out`.
#ifndef REHEARSE_DB_DATABASE_EXPORT_H_
#define REHEARSE_DB_DATABASE_EXPORT_H_

#include <string>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/db/throwaway_databases.h"

namespace rehearse {

// `conninfo`: how `db` was opened (PostgreSQL; unused for SQLite).
Status ExportDatabase(ThrowawayDatabases* throwaway, Database* db, const std::string& conninfo,
                      const std::string& out);

}  // namespace rehearse

#endif  // REHEARSE_DB_DATABASE_EXPORT_H_
