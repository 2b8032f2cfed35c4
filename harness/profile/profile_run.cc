#include "harness/profile/profile_run.h"

#include <cstdio>

#include "fixtures/schema_filler.h"
#include "harness/db/engine_version.h"
#include "harness/db/throwaway_databases.h"
#include "harness/migrate/database_identity.h"
#include "harness/migrate/migrator.h"
#include "harness/profile/lock_sampler.h"
#include "harness/profile/profiled_database.h"
#include "harness/profile/reference_query.h"
#include "harness/profile/row_counts.h"
#include "harness/profile/short_tables.h"
#include "harness/runner/unfilled_chain.h"

#include "harness/common/duration.h"

namespace rehearse {

namespace {

// A table whose fill takes this long gets its own progress line.
constexpr double kSlowTableFill_s = 1.0;

class BackendRun {
 public:
  // `profiled` is called after each migration profiled into *out.
  BackendRun(Dialect dialect, const ProfileOptions& o, BackendProfile* out,
             std::function<void()> profiled)
      : dialect_(dialect),
        o_(o),
        out_(out),
        profiled_(std::move(profiled)),
        dbs_(ClusterOptions(o)) {}

  Status Run() {
    out_->dialect = dialect_;
    dbs_.SetSqliteForeignKeys(o_.sqlite_foreign_keys);
    migrator_options_.identity = MakeDatabaseIdentity(o_.seed, "profile");
    migrator_options_.time_limit = o_.time_limit;
    migrator_options_.registry = o_.registry;
    REHEARSE_RETURN_IF_ERROR(dbs_.ScratchDir("artifacts", &migrator_options_.artifact_dir));
    RehearsalOptions chain_options;
    chain_options.dialect = dialect_;
    chain_options.migrations = o_.migrations;
    chain_options.baseline = o_.baseline;
    chain_options.seed = o_.seed;
    UnfilledChain chain(&dbs_, chain_options, migrator_options_);
    REHEARSE_RETURN_IF_ERROR(chain.Survey());

    Session session;
    REHEARSE_RETURN_IF_ERROR(Open("", &session));
    REHEARSE_RETURN_IF_ERROR(EngineVersion(session.db.get(), &out_->engine));
    REHEARSE_RETURN_IF_ERROR(
        TimeReferenceQuery(session.db.get(), kReferenceRuns, &out_->reference_s));

    std::string previous = "(empty database)", broken;
    REHEARSE_RETURN_IF_ERROR(ApplyBaseline(session.as, &previous, &broken));
    for (size_t i = 0; i < o_.migrations.size();) {
      Unit u = UnitAt(&i);
      if (u.members.empty() || IsApplied(o_, u.members.front()->version)) continue;
      const Migration& first = *u.members.front();
      MigrationProfile mp;
      mp.migration = u.label;
      mp.origin = first.origin;
      for (const Migration* m : u.members)
        mp.privileged |= m->privileged && session.as.privileged != nullptr;
      if (!broken.empty()) {
        mp.not_reached = broken;
      } else {
        REHEARSE_RETURN_IF_ERROR(Fill(session.db.get(), chain.AddedFrom(first.version), u.label));
        REHEARSE_RETURN_IF_ERROR(Profile(&session, u, previous, &mp));
        previous = mp.migration;
        if (!mp.up_failure.ok()) {
          // Only the first up says so: one applied again after its down
          // fails for what the down left, rows or not.
          mp.fails_only_with_data = !mp.up.status.ok() && AppliesWithoutRows(chain, u);
          if (!mp.fails_only_with_data) {
            broken = "the up of " + mp.migration + " failed";
          } else if (i < o_.migrations.size()) {
            // Go on from the unfilled state through this unit, as the gate does.
            std::string unfilled;
            REHEARSE_RETURN_IF_ERROR(chain.TemplateBefore(o_.migrations[i].version, &unfilled));
            REHEARSE_RETURN_IF_ERROR(Open(unfilled, &session));
          }
        }
      }
      const bool ran = mp.not_reached.empty();
      out_->migrations.push_back(std::move(mp));
      if (ran) profiled_();
    }
    if (session.sampler) out_->lock_samples += session.sampler->samples();
    for (auto& [warning, seen] : fill_warnings_)
      if (seen.second > 1)
        out_->fill_warnings[seen.first] +=
            " (and again before " + std::to_string(seen.second - 1) +
            (seen.second == 2 ? " later migration)" : " later migrations)");
    return Status::OK();
  }

