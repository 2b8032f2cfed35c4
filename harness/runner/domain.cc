#include "harness/runner/domain.h"

#include <filesystem>

namespace rehearse {

Scenario FolderScenario(const std::string& migrations_dir, const Domain& domain) {
  Scenario s;
  std::filesystem::path normal = std::filesystem::path(migrations_dir).lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();  // "dir/"
  s.name = normal.filename().string();
  if (s.name.empty() || s.name == ".") s.name = "migrations";
  s.path = migrations_dir;
  s.migrations_dir = migrations_dir;
  s.fill = domain.default_fill();
  s.include_first = s.fill != Scenario::Fill::kDomain;
  s.reproduce_flags = "--migrations " + migrations_dir;
  return s;
}

}  // namespace rehearse
