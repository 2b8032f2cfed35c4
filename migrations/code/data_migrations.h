// The C++ parts of the project's own data migrations (migrations/NNNN_name
// folders whose migration.json says "kind": "data"), for the runner, the
// gate and `rehearse migrate` to put in the registry they pass to a Migrator.
//
// Contract: registers each implementation under its folder's version and
// name (so no other chain's migration of the same number picks it up);
// returns the registry's kInvalidInput if one of those versions is already
// registered. An external `--migrations DIR` has no code: give its Migrator
// an empty registry (or none), not this one.
#ifndef REHEARSE_MIGRATIONS_CODE_DATA_MIGRATIONS_H_
#define REHEARSE_MIGRATIONS_CODE_DATA_MIGRATIONS_H_

#include "harness/common/status.h"
#include "harness/migrate/data_migration.h"

namespace rehearse {

Status RegisterDataMigrations(DataMigrationRegistry* registry);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_DATA_MIGRATIONS_H_
