// ChooseDomain: the one place a command decides whose migrations it works on
// (harness/runner/domain.h). Rehearse's own migrations/ (no --migrations, or
// that same folder however spelled) get this project's domain — its
// generator, invariants, workloads and data-migration code; any other folder,
// a copy of migrations/ elsewhere included, gets the generic one. A build
// without the domain (REHEARSE_DOMAIN OFF) gives every folder the generic one.
#ifndef REHEARSE_CLI_DOMAIN_CHOICE_H_
#define REHEARSE_CLI_DOMAIN_CHOICE_H_

#include <string>

#include "harness/common/status.h"
#include "harness/runner/domain.h"

namespace rehearse {

// `migrations_dir` empty: the project's own (project_root.h). *out lives for
// the program. Fails when the project's root cannot be found for an empty
// `migrations_dir`, or its data migrations' code does not register.
Status ChooseDomain(const std::string& migrations_dir, const Domain** out);

}  // namespace rehearse

#endif  // REHEARSE_CLI_DOMAIN_CHOICE_H_