 private:
  // The database the chain runs on: the migration's connections, the lock
  // sampler watching them (PostgreSQL) and the Migrator profiling them.
  struct Session {
    std::unique_ptr<Database> db;
    MigrationConnections as;
    std::unique_ptr<LockSampler> sampler;
    std::unique_ptr<ProfiledDatabase> profiled;
    std::unique_ptr<Migrator> migrator;
  };

  // Closes *s and opens it on a new database, empty or made from
  // `template_name`.
  Status Open(const std::string& template_name, Session* s) {
    if (s->sampler) out_->lock_samples += s->sampler->samples();
    s->migrator.reset();
    s->profiled.reset();
    s->sampler.reset();
    s->as = MigrationConnections();
    s->db.reset();
    std::string name;
    REHEARSE_RETURN_IF_ERROR(dbs_.Create(dialect_, &s->db, nullptr, template_name, &name));
    REHEARSE_RETURN_IF_ERROR(dbs_.ConnectForMigrations(
        s->db.get(), name, AnyPrivileged(o_.migrations) || AnyPrivileged(o_.baseline), &s->as));
    if (dialect_ == Dialect::kPostgres) {
      int64_t pid = 0;
      REHEARSE_RETURN_IF_ERROR(BackendPid(s->as.db, &pid));
      std::unique_ptr<Database> watcher;
      REHEARSE_RETURN_IF_ERROR(
          dbs_.ConnectAs(name, ThrowawayDatabases::Role::kSuperuser, &watcher));
      s->sampler = std::make_unique<LockSampler>(std::move(watcher), pid, o_.sample_interval);
    }
    s->profiled = std::make_unique<ProfiledDatabase>(s->as.db, s->sampler.get());
    migrator_options_.privileged_db = s->as.privileged;
    s->migrator = std::make_unique<Migrator>(s->profiled.get(), o_.migrations, migrator_options_);
    return Status::OK();
  }

  static PostgresClusterOptions ClusterOptions(const ProfileOptions& o) {
    PostgresClusterOptions c;
    c.bindir = o.pg_bindir;
    return c;
  }

  // The baseline's migrations, as production has them: unfilled and
  // unprofiled. One that fails leaves every pending migration unreached
  // (*broken says why); the state after it is *previous.
  Status ApplyBaseline(const MigrationConnections& as, std::string* previous, std::string* broken) {
    if (o_.baseline.empty()) return Status::OK();
    Migrator production(as.db, o_.baseline, migrator_options_);
    MigrationReport report;
    Status st = production.UpAll(&report);
    if (st.code() == Status::Code::kInfrastructure) return st;
    if (!st.ok()) {
      out_->baseline_failure = st.ToString();
      *broken = "the baseline did not apply";
      return Status::OK();
    }
    *previous = o_.baseline.back().label() + " (the baseline)";
    Progress("applied the baseline's " + std::to_string(o_.baseline.size()) +
             " migrations, without rows");
    return Status::OK();
  }

  void Progress(const std::string& line) {
    if (o_.progress) o_.progress(std::string(DialectName(dialect_)) + " " + line);
  }

  // Every table up to its size (the rows a migration seeded count toward
  // it); analyzed, so that reltuples (the row counts findings quote) is right.
  Status Fill(Database* db, const std::vector<LookAheadConstraint>& look_ahead,
              const std::string& before) {
    SchemaFillOptions fill = SchemaFillAtScale(o_.seed, 1);
    fill.rows_per_table = o_.rows;
    fill.top_up = true;
    fill.rows_by_table = o_.rows_by_table;
    REHEARSE_RETURN_IF_ERROR(short_tables_.Hold(db, &fill.rows_by_table));
    fill.look_ahead = look_ahead;
    fill.user_triggers = o_.fill_triggers;
    auto table_start = std::chrono::steady_clock::now();
    fill.table_filled = [&](const std::string& table, int64_t rows) {
      const auto now = std::chrono::steady_clock::now();
      const double seconds = std::chrono::duration<double>(now - table_start).count();
      table_start = now;
      if (seconds >= kSlowTableFill_s)
        Progress("filling before " + before + ": " + table + ", " + std::to_string(rows) +
                 " rows added in " + FormatSeconds(seconds));
    };
    SchemaFillReport report;
    REHEARSE_RETURN_IF_ERROR(SchemaDrivenFiller(fill).Fill(db, &report).Prepend("filling"));
    // A table the filler cannot fill says so again, in other numbers, before
    // later migrations: given once per table and constraint.
    for (const SchemaFillWarning& w : report.warnings) {
      auto [it, first] =
          fill_warnings_.try_emplace(w.table + "\n" + w.constraint, out_->fill_warnings.size(), 0);
      if (first) out_->fill_warnings.push_back("before " + before + ": " + w.ToString());
      ++it->second.second;
    }
    REHEARSE_RETURN_IF_ERROR(short_tables_.Note(db, report, fill));
    for (const SchemaFillReport::Table& t : report.tables) {
      if (t.rows == 0) continue;
      if (dialect_ == Dialect::kPostgres)
        REHEARSE_RETURN_IF_ERROR(db->Execute("ANALYZE " + QuotedTableName(t.name)));
    }
    if (report.total_rows > 0)
      Progress("filled " + std::to_string(report.tables.size()) + " tables before " + before +
               " (" + std::to_string(report.total_rows) + " rows)");
    return Status::OK();
  }

