// The profiler's own cost (issue 16's target): at 1M rows, profiling a
// migration's up and down — ProfiledDatabase's catalog reads around each
// statement, and on PostgreSQL the LockSampler polling pg_locks on a second
// connection — may add at most 10% to the migration's own time.
//
// One database per engine holds `events` (REHEARSE_PROFILE_BENCH_ROWS rows,
// default 1,000,000); each iteration runs bench/profile_migrations' 0002
// (a rewrite and an index build, and back) once plain, on the migration's
// own connection, and once profiled, in alternating order. The counters are
// the median over iterations of plain / profiled ("ratio_plain_over_profiled",
// target >= 1/1.1) and the overhead it means, in percent.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <functional>

#include "bench/median.h"
#include "harness/db/throwaway_databases.h"
#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/migrator.h"
#include "harness/profile/lock_sampler.h"
#include "harness/profile/profiled_database.h"

namespace rehearse {
namespace {

int64_t Rows() {
  const char* env = std::getenv("REHEARSE_PROFILE_BENCH_ROWS");
  return env ? std::atoll(env) : 1'000'000;
}

MigrationVersion Version(const char* text) {
  MigrationVersion v;
  (void)MigrationVersion::Parse(text, &v);
  return v;
}

Status Load(Database* db, int64_t rows) {
  const std::string n = std::to_string(rows);
  if (db->dialect() == Dialect::kPostgres) {
    REHEARSE_RETURN_IF_ERROR(
        db->Execute("INSERT INTO events SELECT g, g % 1000, md5(g::text) FROM generate_series(1, " +
                    n + ") g"));
    return db->Execute("ANALYZE events");
  }
  return db->Execute("WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < " +
                     n + ") INSERT INTO events SELECT x, x % 1000, hex(randomblob(16)) FROM g");
}

double Seconds(const std::function<Status()>& work, Status* status) {
  const auto start = std::chrono::steady_clock::now();
  Status s = work();
  if (status->ok()) *status = s;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_ProfilerOverhead(benchmark::State& state, Dialect dialect) {
  const int64_t rows = Rows();
  ThrowawayDatabases dbs;
  std::vector<Migration> migrations;
  std::unique_ptr<Database> db;
  std::string name;
  MigrationConnections as;
  Status s = FolderMigrationSource(REHEARSE_PROFILE_BENCH_MIGRATIONS).Load(&migrations);
  if (s.ok()) s = dbs.Create(dialect, &db, nullptr, "", &name);
  if (s.ok()) s = dbs.ConnectForMigrations(db.get(), name, false, &as);
  std::unique_ptr<LockSampler> sampler;
  if (s.ok() && dialect == Dialect::kPostgres) {
    int64_t pid = 0;
    std::unique_ptr<Database> watcher;
    s = BackendPid(as.db, &pid);
    if (s.ok()) s = dbs.ConnectAs(name, ThrowawayDatabases::Role::kSuperuser, &watcher);
    if (s.ok())
      sampler =
          std::make_unique<LockSampler>(std::move(watcher), pid, std::chrono::milliseconds(10));
  }
  ProfiledDatabase profiled(as.db, sampler.get());
  Migrator plain(as.db, migrations), watched(&profiled, migrations);
  MigrationReport report;
  if (s.ok()) s = plain.Up(MigrationRange::Only(Version("0001")), &report);
  if (s.ok()) s = Load(db.get(), rows);
  if (!s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  const MigrationRange widen = MigrationRange::Only(Version("0002"));
  auto run_plain = [&]() -> Status {
    REHEARSE_RETURN_IF_ERROR(plain.Up(widen, &report));
    return plain.Down(widen, {}, &report);
  };
  auto run_profiled = [&]() -> Status {
    StepProfile up, down;
    REHEARSE_RETURN_IF_ERROR(profiled.StartStep(&up));
    Status st = watched.Up(widen, &report);
    profiled.FinishStep();
    REHEARSE_RETURN_IF_ERROR(st);
    REHEARSE_RETURN_IF_ERROR(profiled.StartStep(&down));
    st = watched.Down(widen, {}, &report);
    profiled.FinishStep();
    return st;
  };
  std::vector<double> plain_s, profiled_s;
  bool profiled_first = false;
  for (auto _ : state) {
    Status st;
    double p = 0, w = 0;
    if (profiled_first) w = Seconds(run_profiled, &st);
    p = Seconds(run_plain, &st);
    if (!profiled_first) w = Seconds(run_profiled, &st);
    profiled_first = !profiled_first;
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      return;
    }
    state.SetIterationTime(w);
    plain_s.push_back(p);
    profiled_s.push_back(w);
  }
  const double ratio = MedianRatio(plain_s, profiled_s);
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["plain_s"] = Median(plain_s);
  state.counters["profiled_s"] = Median(profiled_s);
  state.counters["ratio_plain_over_profiled"] = ratio;
  state.counters["overhead_pct"] = ratio > 0 ? (1 / ratio - 1) * 100 : 0;
  state.counters["target_met"] = ratio >= 1 / 1.10 ? 1 : 0;
  if (sampler) state.counters["lock_samples"] = static_cast<double>(sampler->samples());
}
BENCHMARK_CAPTURE(BM_ProfilerOverhead, postgres, Dialect::kPostgres)
    ->Iterations(5)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_ProfilerOverhead, sqlite, Dialect::kSqlite)
    ->Iterations(5)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace rehearse

BENCHMARK_MAIN();
