// Long chains (issue 15): the gate on generated chains of N migrations
// (chain_generator.h) against the naive schema-only round trip a team would
// otherwise script, in the same run on the same machine:
//   gate   `rehearse gate --migrations DIR --backend B`, the whole process
//          (its own throwaway server, fill, seven checks, fresh installs).
//   naive  on one database of a server this process boots: per migration
//          up (libpq / the SQLite C API), a schema dump (`pg_dump
//          --schema-only`, `sqlite3 FILE .schema`), down, a dump compared
//          with the one before the up, up again. No data, no fresh install.
// Per engine and size it reports gate_s_<N>, naive_s_<N>,
// gate_over_naive_<N> and gate_ms_per_migration_<N>; over the sizes the
// slope of log(gate time) against log(N) (least squares; 1 is linear).
// ratio_naive_over_gate (at the largest size, higher is better) is what the
// baseline comparison guards.
// Targets (target_met, for the sizes that ran): slope <= 1.1 on both
// engines; PostgreSQL gate/naive <= 0.2 at 200 migrations; SQLite <= 30 ms
// per migration at 400.
// Sizes: REHEARSE_CHAIN_BENCH_SIZES (default 50,100; the sweep is
// 50,100,200,400: `bench/run chain_bench_full`, about half an hour).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <vector>

#include "bench/chain_generator.h"
#include "harness/common/remove_tree.h"
#include "harness/db/throwaway_databases.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/subprocess.h"

namespace rehearse {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::vector<int> Sizes() {
  std::vector<int> sizes;
  const char* env = std::getenv("REHEARSE_CHAIN_BENCH_SIZES");
  std::stringstream in(env && *env ? env : "50,100");
  std::string item;
  while (std::getline(in, item, ','))
    if (std::atoi(item.c_str()) > 0) sizes.push_back(std::atoi(item.c_str()));
  return sizes;
}

// The generated chains, one folder per size, for the process's life.
class Chains {
 public:
  ~Chains() {
    if (!root_.empty()) RemoveTree(root_);
  }
  Status Get(int n, std::string* dir) {
    if (root_.empty()) {
      std::string pattern = std::filesystem::temp_directory_path() / "chain_bench.XXXXXX";
      if (!mkdtemp(pattern.data())) return Status::IoError("mkdtemp " + pattern);
      root_ = pattern;
    }
    *dir = root_ + "/" + std::to_string(n);
    if (std::filesystem::exists(*dir)) return Status::OK();
    std::filesystem::create_directory(*dir);
    return WriteMigrationChain(*dir, n);
  }

 private:
  std::string root_;
};

Chains& SharedChains() {
  static Chains chains;  // destroyed at exit, removing the folders
  return chains;
}

// The gate as a user runs it; it must pass (the chain is clean).
Status TimeGate(const std::string& dir, Dialect dialect, double* seconds) {
  SubprocessOptions o;
  o.argv = {REHEARSE_BINARY, "gate",
            "--migrations",  dir,
            "--backend",     dialect == Dialect::kPostgres ? "postgres" : "sqlite"};
  o.stdout_target = OutputTarget::Capture();
  o.stderr_target = OutputTarget::Capture();
  SubprocessResult r;
  const auto start = std::chrono::steady_clock::now();
  REHEARSE_RETURN_IF_ERROR(RunToCompletion(o, &r));
  *seconds = Seconds(start);
  if (!r.succeeded()) {
    const std::string& out = r.stdout_text;
    return Status::Infrastructure("the gate on the generated chain " + r.Describe() + ": " +
                                  out.substr(out.size() > 2000 ? out.size() - 2000 : 0) +
                                  r.stderr_text);
  }
  return Status::OK();
}

// The script of one migration's `step` ("up"/"down") for `dialect`.
Status ReadStep(const std::filesystem::path& folder, Dialect dialect, const std::string& step,
                SqlScript* out) {
  const std::string own =
      folder / (step + (dialect == Dialect::kPostgres ? ".postgres" : ".sqlite") + ".sql");
  return SqlScript::FromFile(
      std::filesystem::exists(own) ? own : (folder / (step + ".sql")).string(), out);
}

// The naive round trip over the whole chain in `dir`.
Status TimeNaive(const std::string& dir, Dialect dialect, double* seconds) {
  ThrowawayDatabases dbs;
  std::unique_ptr<Database> db;
  std::string location;
  REHEARSE_RETURN_IF_ERROR(dbs.Create(dialect, &db, &location));
  std::vector<std::string> dump_argv;
  if (dialect == Dialect::kPostgres) {
    PostgresInstallation pg;
    REHEARSE_RETURN_IF_ERROR(PostgresInstallation::Find("", &pg));
    dump_argv = {pg.Program("pg_dump"), "--schema-only", "-d", location};
  } else {
    dump_argv = {"/usr/bin/sqlite3", location, ".schema"};
  }
  auto dump = [&](std::string* schema) {
    SubprocessOptions o;
    o.argv = dump_argv;
    o.stdout_target = OutputTarget::Capture();
    SubprocessResult r;
    REHEARSE_RETURN_IF_ERROR(RunToCompletion(o, &r));
    if (!r.succeeded()) return Status::Infrastructure("schema dump " + r.Describe());
    // pg_dump brackets its output with a random \restrict key: not schema.
    schema->clear();
    std::stringstream lines(r.stdout_text);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("\\restrict ", 0) != 0 && line.rfind("\\unrestrict ", 0) != 0)
        *schema += line + "\n";
    return Status::OK();
  };
  std::vector<std::filesystem::path> folders;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) folders.push_back(entry);
  std::sort(folders.begin(), folders.end());
  const auto start = std::chrono::steady_clock::now();
  std::string before, after, back;
  REHEARSE_RETURN_IF_ERROR(dump(&before));
  for (const auto& folder : folders) {
    SqlScript up, down;
    REHEARSE_RETURN_IF_ERROR(ReadStep(folder, dialect, "up", &up));
    REHEARSE_RETURN_IF_ERROR(ReadStep(folder, dialect, "down", &down));
    REHEARSE_RETURN_IF_ERROR(db->ExecuteScript(up));
    REHEARSE_RETURN_IF_ERROR(dump(&after));
    REHEARSE_RETURN_IF_ERROR(db->ExecuteScript(down));
    REHEARSE_RETURN_IF_ERROR(dump(&back));
    if (back != before) {
      return Status::Infrastructure(folder.string() + ": the schema after down differs:\n" +
                                    before + "\n----\n" + back);
    }
    REHEARSE_RETURN_IF_ERROR(db->ExecuteScript(up));
    before = std::move(after);
  }
  *seconds = Seconds(start);
  return Status::OK();
}

