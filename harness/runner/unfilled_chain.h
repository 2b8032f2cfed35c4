// UnfilledChain: the chain of a rehearsal as a fresh install builds it — the
// same migrations (after the baseline, when there is one) on an empty
// database, with none of the filler's rows. It answers two questions the
// filled rehearsal cannot:
//
// - Does a migration that failed on the filled database fail because of the
//   rows? Only if it also applies here (verifiers/applies_with_data.h). A migration that
//   fails here breaks the chain, as it would break a fresh install.
// - What will later migrations demand of the rows filled now? Survey()
//   applies every migration in turn to one database and diffs the schema
//   models around each (look_ahead.h), so the filler at N-1 can honour the
//   UNIQUE, NOT NULL, CHECK and foreign keys that N and later add.
//
// Cost: Survey() applies the chain once more (one database, no clones) and
// reads the catalog once per migration; TemplateBefore() builds its
// templates lazily, moving forward only, so a chain with failures applies
// each migration here at most once more again.
#ifndef REHEARSE_RUNNER_UNFILLED_CHAIN_H_
#define REHEARSE_RUNNER_UNFILLED_CHAIN_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fixtures/look_ahead.h"
#include "harness/common/status.h"
#include "harness/db/throwaway_databases.h"
#include "harness/migrate/migrator.h"
#include "harness/runner/rehearsal.h"

namespace rehearse {

class UnfilledChain {
 public:
  // Everything is borrowed and must outlive this object.
  UnfilledChain(ThrowawayDatabases* dbs, const RehearsalOptions& options,
                const MigratorOptions& migrator_options);

  // Applies the chain to one empty database, a migration at a time, noting
  // for each whether its up applied and the constraints it added; stops at
  // the first that fails. Non-OK only for infrastructure failures.
  Status Survey();

  // After Survey(): how `version`'s up went without the filler's rows (OK:
  // it applied), or nullopt when the survey did not reach it (or did not run).
  std::optional<Status> UnfilledUp(const MigrationVersion& version) const;

  // After Survey(): what the migrations from `version` on add to the tables
  // that exist before it — every UNIQUE, NOT NULL and foreign key, and each
  // table's CHECKs from the first of them that adds any (a later CHECK may
  // replace it once a data migration has converted the rows).
  std::vector<LookAheadConstraint> AddedFrom(const MigrationVersion& version) const;

  // A database at the state right before `version`, unfilled, for
  // ThrowawayDatabases::Create to clone (*name). kDatabase when a migration
  // before `version` does not apply without rows.
  Status TemplateBefore(const MigrationVersion& version, std::string* name);

  // The unfilled state TemplateBefore built last ("" before the first):
  // it must outlive the databases a run drops (ThrowawayDatabases::DropAllBut).
  const std::string& template_name() const { return template_; }

 private:
  // Applies `m`'s up, then the scenario's appended script when it names m.
  Status Up(const MigrationConnections& as, const Migration& m);
  // The baseline (when given), on an empty *db.
  Status StartingPoint(const MigrationConnections& as);
  // Connections as the roles migrations run as (never the harness's own).
  Status Connect(Database* db, const std::string& name, MigrationConnections* as);
  Migrator MigratorOn(const MigrationConnections& as, const std::vector<Migration>& chain) const;

  ThrowawayDatabases* dbs_;
  const RehearsalOptions& options_;
  MigratorOptions migrator_options_;
  bool surveyed_ = false;
  std::map<std::string, Status> up_;  // by version digits, as far as the survey went
  struct Added {
    MigrationVersion version;
    std::vector<LookAheadConstraint> constraints;
  };
  std::vector<Added> added_;  // in chain order
  std::string template_;      // the lazily built unfilled state
  std::optional<MigrationVersion> template_before_;
};

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_UNFILLED_CHAIN_H_
