// Units (--unit): consecutive migrations a team deploys together, rehearsed
// and profiled as one — up through all of them, down through them in
// reverse, reported as "first..last". Shared by the gate (prepared_scenario)
// and `rehearse profile`.
//
// "version": every migration alone. "prefix:N" (1 <= N <= 40): consecutive
// versions that share their first N digits (ory/kratos: sub-steps share a
// 14-digit timestamp); a version with fewer digits stays alone. The gate's
// "pending" (everything the baseline lacks) needs a baseline and is the
// caller's.
#ifndef REHEARSE_RUNNER_MIGRATION_UNITS_H_
#define REHEARSE_RUNNER_MIGRATION_UNITS_H_

#include <map>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/migrate/migration.h"

namespace rehearse {

// Groups `versions` (in chain order) by `unit`: *firsts gets each unit's
// first version, *through maps the first of every unit of several to its
// last. kInvalidInput, naming `flag` ("--unit") and what it accepts
// (`accepted`, e.g. "version, prefix:N (1 <= N <= 40) or pending"), for any
// other value.
Status GroupIntoUnits(const std::string& flag, const std::string& unit, const std::string& accepted,
                      const std::vector<MigrationVersion>& versions,
                      std::vector<MigrationVersion>* firsts,
                      std::map<MigrationVersion, MigrationVersion>* through);

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_MIGRATION_UNITS_H_