  // The migrations of this engine that go up and come down together: one,
  // or a unit of several (--unit).
  struct Unit {
    std::vector<const Migration*> members;
    std::string label;  // "0005_a", or "0005_a..0007_c"
    MigrationRange range() const {
      const MigrationVersion& first = members.front()->version;
      const MigrationVersion& last = members.back()->version;
      return first == last ? MigrationRange::Only(first) : MigrationRange::Between(first, last);
    }
  };

  // The unit that starts at migration *i (available here or not); moves *i
  // past it. No members when none of its migrations runs on this engine.
  Unit UnitAt(size_t* i) const {
    const std::vector<Migration>& all = o_.migrations;
    const auto through = o_.unit_through.find(all[*i].version);
    size_t end = *i + 1;
    if (through != o_.unit_through.end())
      while (end < all.size() && all[end].version <= through->second) ++end;
    Unit u;
    for (size_t k = *i; k < end; ++k)
      if (all[k].available(dialect_)) u.members.push_back(&all[k]);
    *i = end;
    if (!u.members.empty()) {
      u.label = u.members.front()->label();
      if (u.members.size() > 1) u.label += ".." + u.members.back()->label();
    }
    return u;
  }

  // Whether every member of `u` applied in the unfilled pass over the chain.
  static bool AppliesWithoutRows(const UnfilledChain& chain, const Unit& u) {
    for (const Migration* m : u.members) {
      const std::optional<Status> up = chain.UnfilledUp(m->version);
      if (!up || !up->ok()) return false;
    }
    return true;
  }

  // One profiled step of `u`; false in *ok when it failed (its status is in
  // the step).
  Status Step(ProfiledDatabase* profiled, Migrator* migrator, const Unit& u, bool up,
              StepProfile* step) {
    step->up = up;
    step->ran = true;
    for (const Migration* m : u.members)
      step->unwatched |= m->privileged && migrator_options_.privileged_db != nullptr;
    REHEARSE_RETURN_IF_ERROR(profiled->StartStep(step));
    MigrationReport report;
    const auto start = std::chrono::steady_clock::now();
    step->status = up ? migrator->Up(u.range(), &report) : migrator->Down(u.range(), {}, &report);
    step->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    profiled->FinishStep();
    if (step->status.code() == Status::Code::kInfrastructure) return step->status;
    return Status::OK();
  }

