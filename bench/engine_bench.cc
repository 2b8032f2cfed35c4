// What a rehearsal pays for its PostgreSQL server, and the engine's targets:
//   BM_ColdBoot             initdb + start, every time (use_cache = false)
//   BM_WarmBoot             copy of the cached initdb + start; target: at most
//                           a third of a cold boot (counter warm_over_cold)
//   BM_DatabaseFromTemplate CREATE DATABASE ... TEMPLATE of a database with a
//                           table; target: under 100 ms
// Times are per boot or clone only (manual timing): stopping the server and
// dropping the clone happen outside the measured span. Each target's
// counter target_met is 1 when the target holds on this run.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <string>

#include "harness/engine/postgres_cluster.h"

namespace rehearse {
namespace {

// Mean cold boot, for BM_WarmBoot's ratio; 0 when BM_ColdBoot did not run.
double g_cold_boot_seconds = 0;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Boots and stops a cluster per iteration, timing the boot; returns the mean
// boot time in seconds, or a negative number after reporting an error.
double MeasureBoots(benchmark::State& state, bool use_cache) {
  PostgresClusterOptions options;
  options.use_cache = use_cache;
  double total = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    std::unique_ptr<PostgresCluster> cluster;
    Status booted = PostgresCluster::Boot(options, &cluster);
    const double seconds = SecondsSince(start);
    if (!booted.ok()) {
      state.SkipWithError(booted.ToString().c_str());
      return -1;
    }
    state.SetIterationTime(seconds);
    total += seconds;
    cluster->Stop();
  }
  const double mean = total / static_cast<double>(state.iterations());
  state.counters["boot_ms"] = mean * 1000;
  return mean;
}

void BM_ColdBoot(benchmark::State& state) {
  const double mean = MeasureBoots(state, /*use_cache=*/false);
  if (mean > 0) g_cold_boot_seconds = mean;
}
BENCHMARK(BM_ColdBoot)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_WarmBoot(benchmark::State& state) {
  {
    // The first boot may build the cache; that is a cold cost, not a warm one.
    std::unique_ptr<PostgresCluster> warm_up;
    Status booted = PostgresCluster::Boot({}, &warm_up);
    if (!booted.ok()) {
      state.SkipWithError(booted.ToString().c_str());
      return;
    }
  }
  const double mean = MeasureBoots(state, /*use_cache=*/true);
  if (mean > 0 && g_cold_boot_seconds > 0) {
    const double ratio = mean / g_cold_boot_seconds;
    state.counters["warm_over_cold"] = ratio;
    state.counters["target_met"] = ratio <= 1.0 / 3.0 ? 1 : 0;
  }
}
BENCHMARK(BM_WarmBoot)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(10);

// A template the size of a small schema: a table with an index and rows.
Status CreateTemplate(PostgresCluster* cluster, const std::string& name) {
  REHEARSE_RETURN_IF_ERROR(cluster->CreateDatabase(name));
  PGconn* conn = PQconnectdb(cluster->ConnectionString(name).c_str());
  PGresult* result = PQexec(conn,
                            "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, "
                            "created_at timestamptz NOT NULL);"
                            "CREATE INDEX ON accounts (email);"
                            "INSERT INTO accounts SELECT g, 'user' || g || '@example.com', "
                            "timestamptz '2026-01-01' + g * interval '1 minute' "
                            "FROM generate_series(1, 1000) g;");
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string error = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!ok) return Status::Database(error);
  return cluster->MarkTemplate(name);
}

void BM_DatabaseFromTemplate(benchmark::State& state) {
  std::unique_ptr<PostgresCluster> cluster;
  Status status = PostgresCluster::Boot({}, &cluster);
  if (status.ok()) status = CreateTemplate(cluster.get(), "bench_template");
  if (!status.ok()) {
    state.SkipWithError(status.ToString().c_str());
    return;
  }
  double total = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    status = cluster->CreateDatabase("bench_clone", "bench_template");
    const double seconds = SecondsSince(start);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      return;
    }
    state.SetIterationTime(seconds);
    total += seconds;
    cluster->DropDatabase("bench_clone");
  }
  const double mean = total / static_cast<double>(state.iterations());
  state.counters["clone_ms"] = mean * 1000;
  state.counters["target_met"] = mean < 0.100 ? 1 : 0;
}
BENCHMARK(BM_DatabaseFromTemplate)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);

// --- The snapshot benchmark lives in snapshot_bench.cc (see CMakeLists.txt). ---

}  // namespace
}  // namespace rehearse

BENCHMARK_MAIN();
