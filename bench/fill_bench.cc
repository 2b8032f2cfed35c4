// The schema-driven filler's batching (fixtures/schema_filler.h), each
// against the same fill done one row at a time, in the same run, on both
// engines:
//   BatchedJudges  a table under a unique index on an expression, whose key
//       only the database can tell: the filler asks it about the next 128
//       rows in one query (FillBatching::judged_rows). Reference: one query
//       per row.
//   HalvingSplit   a table whose trigger rejects about one row in 200, which
//       the filler cannot foresee: each batch of 512 rows goes in with one
//       BulkLoad and a rejected one is split in halves down to its bad rows,
//       which are redrawn (FillBatching::load_rows). Reference: every row
//       loaded alone.
// Each iteration fills two fresh databases, batched and one by one, in
// alternating order. Counters: the median over iterations of one-by-one
// time / batched time ("ratio_one_by_one_over_batched", higher is better;
// target >= 1: batching must not lose) and the rows each fill made (the
// same: batching changes the round trips, not the rows). The time is this
// process's CPU time on SQLite, which runs in-process (on a shared machine
// the wall clock of a short fill is mostly other tenants' share), and the
// wall clock on PostgreSQL, whose work is the server's.
#include <benchmark/benchmark.h>

#include <time.h>

#include "bench/median.h"
#include "fixtures/schema_filler.h"
#include "harness/db/throwaway_databases.h"

namespace rehearse {
namespace {

constexpr int64_t kRows = 4000;

std::string JudgedSchema(Dialect) {
  return "CREATE TABLE tags (id integer PRIMARY KEY, name text NOT NULL);"
         "CREATE UNIQUE INDEX tags_name_lower ON tags (lower(name));";
}

std::string RejectingSchema(Dialect d) {
  const std::string table = "CREATE TABLE readings (id integer PRIMARY KEY, n bigint NOT NULL);";
  if (d == Dialect::kSqlite)
    return table +
           "CREATE TRIGGER readings_reject BEFORE INSERT ON readings "
           "WHEN abs(NEW.n % 200) = 7 BEGIN SELECT RAISE(ABORT, 'rejected'); END;";
  return table +
         "CREATE FUNCTION readings_reject() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
         "IF abs(NEW.n % 200) = 7 THEN RAISE EXCEPTION 'rejected'; END IF; RETURN NEW; END $$;"
         "CREATE TRIGGER readings_reject BEFORE INSERT ON readings FOR EACH ROW "
         "EXECUTE FUNCTION readings_reject();";
}

double Now(clockid_t clock) {
  timespec t;
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Fills a new database holding `schema` with kRows rows per table under
// `batching`: the fill's time and its rows.
Status TimedFill(ThrowawayDatabases* dbs, Dialect dialect, const std::string& schema,
                 FillBatching batching, double* seconds, int64_t* rows) {
  std::unique_ptr<Database> db;
  REHEARSE_RETURN_IF_ERROR(dbs->Create(dialect, &db));
  REHEARSE_RETURN_IF_ERROR(db->ExecuteScript(SqlScript::Parse(schema)));
  SchemaFillOptions o;
  o.seed = 7;
  o.rows_per_table = kRows;
  o.batching = batching;
  SchemaFillReport report;
  const clockid_t clock = dialect == Dialect::kSqlite ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC;
  const double start = Now(clock);
  REHEARSE_RETURN_IF_ERROR(SchemaDrivenFiller(o).Fill(db.get(), &report));
  *seconds = Now(clock) - start;
  *rows = report.total_rows;
  return Status::OK();
}

void RunPair(benchmark::State& state, Dialect dialect, const std::string& schema,
             FillBatching one_by_one) {
  ThrowawayDatabases dbs;
  std::vector<double> batched_s, alone_s;
  int64_t batched_rows = 0, alone_rows = 0;
  bool alone_first = false;
  for (auto _ : state) {
    double b = 0, a = 0;
    Status s;
    auto batched = [&] { return TimedFill(&dbs, dialect, schema, {}, &b, &batched_rows); };
    auto alone = [&] { return TimedFill(&dbs, dialect, schema, one_by_one, &a, &alone_rows); };
    s = alone_first ? alone() : batched();
    if (s.ok()) s = alone_first ? batched() : alone();
    alone_first = !alone_first;
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
    state.SetIterationTime(b);
    batched_s.push_back(b);
    alone_s.push_back(a);
  }
  const double ratio = MedianRatio(alone_s, batched_s);
  state.counters["batched_s"] = Median(batched_s);
  state.counters["one_by_one_s"] = Median(alone_s);
  state.counters["batched_rows"] = static_cast<double>(batched_rows);
  state.counters["one_by_one_rows"] = static_cast<double>(alone_rows);
  state.counters["ratio_one_by_one_over_batched"] = ratio;
  state.counters["target_met"] = ratio >= 1 && batched_rows == alone_rows ? 1 : 0;
}

void BM_BatchedJudges(benchmark::State& state, Dialect dialect) {
  FillBatching one_by_one;
  one_by_one.judged_rows = 1;
  RunPair(state, dialect, JudgedSchema(dialect), one_by_one);
}

void BM_HalvingSplit(benchmark::State& state, Dialect dialect) {
  FillBatching one_by_one;
  one_by_one.load_rows = 1;
  one_by_one.max_load_rows = 1;
  RunPair(state, dialect, RejectingSchema(dialect), one_by_one);
}

#define FILL_BENCH(fn)                                \
  BENCHMARK_CAPTURE(fn, sqlite, Dialect::kSqlite)     \
      ->Iterations(3)                                 \
      ->UseManualTime()                               \
      ->Unit(benchmark::kMillisecond);                \
  BENCHMARK_CAPTURE(fn, postgres, Dialect::kPostgres) \
      ->Iterations(3)                                 \
      ->UseManualTime()                               \
      ->Unit(benchmark::kMillisecond)
FILL_BENCH(BM_BatchedJudges);
FILL_BENCH(BM_HalvingSplit);

}  // namespace
}  // namespace rehearse