  Status Profile(Session* session, const Unit& u, const std::string& previous,
                 MigrationProfile* mp) {
    Database* db = session->db.get();
    ProfiledDatabase* profiled = session->profiled.get();
    Migrator* migrator = session->migrator.get();
    RollbackRehearsal& rb = mp->rollback;
    rb.backend = DialectName(dialect_);
    rb.from = mp->migration;
    rb.to = previous;
    rb.rows = o_.rows;
    rb.origin = u.members.front()->origin;
    // A unit comes down through every member: one without a down stops it.
    for (const Migration* m : u.members) {
      const std::string whose = u.members.size() > 1 ? m->label() + ": " : "";
      if (!rb.no_down.empty()) break;
      rb.declared_irreversible = !m->irreversible.empty();
      if (rb.declared_irreversible)
        rb.no_down = whose + m->irreversible;
      else if (m->For(dialect_).down.DoesNothing() && !m->has_code)
        rb.no_down = whose + "its down is missing or empty";
    }
    std::map<std::string, int64_t> before;
    if (rb.no_down.empty()) REHEARSE_RETURN_IF_ERROR(CountTableRows(db, &before));

    const int repeat = std::max(1, o_.repeat);
    bool at_n = false;  // the database is at N (the up applied, no down undid it)
    for (int r = 0; r < repeat; ++r) {
      StepProfile up;
      REHEARSE_RETURN_IF_ERROR(Step(profiled, migrator, u, true, &up));
      if (!up.status.ok()) {
        mp->up_failure = up.status;
        if (r == 0) mp->up = std::move(up);
        break;
      }
      at_n = true;
      mp->up_runs.push_back(up.seconds);
      if (r == 0) mp->up = std::move(up);
      if (!rb.no_down.empty()) break;
      StepProfile down;
      REHEARSE_RETURN_IF_ERROR(Step(profiled, migrator, u, false, &down));
      if (!down.status.ok()) {
        rb.failure = down.status.ToString();
        if (r == 0) mp->down = std::move(down);
        break;
      }
      at_n = false;
      mp->down_runs.push_back(down.seconds);
      if (r == 0) {
        mp->down = std::move(down);
        std::map<std::string, int64_t> after;
        REHEARSE_RETURN_IF_ERROR(CountTableRows(db, &after));
        rb.lost = LostRows(before, after);
      }
    }
    if (!at_n && mp->up_failure.ok()) {
      MigrationReport report;
      Status again = migrator->Up(u.range(), &report);
      if (again.code() == Status::Code::kInfrastructure) return again;
      if (!again.ok()) mp->up_failure = again.Prepend("applied again after its down");
    }
    mp->up_s = MedianSeconds(mp->up_runs);
    mp->down_s = MedianSeconds(mp->down_runs);
    rb.seconds = mp->down_s;
    mp->up_findings = JudgeStep(mp->up, o_.thresholds);
    mp->down_findings = JudgeStep(mp->down, o_.thresholds);
    const BlockingLock up_lock = LongestBlockingLock(mp->up);
    const BlockingLock down_lock = LongestBlockingLock(mp->down);
    mp->longest = up_lock.held_s >= down_lock.held_s ? up_lock : down_lock;
    Progress(
        mp->migration + " up " + (mp->up_s < 0 ? "failed" : FormatSeconds(mp->up_s)) + ", down " +
        (!rb.no_down.empty() ? "none"
         : mp->down_s < 0    ? "failed"
                             : FormatSeconds(mp->down_s)) +
        ", " + std::to_string(mp->up_findings.size() + mp->down_findings.size()) + " findings");
    return Status::OK();
  }

  const Dialect dialect_;
  const ProfileOptions& o_;
  BackendProfile* out_;
  const std::function<void()> profiled_;
  // Each fill warning's table and constraint => its index in
  // out_->fill_warnings and how many fills gave it.
  std::map<std::string, std::pair<size_t, int>> fill_warnings_;
  ShortTables short_tables_;
  ThrowawayDatabases dbs_;
  MigratorOptions migrator_options_;
};

}  // namespace

bool IsApplied(const ProfileOptions& options, const MigrationVersion& version) {
  for (const Migration& m : options.baseline)
    if (m.version == version) return true;
  return false;
}

Status RunProfile(const ProfileOptions& options, ProfileResult* out) {
  const auto start = std::chrono::steady_clock::now();
  for (Dialect d : options.backends) {
    out->backends.emplace_back();
    auto profiled = [&] {
      out->seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (options.after_each) options.after_each(*out);
    };
    REHEARSE_RETURN_IF_ERROR(BackendRun(d, options, &out->backends.back(), profiled).Run());
  }
  out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::OK();
}

Timings TimingsOf(const ProfileResult& result, const ProfileOptions& options) {
  Timings t;
  t.rows = options.rows;
  t.repeat = options.repeat;
  for (const BackendProfile& b : result.backends) {
    BackendTimings bt;
    bt.backend = DialectName(b.dialect);
    bt.engine = b.engine;
    bt.reference_s = b.reference_s;
    for (const MigrationProfile& m : b.migrations) {
      if (!m.not_reached.empty()) continue;
      MigrationTimings mt;
      mt.migration = m.migration;
      mt.up_s = m.up_s;
      mt.down_s = m.down_s;
      mt.lock_s = m.longest.held_s;
      if (m.longest.held_s > 0)
        mt.lock_on = LockModeName(m.longest.mode) +
                     (m.longest.table.empty() ? "" : " on " + m.longest.table);
      bt.migrations.push_back(std::move(mt));
    }
    t.backends.push_back(std::move(bt));
  }
  return t;
}

}  // namespace rehearse
