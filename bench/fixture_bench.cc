// Fixture loading, through the real load path — GenerateFixture into a
// database at the baseline, from a template clone. The target (issue 15):
// ratio_to_keyed_engine >= 0.9 on both engines, the load against the engine
// storing the same rows into the same keyed tables with no client (see
// below); target_met says whether it holds. Issue 3's absolute targets
// compared against tables with no keys; they stay in the report for
// information (old_target_met), outside bench/run's failure list:
//   PostgresFixtureVersusPgbenchInit  rows/s of the fixture against
//       `pgbench -i` on the same throwaway server in the same iteration
//       (vs_pgbench; old target >= 1.0).
//   SqliteFixtureRowsPerSecond  rows/s, wall clock (old target >= 1M). Also,
//       for information, generate_rows_per_s: the generator alone on one
//       thread, no database — the ceiling a load cannot pass without a
//       second core.
//   PeakMemoryAtOneMillionRows  getrusage ru_maxrss of this process after a
//       SQLite load of >= 1M rows (target <= 256 MB). Registered first, so
//       the high-water mark is the load's and not another benchmark's.
//       PostgreSQL's own memory is the server's, not counted here.
// Both load benchmarks also measure, right after each load and for the same
// rows, the engine's own ceiling (engine_load_ceiling.h): bare (the rows into
// tables without keys, indexes or CHECKs) and keyed (into the baseline's
// tables, keys maintained row by row), with no generator and no client.
// ratio_to_keyed_engine, the load's rate over the keyed engine's, is the
// compared ratio that says whether the load path regressed;
// bare/keyed_engine_vs_pgbench (PostgreSQL) say what the pgbench target asks
// of the engine itself for these rows.
// Rows per second are wall clock; cpu_rows_per_s (SQLite, whose load runs
// entirely in this process) divides by this process's CPU time (both
// threads: generator and inserts), and load_average says how busy the
// machine was: on a shared 2-core machine the wall clock includes the other
// tenants' share.
//
// History, scale 500 (about 232,600 rows) on the 2-core development machine:
//   row-by-row constraint checks  SQLite  85k rows/s, PostgreSQL ratio 0.16
//   deferred constraints          SQLite 198k rows/s, PostgreSQL ratio 0.18
//   many-row INSERTs, indexes built after each table, checks per table
//   while the next is generated, binary COPY over libpq (now)
//                                 SQLite 108-246k rows/s at load average 3.7-5.9,
//                                 392k quiet; PostgreSQL ratio 0.26-0.32
// With the ceilings, six runs at load average 0.3-1.6 (pgbench -i itself
// ranged from 222k to 672k rows/s between runs; medians of 3 or 5 pairs):
//   SQLite      load 210-392k rows/s; generator alone 585-974k; keyed engine
//               250-344k (the load is 0.84-1.20x of it: its deferred checks
//               and index builds beat row-by-row maintenance); bare engine
//               1.02-1.60M
//   PostgreSQL  load/pgbench 0.22-0.54; keyed engine/pgbench 0.28-0.78 (the
//               load is 0.66-0.88x of it); bare engine/pgbench 0.77-1.74
// So neither target can be met by a load that keeps the baseline's keys: the
// engines alone, with no client and no generator, stay below them for these
// rows on this machine (and the SQLite generator alone, on the one core left
// beside the inserts, is below 1M rows/s). Only the bare engine comes near or
// past them, which is a load without the keys, indexes and CHECKs the
// rehearsal exists to exercise.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include "bench/engine_load_ceiling.h"
#include "bench/median.h"
#include "fixtures/domain/fixture_generator.h"
#include "fixtures/domain/fixture_tables.h"
#include "harness/db/throwaway_databases.h"
#include "harness/engine/libpq_session.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/subprocess.h"

namespace rehearse {
namespace {

constexpr int64_t kScale = 500;             // ~0.23M rows
constexpr int64_t kMillionRowScale = 2200;  // >= 1M rows (checked below)
constexpr int64_t kPgbenchScale = 2;        // 200,000 pgbench_accounts rows

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double CpuSeconds() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double LoadAverage() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

// Throwaway databases with one template per dialect at the baseline; lives
// for the process.
struct Templates {
  ThrowawayDatabases dbs;
  std::string postgres;  // template database name
  std::string sqlite;    // template file path
  PostgresCluster* cluster = nullptr;
  std::string pgbench;
  Status status;

  Templates() {
    status = Make(Dialect::kPostgres, &postgres);
    if (status.ok()) status = Make(Dialect::kSqlite, &sqlite);
    if (status.ok()) status = dbs.Cluster(&cluster);
    PostgresInstallation pg;
    if (status.ok()) status = PostgresInstallation::Find("", &pg);
    if (status.ok()) pgbench = pg.Program("pgbench");
  }

