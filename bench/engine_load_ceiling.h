// What the engine itself takes to store the rows a fixture load just stored,
// with the generator, the client and the load's deferred work taken away: the
// reference fixture_bench measures the fixture load against, so that a load
// target can be judged against what the engine allows for these rows on this
// machine (a row of the fixture is several times wider than a pgbench row,
// and carries more keys).
//
// Two ceilings, each timed over every fixture table in one transaction that
// is then rolled back:
//   bare   copies of the tables with their columns only (no key, index,
//          CHECK or foreign key): the cost of the rows themselves.
//   keyed  the baseline's own tables, with their primary and unique keys,
//          secondary indexes and CHECKs maintained row by row; foreign keys
//          skipped, as the fixture load skips their per-row checks.
// PostgreSQL: the server reads the rows from binary files of its own (COPY
// ... TO/FROM a file in its data directory, as the superuser the harness
// connects as), so no client is involved. SQLite: INSERT ... SELECT from the
// loaded file attached to the target, written so that SQLite cannot take its
// page-copying shortcut (the rows are decoded and inserted one by one).
#ifndef REHEARSE_BENCH_ENGINE_LOAD_CEILING_H_
#define REHEARSE_BENCH_ENGINE_LOAD_CEILING_H_

#include <memory>
#include <string>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

struct EngineLoadCeiling {
  double bare_seconds = 0;
  double keyed_seconds = 0;
};

// PostgreSQL. `loaded` holds the fixture's rows and stays as it was;
// `at_baseline` is an empty database at the baseline schema, which receives
// the keyed copy (rolled back).
Status MeasurePostgresLoadCeiling(Database* loaded, Database* at_baseline, EngineLoadCeiling* out);

// SQLite. `loaded_path` is the file holding the fixture's rows; `empty` an
// empty database and `at_baseline` one at the baseline schema, which
// receive the bare and the keyed copy (rolled back).
Status MeasureSqliteLoadCeiling(const std::string& loaded_path, Database* empty,
                                Database* at_baseline, EngineLoadCeiling* out);

}  // namespace rehearse

#endif  // REHEARSE_BENCH_ENGINE_LOAD_CEILING_H_
