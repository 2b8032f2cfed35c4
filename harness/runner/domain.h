// Domain: everything a rehearsal needs that depends on whose migrations it
// rehearses, handed to the gate and the commands the way LevelDB takes an
// Env: how a database is filled, what is observed and checked around each up
// and down, which data-migration code exists, which checks exist, and which
// migrations folder it owns.
//
// GenericDomain (generic_domain.h) serves any folder: the schema-driven filler
// and the generic checks. This project's own (verifiers/domain/
// project_domain.h) adds the domain generator, the domain verifiers with
// their workloads, and the C++ of migrations/code. The CLI chooses one per
// command, once (harness/cli/domain_choice.h); nothing in the generic
// harness names the project.
//
// A Domain is immutable once made and shared by every worker of a gate.
#ifndef REHEARSE_RUNNER_DOMAIN_H_
#define REHEARSE_RUNNER_DOMAIN_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fixtures/look_ahead.h"
#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/migrate/data_migration.h"
#include "harness/runner/fill_plan.h"
#include "harness/runner/rehearsal.h"
#include "harness/runner/scenario.h"
#include "verifiers/check_registry.h"
#include "verifiers/migration_observer.h"

namespace rehearse {

// What a fill is a pure function of (with the schema it finds).
struct FillSettings {
  Scenario::Fill kind = Scenario::Fill::kSchema;
  uint64_t seed = 1;
  uint64_t scale = 1;
  std::string profile = "default";  // the domain generator's (fixture_spec.h)
};

class Domain {
 public:
  virtual ~Domain() = default;

  // The fill `settings` asks for. kInvalidInput naming the field when this
  // domain has no such fill (a domain fill of a folder it does not own) or
  // the profile is unknown.
  virtual Status PlanFill(const FillSettings& settings, FillPlan* out) const = 0;

  // The fill a folder gets when no scenario file says (`--migrations`,
  // `rehearse fixture`, `rehearse migrate`).
  virtual Scenario::Fill default_fill() const = 0;

  // The observer of one run of `scenario` on one backend (a fresh one per
  // run); leaves *out null when only the generic checks apply. Called before
  // any database is touched: a field it refuses (an unknown workload) is
  // kInvalidInput naming the scenario file and field.
  virtual Status MakeObserver(const Scenario& scenario,
                              std::unique_ptr<MigrationObserver>* out) const = 0;

  // The C++ of the folder's data migrations; null: none exists.
  virtual const DataMigrationRegistry* data_migrations() const = 0;

  // Every check a rehearsal in this domain can report: the generic ones
  // (GenericChecks()) and the ones its observers add.
  virtual const CheckRegistry& checks() const = 0;

  // Whether `migrations_dir` is the folder this domain was made for.
  virtual bool Owns(const std::string& migrations_dir) const = 0;
};

// The scenario of a folder given without a scenario file (`rehearse gate
// --migrations DIR`): named after the folder, filled as `domain` fills by
// default, every migration rehearsed but a first the fill comes after, and
// `--migrations DIR` in its reproduce command.
Scenario FolderScenario(const std::string& migrations_dir, const Domain& domain);

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_DOMAIN_H_