  Status Make(Dialect dialect, std::string* name) {
    std::unique_ptr<Database> db;
    REHEARSE_RETURN_IF_ERROR(dbs.Create(dialect, &db, nullptr, "", name));
    SqlScript script;
    REHEARSE_RETURN_IF_ERROR(
        SqlScript::FromFile(std::string(REHEARSE_REPO_ROOT) + "/migrations/0000_baseline/up." +
                                (dialect == Dialect::kPostgres ? "postgres" : "sqlite") + ".sql",
                            &script));
    return db->ExecuteScript(script);  // closed on return: a template has no connection
  }

  // A fresh database at the baseline; *location (optional) as Create's.
  Status Clone(Dialect dialect, std::unique_ptr<Database>* db, std::string* location = nullptr) {
    return dbs.Create(dialect, db, location, dialect == Dialect::kPostgres ? postgres : sqlite);
  }
};

Templates& Shared() {
  static Templates* templates = new Templates();  // lives for the process
  return *templates;
}

// A fixture load into a fresh clone of the baseline template.
struct TimedFixtureLoad {
  std::unique_ptr<Database> db;  // holds the loaded rows
  std::string location;          // SQLite: its file
  int64_t rows = 0;
  double seconds = 0;      // the load alone
  double cpu_seconds = 0;  // this process's, both threads
};

Status TimedLoad(Dialect dialect, int64_t scale, TimedFixtureLoad* out) {
  REHEARSE_RETURN_IF_ERROR(Shared().Clone(dialect, &out->db, &out->location));
  const double cpu = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  FixtureStats stats;
  REHEARSE_RETURN_IF_ERROR(GenerateFixture({20260308, scale, "default"}, out->db.get(), &stats));
  out->seconds = Seconds(start);
  out->cpu_seconds = CpuSeconds() - cpu;
  out->rows = stats.total_rows;
  return Status::OK();
}

// One fixture load and the engine's own ceilings for the same rows
// (engine_load_ceiling.h), measured right after it, per iteration. Rates and
// ratios are reported as medians over the iterations (median.h).
struct LoadSamples {
  int64_t rows = 0;  // per load (the same every time)
  std::vector<double> load_rate, cpu_rate, bare_rate, keyed_rate;

  Status Add(Dialect dialect) {
    TimedFixtureLoad load;
    REHEARSE_RETURN_IF_ERROR(TimedLoad(dialect, kScale, &load));
    Templates& t = Shared();
    std::unique_ptr<Database> at_baseline, empty;
    REHEARSE_RETURN_IF_ERROR(t.Clone(dialect, &at_baseline));
    EngineLoadCeiling ceiling;
    if (dialect == Dialect::kPostgres) {
      REHEARSE_RETURN_IF_ERROR(
          MeasurePostgresLoadCeiling(load.db.get(), at_baseline.get(), &ceiling));
    } else {
      REHEARSE_RETURN_IF_ERROR(t.dbs.Create(Dialect::kSqlite, &empty));
      REHEARSE_RETURN_IF_ERROR(
          MeasureSqliteLoadCeiling(load.location, empty.get(), at_baseline.get(), &ceiling));
    }
    rows = load.rows;
    const double n = static_cast<double>(rows);
    load_rate.push_back(n / load.seconds);
    cpu_rate.push_back(n / load.cpu_seconds);
    bare_rate.push_back(n / ceiling.bare_seconds);
    keyed_rate.push_back(n / ceiling.keyed_seconds);
    return Status::OK();
  }

