#include "harness/cli/domain_choice.h"

#include <memory>

#include "harness/cli/project_root.h"
#include "harness/runner/generic_domain.h"
#ifdef REHEARSE_DOMAIN
#include "verifiers/domain/project_domain.h"
#endif

namespace rehearse {

Status ChooseDomain(const std::string& migrations_dir, const Domain** out) {
  static const GenericDomain kGeneric;
  std::string root;
  Status found = FindProjectRoot(&root);
  if (!found.ok()) {
    if (migrations_dir.empty()) return found;
    *out = &kGeneric;  // an installation without the project's data
    return Status::OK();
  }
#ifdef REHEARSE_DOMAIN
  static std::unique_ptr<ProjectDomain> own;
  static const Status made = ProjectDomain::Make(root + "/migrations", &own);
  REHEARSE_RETURN_IF_ERROR(made);
  *out = migrations_dir.empty() || own->Owns(migrations_dir) ? static_cast<const Domain*>(own.get())
                                                             : &kGeneric;
#else
  *out = &kGeneric;  // built without the project's domain (REHEARSE_DOMAIN OFF)
#endif
  return Status::OK();
}

}  // namespace rehearse