// Least-squares slope of log(y) against log(x).
double LogLogSlope(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double lx = std::log(x[i]), ly = std::log(y[i]);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  const double denominator = n * sxx - sx * sx;
  return denominator > 0 ? (n * sxy - sx * sy) / denominator : 0;
}

void MeasureChains(benchmark::State& state, Dialect dialect) {
  const std::vector<int> sizes = Sizes();
  std::vector<double> xs, gate_times;
  std::map<int, double> gate_over_naive;
  for (auto _ : state) {
    xs.clear();
    gate_times.clear();
    for (int n : sizes) {
      std::string dir;
      double gate_s = 0, naive_s = 0;
      Status s = SharedChains().Get(n, &dir);
      if (s.ok()) s = TimeGate(dir, dialect, &gate_s);
      if (s.ok()) s = TimeNaive(dir, dialect, &naive_s);
      if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
      const std::string suffix = "_" + std::to_string(n);
      state.counters["gate_s" + suffix] = gate_s;
      state.counters["naive_s" + suffix] = naive_s;
      state.counters["gate_ms_per_migration" + suffix] = 1000 * gate_s / n;
      state.counters["gate_over_naive" + suffix] = gate_s / naive_s;
      gate_over_naive[n] = gate_s / naive_s;
      xs.push_back(n);
      gate_times.push_back(gate_s);
    }
  }
  if (sizes.empty()) return state.SkipWithError("REHEARSE_CHAIN_BENCH_SIZES names no size");
  const double slope = xs.size() > 1 ? LogLogSlope(xs, gate_times) : 0;
  state.counters["slope"] = slope;
  state.counters["ratio_naive_over_gate"] = 1 / gate_over_naive[sizes.back()];
  bool met = xs.size() < 2 || slope <= 1.1;
  if (dialect == Dialect::kPostgres && gate_over_naive.count(200))
    met = met && gate_over_naive[200] <= 0.2;
  if (dialect == Dialect::kSqlite && gate_over_naive.count(400))
    met = met && state.counters["gate_ms_per_migration_400"] <= 30;
  state.counters["target_met"] = met;
}

void BM_ChainSqlite(benchmark::State& state) { MeasureChains(state, Dialect::kSqlite); }
BENCHMARK(BM_ChainSqlite)->Unit(benchmark::kSecond)->Iterations(1);

void BM_ChainPostgres(benchmark::State& state) { MeasureChains(state, Dialect::kPostgres); }
BENCHMARK(BM_ChainPostgres)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace rehearse

// `chain_bench --write-chain N DIR` writes the chain of N migrations into the
// empty folder DIR and exits, for profiling the gate on it by hand.
int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--write-chain") {
    rehearse::Status s = rehearse::WriteMigrationChain(argv[3], std::atoi(argv[2]));
    if (!s.ok()) std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return s.ok() ? 0 : 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
