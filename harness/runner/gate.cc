#include "harness/runner/gate.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "harness/runner/generic_domain.h"
#include "harness/runner/prepared_scenario.h"

namespace rehearse {

namespace {

// "up 12.3 ms, down 4.0 ms": a migration's own steps, for the progress lines.
std::string StepTimes(const MigrationOutcome& o) {
  auto one = [](double seconds) {
    char buf[32];
    if (seconds < 0) return std::string("did not run");
    if (seconds < 1)
      std::snprintf(buf, sizeof buf, "%.1f ms", seconds * 1000);
    else
      std::snprintf(buf, sizeof buf, "%.2f s", seconds);
    return std::string(buf);
  };
  return "up " + one(o.up_seconds) + ", down " + one(o.down_seconds);
}

// The command line that reruns `run`: on its own backend, or on both (a
// dialect_parity failure needs both to show).
std::string ReproduceCommand(const Scenario& s, const ScenarioRun& run, bool one_backend,
                             bool strict) {
  return "rehearse reproduce --seed " + std::to_string(run.seed) + " --scale " +
         std::to_string(run.scale) + " --scenario " + s.name +
         (one_backend ? " --backend " + run.backend : "") + (strict ? " --strict" : "") +
         (s.reproduce_flags.empty() ? "" : " " + s.reproduce_flags);
}

// Decides a run's verdict from its outcomes.
void Judge(const Scenario& s, ScenarioRun* run) {
  run->negative = !s.expect_fail_check.empty();
  if (!run->negative) {
    run->expect = "pass";
    size_t failed = 0;
    std::string first;
    for (const MigrationOutcome& o : run->outcomes)
      for (const CheckResult& c : o.checks)
        if (c.status == CheckStatus::kFail && failed++ == 0) first = o.migration + " " + c.name;
    run->passed = failed == 0;
    run->verdict = run->passed ? "every check holds"
                               : std::to_string(failed) + " check(s) failed, first: " + first;
    return;
  }
  run->expect = "fail " + s.expect_fail_check +
                (s.expect_fail_migration.empty() ? "" : " on " + s.expect_fail_migration);
  MigrationVersion want;
  bool any_migration = s.expect_fail_migration.empty() ||
                       !MigrationVersion::Parse(s.expect_fail_migration, &want).ok();
  for (const MigrationOutcome& o : run->outcomes) {
    if (!any_migration && !(o.rehearsed && o.version == want)) continue;
    for (const CheckResult& c : o.checks) {
      if (c.name == s.expect_fail_check && c.status == CheckStatus::kFail) {
        run->passed = true;
        run->verdict = "caught: " + c.name + " failed on " + o.migration + " as expected";
      }
    }
    if (run->passed) break;
  }
  if (!run->passed) run->verdict = "NOT caught: " + s.expect_fail_check + " did not fail";
  // What else failed is said, not hidden: a known-bad case that trips other
  // checks too is less precise than it looks.
  std::string others;
  size_t count = 0;
  for (const MigrationOutcome& o : run->outcomes)
    for (const CheckResult& c : o.checks)
      if (c.status == CheckStatus::kFail && c.name != s.expect_fail_check && count++ < 4)
        others += (others.empty() ? "" : ", ") + c.name + " on " + o.migration;
  if (count > 4) others += ", ...";
  if (count > 0) run->verdict += " (also failed: " + others + ")";
}

// One migration's dialect_parity. With the same data on both engines (the
// domain fixtures) the states after up must be equal. The schema filler's
// rows are not the same data (each engine's own types), so then the states
// after up must agree in tables, columns and row counts, and the fresh
// installs — only what the migrations themselves wrote — in everything.
CheckResult DialectParity(const MigrationOutcome& a, const char* a_name, const MigrationOutcome& b,
                          const char* b_name, bool same_data) {
  if (a.after_up.empty() || b.after_up.empty())
    return CheckResult::Skip(std::string(kDialectParity.name),
                             "the migration did not apply on both engines");
  if (FindCheck(a.checks, kAppliesWithData.name) || FindCheck(b.checks, kAppliesWithData.name)) {
    // One engine rehearsed it without the generated rows: only what the
    // migrations themselves wrote compares.
    std::string diff = DescribeLogicalDifferences(a.fresh_install, a_name, b.fresh_install, b_name);
    if (!diff.empty()) return CheckResult::Fail(std::string(kDialectParity.name), diff);
    return CheckResult::Pass(std::string(kDialectParity.name),
                             "the same data after a fresh install on both engines (rehearsed "
                             "without the generated rows on at least one: applies_with_data)");
  }
  // Columns with a volatile default differ by each engine's clock: a warning.
  std::string volatile_only;
  std::string diff =
      DescribeLogicalDifferences(a.after_up, a_name, b.after_up, b_name, same_data, &volatile_only);
  if (!same_data)
    diff += DescribeLogicalDifferences(a.fresh_install, (std::string(a_name) + " fresh").c_str(),
                                       b.fresh_install, (std::string(b_name) + " fresh").c_str(),
                                       true, &volatile_only);
  if (!diff.empty()) return CheckResult::Fail(std::string(kDialectParity.name), diff);
  if (!volatile_only.empty())
    return CheckResult::Warn(std::string(kDialectParity.name), volatile_only);
  return CheckResult::Pass(
      std::string(kDialectParity.name),
      std::to_string(a.after_up.size()) +
          (same_data ? " tables hold the same data on both engines"
                     : " tables have the same columns and row counts after up, and the same data "
                       "after a fresh install, on both engines"));
}

// One scenario on one backend: a run of the gate (ScenarioRun), in
// GateResult::runs at the unit's index. A scenario's units are consecutive.
struct Unit {
  const PreparedScenario* scenario;
  Dialect backend;
};

// Judges the runs of one scenario, units [begin, end) (every backend it ran
// on), once all of them are done: dialect_parity first — the state after
// each up must hold the same logical schema and data on both engines — then
// each run's verdict, once.
void JudgeScenario(const std::vector<Unit>& units, size_t begin, size_t end, bool strict,
                   GateResult* out) {
  const Scenario& s = *units[begin].scenario->scenario;
  for (size_t i = begin; i < end; ++i) {
    for (size_t j = i + 1; j < end; ++j) {
      ScenarioRun& a = out->runs[i];
      ScenarioRun& b = out->runs[j];
      for (MigrationOutcome& oa : a.outcomes) {
        for (MigrationOutcome& ob : b.outcomes) {
          if (oa.migration != ob.migration || !oa.rehearsed || !ob.rehearsed ||
              !oa.not_reached.empty() || !ob.not_reached.empty())
            continue;
          const CheckResult c =
              DialectParity(oa, a.backend.c_str(), ob, b.backend.c_str(),
                            units[i].scenario->scenario->fill != Scenario::Fill::kSchema);
          oa.checks.push_back(c);
          ob.checks.push_back(c);
        }
      }
    }
  }
  for (size_t i = begin; i < end; ++i) {
    ScenarioRun* r = &out->runs[i];
    Judge(s, r);
    bool parity_failed = false;
    for (const MigrationOutcome& o : r->outcomes)
      for (const CheckResult& c : o.checks) parity_failed |= kDialectParity.Is(c) && c.failed();
    if (parity_failed) r->reproduce = ReproduceCommand(s, *r, false, strict);
  }
}

// A data migration ("kind": "data") whose C++ is not registered — in another
// project's folder, which gets none — cannot run at all: that is the
// folder's fault (bad input, exit 2), found before any server starts, not a
// check the migration failed.
Status CheckDataMigrationsHaveCode(const PreparedScenario& p,
                                   const DataMigrationRegistry* registry) {
  for (const std::vector<Migration>* chain : {&p.rehearsal.migrations, &p.rehearsal.baseline}) {
    for (const Migration& m : *chain) {
      if (!m.has_code || m.code_replaced) continue;
      if (std::find(p.rehearsal.code_set_aside.begin(), p.rehearsal.code_set_aside.end(),
                    m.version) != p.rehearsal.code_set_aside.end())
        continue;
      if (registry && registry->Find(m.version, m.name)) continue;
      return Status::InvalidInput(
                 "migration " + m.label() +
                 " is a data migration (\"kind\": \"data\"), and no C++ is registered for it: "
                 "data migration code exists only for this project's own migrations/")
          .At(m.origin + "/migration.json", 0);
    }
  }
  return Status::OK();
}

}  // namespace

std::map<std::string, std::string> GateResult::engines() const {
  std::map<std::string, std::string> out;
  for (const ScenarioRun& r : runs)
    if (!r.engine.empty()) out[r.backend] = r.engine;
  return out;
}

bool GateResult::passed() const {
  if (!incomplete.empty()) return false;
  for (const ScenarioRun& r : runs)
    if (!r.passed) return false;
  return true;
}

Status RunGate(const GateOptions& options, GateResult* out) {
  auto start = std::chrono::steady_clock::now();
  *out = GateResult();
  static const GenericDomain kGeneric;
  const Domain& domain = options.domain ? *options.domain : kGeneric;
  // Bad input is found here, before any server starts.
  std::vector<PreparedScenario> prepared(options.scenarios.size());
  for (size_t i = 0; i < options.scenarios.size(); ++i) {
    REHEARSE_RETURN_IF_ERROR(
        PrepareScenario(options.scenarios[i], options.baseline_dir, &prepared[i]));
    REHEARSE_RETURN_IF_ERROR(CheckDataMigrationsHaveCode(prepared[i], domain.data_migrations()));
  }

  // A shard takes whole scenarios, every backend of one together, so that
  // dialect_parity can compare them.
  std::vector<Unit> units;
  int index = 0;
  for (const PreparedScenario& p : prepared) {
    if (index++ % options.shard_count != options.shard_index) continue;
    std::vector<Dialect> chosen;
    for (Dialect d : p.scenario->backends)
      if (std::find(options.backends.begin(), options.backends.end(), d) != options.backends.end())
        chosen.push_back(d);
    if (p.scenario->expect_fail_check == kDialectParity.name && chosen.size() < 2) {
      out->not_run.push_back(p.scenario->name +
                             ": proves dialect_parity, which needs both backends");
      continue;
    }
    for (Dialect d : chosen) units.push_back({&p, d});
  }

  // Observers and fills are planned up front: a scenario they refuse is bad
  // input, found before any server starts.
  std::vector<std::unique_ptr<MigrationObserver>> observers(units.size());
  std::vector<FillPlan> fills(units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    const Scenario& s = *units[i].scenario->scenario;
    REHEARSE_RETURN_IF_ERROR(domain.MakeObserver(s, &observers[i]));
    const FillSettings fill{s.fill, options.seed.value_or(s.seed), options.scale.value_or(s.scale),
                            s.profile};
    REHEARSE_RETURN_IF_ERROR(
        domain.PlanFill(fill, &fills[i]).Prepend(s.path + ": field \"fill\" or \"fixture\""));
    if (s.expect_fail_check.empty()) continue;
    bool known = GenericChecks().Has(s.expect_fail_check);
    if (observers[i]) {
      const std::vector<std::string> more = observers[i]->CheckNames();
      known = known || std::find(more.begin(), more.end(), s.expect_fail_check) != more.end();
    }
    if (!known)
      return Status::InvalidInput(s.path + ": field \"expect.fail\" names \"" +
                                  s.expect_fail_check + "\", which no check of this scenario has");
  }

  out->runs.resize(units.size());
  // Longest first, so that no worker starts a long run while the others
  // finish: PostgreSQL runs cost about ten SQLite ones, and cost grows with
  // the targets. Results keep the units' order.
  std::vector<size_t> order(units.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto cost = [&](size_t i) {
    const size_t steps = units[i].scenario->rehearsal.targets.size() + 1;
    return units[i].backend == Dialect::kPostgres ? 10 * steps : steps;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return cost(a) > cost(b); });
  // Runs still to finish per scenario: its last one judges them all.
  std::vector<size_t> unjudged(prepared.size(), 0);
  for (const Unit& u : units) ++unjudged[u.scenario - prepared.data()];
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status infrastructure;
  auto say = [&](const std::string& line) {
    if (!options.progress) return;
    std::lock_guard<std::mutex> lock(mu);
    options.progress(line);
  };
  auto work = [&] {
    PostgresClusterOptions cluster;
    cluster.bindir = options.pg_bindir;
    ThrowawayDatabases dbs(cluster);  // one cluster per worker: workers never wait on each other
    if (options.keep) dbs.KeepAll();
    for (size_t k = next++; k < units.size(); k = next++) {
      const size_t i = order[k];
      const Scenario& s = *units[i].scenario->scenario;
      ScenarioRun& run = out->runs[i];
      run.scenario = s.name;
      run.description = s.description;
      run.backend = DialectName(units[i].backend);
      run.seed = options.seed.value_or(s.seed);
      run.scale = options.scale.value_or(s.scale);
      run.reproduce = ReproduceCommand(s, run, true, options.strict);
      auto t0 = std::chrono::steady_clock::now();
      RehearsalOptions r = units[i].scenario->rehearsal;
      r.dialect = units[i].backend;
      r.registry = domain.data_migrations();
      run.settings = std::string("layout ") + LayoutName(units[i].scenario->layout);
      if (r.dialect == Dialect::kSqlite)
        run.settings +=
            std::string(", SQLite foreign_keys ") + (r.sqlite_foreign_keys ? "on" : "off");
      r.seed = run.seed;
      r.strict = options.strict;
      r.observer = observers[i].get();
      r.fill = fills[i];
      r.time_limit = options.time_limit;
      r.on_start = [&](const Migration& m) {
        say("  " + s.name + " [" + run.backend + "] " + m.label() + " ...");
      };
      r.on_finish = [&](const MigrationOutcome& o) {
        if (o.up_seconds >= 0)
          say("  " + s.name + " [" + run.backend + "] " + o.migration + " " + StepTimes(o));
      };
      Status st = RunRehearsal(&dbs, r, &run.outcomes);
      if (!run.outcomes.empty()) run.engine = run.outcomes.front().engine;
      run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (!st.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (infrastructure.ok()) infrastructure = st;
        next = units.size();
        continue;
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        if (--unjudged[units[i].scenario - prepared.data()] > 0) {
          // A run waits for its scenario's other backends, silently but for
          // a dialect_parity case, whose verdict is only that comparison.
          if (options.progress && s.expect_fail_check == kDialectParity.name)
            options.progress("  " + s.name + " [" + run.backend +
                             "] done; judged once both backends are");
          continue;
        }
      }
      // The scenario's other runs are done (their writes came before the
      // count under `mu`); nobody touches them again.
      size_t begin = i, end = i + 1;
      while (begin > 0 && units[begin - 1].scenario == units[i].scenario) --begin;
      while (end < units.size() && units[end].scenario == units[i].scenario) ++end;
      JudgeScenario(units, begin, end, options.strict, out);
      for (size_t k = begin; k < end; ++k) {
        const ScenarioRun& r = out->runs[k];
        say(std::string(r.passed ? "PASS " : "FAIL ") + r.scenario + " [" + r.backend + "] " +
            r.verdict);
      }
    }
    for (const std::string& k : dbs.kept()) say("kept " + k);
  };
  std::vector<std::thread> threads;
  int n = std::max(1, std::min<int>(options.parallelism, static_cast<int>(units.size())));
  for (int i = 1; i < n; ++i) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  REHEARSE_RETURN_IF_ERROR(infrastructure);
  out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::OK();
}

}  // namespace rehearse
