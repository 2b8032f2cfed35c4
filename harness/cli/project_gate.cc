// The project's own additions to the gate. Kept in one place so the gate
// command itself stays generic: it knows scenarios and invariants, not which
// library implements seed 000's data migration or which workloads play the
// application.
#include "harness/cli/command.h"
#include "harness/runner/gate.h"
#include "migrations/code/data_migrations.h"
#include "verifiers/domain_verifier.h"

namespace rehearse {

void ConfigureProjectGate(bool own_migrations, GateOptions* options) {
  // Domain invariants follow the domain fixtures: a scenario filled from the
  // schema is someone else's migrations.
  options->make_observer = [](const Scenario& s, std::unique_ptr<MigrationObserver>* out) {
    if (s.fill != Scenario::Fill::kDomain) {
      for (const auto& [field, names] :
           {std::pair{"workloads", &s.workloads}, std::pair{"verifiers", &s.verifiers}})
        if (!names->empty())
          return Status::InvalidInput(s.path + ": field \"" + field +
                                      "\" needs \"fill\": \"domain\"");
      return Status::OK();
    }
    DomainVerifierOptions o;
    o.workloads = s.workloads;
    o.only = s.verifiers;
    std::unique_ptr<DomainVerifier> v;
    Status st = DomainVerifier::Make(o, &v);
    if (!st.ok()) return st.Prepend(s.path + ": field \"workloads\" or \"verifiers\"");
    *out = std::move(v);
    return Status::OK();
  };
  if (!own_migrations) return;
  // The C++ of the project's data migrations; an outside folder gets none.
  static DataMigrationRegistry registry;
  static const Status registered = RegisterDataMigrations(&registry);
  if (registered.ok()) options->registry = &registry;
}

}  // namespace rehearse
