// GenericDomain: the Domain of any migrations folder Rehearse knows nothing
// about — the schema-driven filler (fixtures/schema_filler.h) at every N-1,
// the generic checks, no data-migration code and no observer.
#ifndef REHEARSE_RUNNER_GENERIC_DOMAIN_H_
#define REHEARSE_RUNNER_GENERIC_DOMAIN_H_

#include <memory>
#include <string>

#include "harness/runner/domain.h"

namespace rehearse {

class GenericDomain : public Domain {
 public:
  // kSchema: the schema-driven filler at SchemaFillAtScale(seed, scale),
  // before each target; kNone: no fill; kDomain is kInvalidInput.
  Status PlanFill(const FillSettings& settings, FillPlan* out) const override;
  Scenario::Fill default_fill() const override { return Scenario::Fill::kSchema; }
  // None; a scenario naming workloads or domain verifiers is kInvalidInput.
  Status MakeObserver(const Scenario& scenario,
                      std::unique_ptr<MigrationObserver>* out) const override;
  const DataMigrationRegistry* data_migrations() const override { return nullptr; }
  const CheckRegistry& checks() const override { return GenericChecks(); }
  // Any folder.
  bool Owns(const std::string&) const override { return true; }
  // kInvalidInput: the schema-driven filler promises no cases.
  Status FillCoverage(Database* db, const FillSettings& settings, std::string* report,
                      bool* missing) const override;
};

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_GENERIC_DOMAIN_H_
