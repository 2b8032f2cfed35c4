// Fixture loading (issue 3's targets), through the real load path —
// GenerateFixture into a database at the baseline, from a template clone:
//   PostgresFixtureVersusPgbenchInit  rows/s of the fixture against
//       `pgbench -i` on the same throwaway server in the same iteration
//       (ratio, target >= 1.0).
//   SqliteFixtureRowsPerSecond  target >= 1M rows/s (wall clock). Also, for
//       information, generate_rows_per_s: the generator alone on one thread,
//       no database — the ceiling a load cannot pass without a second core.
//   PeakMemoryAtOneMillionRows  getrusage ru_maxrss of this process after a
//       SQLite load of >= 1M rows (target <= 256 MB). Registered first, so
//       the high-water mark is the load's and not another benchmark's.
//       PostgreSQL's own memory is the server's, not counted here.
// Rows per second are wall clock; cpu_rows_per_s (SQLite, whose load runs
// entirely in this process) divides by this process's CPU time (both
// threads: generator and inserts), and load_average says how busy the
// machine was: on a shared 2-core machine the wall clock includes the other
// tenants' share.
//
// Measured on the 2-core development machine while other work kept its load
// average at 1.5-2.8, scale 500 (232,606 rows); pgbench -i itself varied
// from 320k to 620k rows/s between runs:
//   row-by-row constraint checks  SQLite  85k rows/s, PostgreSQL 50k rows/s
//                                 (ratio 0.16), peak 84 MB
//   deferred constraints          SQLite 198k rows/s (generator alone 630k),
//                                 PostgreSQL 111k rows/s (ratio 0.18), 95 MB
// Then, alternating the two builds in four rounds at a load average of 3.7 to
// 5.9 (the wall clock follows the other tenants; the ratio and the CPU-time
// rates move less):
//   before                        SQLite 73-186k rows/s (CPU 152-190k),
//                                 generator 230-543k, PostgreSQL ratio 0.17-0.23
//   many-row INSERTs, indexes built after each table, checks per table
//   while the next is generated, binary COPY over libpq (now)
//                                 SQLite 108-246k rows/s (CPU 204-258k),
//                                 generator 552-880k, PostgreSQL ratio 0.26-0.32,
//                                 peak 97 MB
// Per row, callgrind counts 12.4k instructions on the SQLite loader thread
// (bind + insert 6.1k, CHECK scan 2.3k, index builds 2.9k of which sorting
// 1.2k, foreign-key check 1.1k) and 8.7k on the generator's; perf puts
// the PostgreSQL server at 2.9 times pgbench's CPU per row (primary and unique
// key inserts, jsonb parsing, the foreign-key anti-joins, index builds), so on
// a busy 2-core machine the ratio is about pgbench's CPU per row over ours.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <chrono>

#include "fixtures/fixture_generator.h"
#include "fixtures/fixture_tables.h"
#include "harness/db/throwaway_databases.h"
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

  // A fresh database at the baseline.
  Status Clone(Dialect dialect, std::unique_ptr<Database>* db) {
    return dbs.Create(dialect, db, nullptr, dialect == Dialect::kPostgres ? postgres : sqlite);
  }
};

Templates& Shared() {
  static Templates* templates = new Templates();  // lives for the process
  return *templates;
}

// Loads the fixture at `scale` into a fresh clone; *seconds is the load alone.
Status TimedLoad(Dialect dialect, int64_t scale, int64_t* rows, double* seconds,
                 double* cpu_seconds = nullptr) {
  std::unique_ptr<Database> db;
  REHEARSE_RETURN_IF_ERROR(Shared().Clone(dialect, &db));
  const double cpu = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  FixtureStats stats;
  REHEARSE_RETURN_IF_ERROR(GenerateFixture({20260308, scale, "default"}, db.get(), &stats));
  *seconds = Seconds(start);
  if (cpu_seconds) *cpu_seconds = CpuSeconds() - cpu;
  *rows = stats.total_rows;
  return Status::OK();
}

void BM_PeakMemoryAtOneMillionRows(benchmark::State& state) {
  if (!Shared().status.ok()) return state.SkipWithError(Shared().status.ToString().c_str());
  int64_t rows = 0;
  double seconds = 0;
  for (auto _ : state) {
    Status s = TimedLoad(Dialect::kSqlite, kMillionRowScale, &rows, &seconds);
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
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
  int64_t rows = 0, total_rows = 0;
  double seconds = 0, total = 0, cpu = 0, total_cpu = 0;
  for (auto _ : state) {
    Status s = TimedLoad(Dialect::kSqlite, kScale, &rows, &seconds, &cpu);
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
    total_rows += rows;
    total += seconds;
    total_cpu += cpu;
  }
  const double rows_per_s = static_cast<double>(total_rows) / total;
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["rows_per_s"] = rows_per_s;
  state.counters["cpu_rows_per_s"] = static_cast<double>(total_rows) / total_cpu;
  state.counters["generate_rows_per_s"] = GenerateRowsPerSecond(Dialect::kSqlite, kScale);
  state.counters["load_average"] = LoadAverage();
  state.counters["target_met"] = rows_per_s >= 1e6;
}
BENCHMARK(BM_SqliteFixtureRowsPerSecond)->Unit(benchmark::kMillisecond)->Iterations(3);

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
  int64_t fixture_rows = 0, pgbench_rows = 0;
  double fixture_s = 0, pgbench_s = 0;
  for (auto _ : state) {
    int64_t rows = 0;
    double seconds = 0;
    Status s = TimedLoad(Dialect::kPostgres, kScale, &rows, &seconds);
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
    fixture_rows += rows;
    fixture_s += seconds;
    s = TimedPgbenchInit(&seconds, &rows);
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
    pgbench_rows += rows;
    pgbench_s += seconds;
  }
  const double fixture = static_cast<double>(fixture_rows) / fixture_s;
  const double pgbench = static_cast<double>(pgbench_rows) / pgbench_s;
  state.counters["rows"] =
      static_cast<double>(fixture_rows) / static_cast<double>(state.iterations());
  state.counters["fixture_rows_per_s"] = fixture;
  state.counters["pgbench_rows_per_s"] = pgbench;
  state.counters["ratio"] = fixture / pgbench;  // target >= 1
  state.counters["load_average"] = LoadAverage();
  state.counters["target_met"] = fixture / pgbench >= 1.0;
}
BENCHMARK(BM_PostgresFixtureVersusPgbenchInit)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace rehearse