  // *_engine_rows_per_s, and ratio_to_keyed_engine: how much of what the
  // engine allows for these rows, keys maintained, the load reaches
  // (compared with the baseline like every ratio; target >= 0.9).
  void Count(benchmark::State& state) const {
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["bare_engine_rows_per_s"] = Median(bare_rate);
    state.counters["keyed_engine_rows_per_s"] = Median(keyed_rate);
    const double ratio = MedianRatio(load_rate, keyed_rate);
    state.counters["ratio_to_keyed_engine"] = ratio;
    state.counters["target_met"] = ratio >= 0.9;
    state.counters["load_average"] = LoadAverage();
  }
};

void BM_PeakMemoryAtOneMillionRows(benchmark::State& state) {
  if (!Shared().status.ok()) return state.SkipWithError(Shared().status.ToString().c_str());
  int64_t rows = 0;
  for (auto _ : state) {
    TimedFixtureLoad load;
    Status s = TimedLoad(Dialect::kSqlite, kMillionRowScale, &load);
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
    rows = load.rows;
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  const double peak_mb = static_cast<double>(ru.ru_maxrss) / 1024;  // ru_maxrss is in KiB
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["peak_rss_mb"] = peak_mb;
  state.counters["target_met"] = rows >= 1'000'000 && peak_mb <= 256;
}
BENCHMARK(BM_PeakMemoryAtOneMillionRows)->Unit(benchmark::kSecond)->Iterations(1);

// Rows/s of the generator alone (OpenFixtureTable, one thread, no database).
double GenerateRowsPerSecond(Dialect dialect, int64_t scale) {
  FixtureContext ctx{0, 0, {}, DialectValues(dialect)};
  if (!MakeFixtureContext({20260308, scale, "default"}, dialect, &ctx).ok()) return 0;
  const auto start = std::chrono::steady_clock::now();
  int64_t rows = 0;
  Row row;
  for (const FixtureTableDef& table : FixtureTables()) {
    std::unique_ptr<RowSource> source = OpenFixtureTable(ctx, table);
    while (source->Next(&row)) ++rows;
  }
  return static_cast<double>(rows) / Seconds(start);
}

void BM_SqliteFixtureRowsPerSecond(benchmark::State& state) {
  if (!Shared().status.ok()) return state.SkipWithError(Shared().status.ToString().c_str());
  LoadSamples samples;
  for (auto _ : state) {
    Status s = samples.Add(Dialect::kSqlite);
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
  }
  samples.Count(state);
  const double rows_per_s = Median(samples.load_rate);
  state.counters["rows_per_s"] = rows_per_s;
  state.counters["cpu_rows_per_s"] = Median(samples.cpu_rate);
  state.counters["generate_rows_per_s"] = GenerateRowsPerSecond(Dialect::kSqlite, kScale);
  state.counters["old_target_met"] = rows_per_s >= 1e6;
}
BENCHMARK(BM_SqliteFixtureRowsPerSecond)->Unit(benchmark::kMillisecond)->Iterations(5);
// `pgbench -i -s N` into a fresh empty database; its rows are N * 100,011
// (accounts, tellers, branches).
Status TimedPgbenchInit(double* seconds, int64_t* rows) {
  Templates& t = Shared();
  std::unique_ptr<Database> db;
  std::string name;
  REHEARSE_RETURN_IF_ERROR(t.dbs.Create(Dialect::kPostgres, &db, nullptr, "", &name));
  db.reset();
  SubprocessOptions o;
  o.argv = {t.pgbench,
            "-i",
            "-q",
            "-s",
            std::to_string(kPgbenchScale),
            "-h",
            t.cluster->socket_dir(),
            "-p",
            std::to_string(t.cluster->port()),
            "-U",
            "rehearse",
            name};
  // The cluster's password, in pgbench's environment rather than its argv.
  std::string rest, password;
  SplitConninfoPassword(t.cluster->ConnectionString(name), &rest, &password);
  o.env.emplace();
  for (char** var = environ; *var != nullptr; ++var)
    if (std::string(*var).rfind("PGPASSWORD=", 0) != 0) o.env->push_back(*var);
  o.env->push_back("PGPASSWORD=" + password);
  o.stderr_target = OutputTarget::Capture();
  SubprocessResult result;
  const auto start = std::chrono::steady_clock::now();
  REHEARSE_RETURN_IF_ERROR(RunToCompletion(o, &result));
  *seconds = Seconds(start);
  if (!result.succeeded())
    return Status::Infrastructure("pgbench -i " + result.Describe() + ": " + result.stderr_text);
  *rows = kPgbenchScale * 100'011;
  return Status::OK();
}

void BM_PostgresFixtureVersusPgbenchInit(benchmark::State& state) {
  if (!Shared().status.ok()) return state.SkipWithError(Shared().status.ToString().c_str());
  LoadSamples samples;
  std::vector<double> pgbench_rate;
  for (auto _ : state) {
    Status s = samples.Add(Dialect::kPostgres);
    int64_t rows = 0;
    double seconds = 0;
    if (s.ok()) s = TimedPgbenchInit(&seconds, &rows);
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
    pgbench_rate.push_back(static_cast<double>(rows) / seconds);
  }
  samples.Count(state);
  const double ratio = MedianRatio(samples.load_rate, pgbench_rate);
  state.counters["fixture_rows_per_s"] = Median(samples.load_rate);
  state.counters["pgbench_rows_per_s"] = Median(pgbench_rate);
  state.counters["vs_pgbench"] = ratio;  // old target >= 1
  // The same comparison for the engine alone: what the target asks of the
  // engine itself for these rows, with and without their keys.
  state.counters["bare_engine_vs_pgbench"] = MedianRatio(samples.bare_rate, pgbench_rate);
  state.counters["keyed_engine_vs_pgbench"] = MedianRatio(samples.keyed_rate, pgbench_rate);
  state.counters["old_target_met"] = ratio >= 1.0;
}
BENCHMARK(BM_PostgresFixtureVersusPgbenchInit)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace rehearse
