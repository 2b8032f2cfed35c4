// ProjectDomain: the Domain (harness/runner/domain.h) of Rehearse's own
// migrations/ — the domain generator (fixtures/domain/) right after the
// baseline, DomainVerifier with its workloads (scenarios/workloads/) around
// each up and down, and the C++ of the data migrations (migrations/code/).
// A scenario that asks for another fill ("schema", "none") gets the generic
// domain's.
#ifndef REHEARSE_VERIFIERS_DOMAIN_PROJECT_DOMAIN_H_
#define REHEARSE_VERIFIERS_DOMAIN_PROJECT_DOMAIN_H_

#include <memory>
#include <string>

#include "harness/migrate/data_migration.h"
#include "harness/runner/generic_domain.h"

namespace rehearse {

class ProjectDomain : public Domain {
 public:
  // For the folder at `migrations_dir`. Registering the data migrations'
  // code can fail (two of one version): that Status, never a domain without
  // its code.
  static Status Make(const std::string& migrations_dir, std::unique_ptr<ProjectDomain>* out);

  // kDomain: the domain generator at (seed, scale, profile) after the first
  // migration; kInvalidInput naming the profiles when the profile is unknown.
  Status PlanFill(const FillSettings& settings, FillPlan* out) const override;
  Scenario::Fill default_fill() const override { return Scenario::Fill::kDomain; }
  // A domain-filled scenario: a DomainVerifier playing its workloads and
  // judging its verifiers.
  Status MakeObserver(const Scenario& scenario,
                      std::unique_ptr<MigrationObserver>* out) const override;
  const DataMigrationRegistry* data_migrations() const override { return &code_; }
  const CheckRegistry& checks() const override { return checks_; }
  // The folder it was made for, however spelled.
  bool Owns(const std::string& migrations_dir) const override;
  // The domain generator's coverage cases (fixtures/domain/fixture_coverage.h):
  // every one is promised from scale 1 on, so a gap there is the generator
  // failing its contract; below it the report is information.
  Status FillCoverage(Database* db, const FillSettings& settings, std::string* report,
                      bool* missing) const override;

 private:
  ProjectDomain() = default;

  std::string migrations_dir_;
  DataMigrationRegistry code_;
  CheckRegistry checks_;
  GenericDomain generic_;
};

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_DOMAIN_PROJECT_DOMAIN_H_
