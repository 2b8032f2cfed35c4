#include "harness/runner/migration_units.h"

namespace rehearse {

namespace {

// The first `n` digits of a version as written, or "" when it has fewer.
std::string DigitPrefix(const MigrationVersion& v, size_t n) {
  std::string digits;
  for (char c : v.text())
    if (c >= '0' && c <= '9') digits.push_back(c);
  return digits.size() >= n ? digits.substr(0, n) : "";
}

}  // namespace

Status GroupIntoUnits(const std::string& flag, const std::string& unit, const std::string& accepted,
                      const std::vector<MigrationVersion>& versions,
                      std::vector<MigrationVersion>* firsts,
                      std::map<MigrationVersion, MigrationVersion>* through) {
  firsts->clear();
  through->clear();
  size_t n = 0;
  if (unit != "version" &&
      (unit.rfind("prefix:", 0) != 0 || !MigrationVersion::IsDigits(unit.substr(7)) ||
       unit.size() > 9 || (n = std::stoul(unit.substr(7))) == 0 || n > 40))
    return Status::InvalidInput(flag + ": '" + unit + "' is not " + accepted);
  for (size_t i = 0; i < versions.size();) {
    const std::string prefix = n == 0 ? "" : DigitPrefix(versions[i], n);
    size_t j = i + 1;
    while (!prefix.empty() && j < versions.size() && DigitPrefix(versions[j], n) == prefix) ++j;
    firsts->push_back(versions[i]);
    if (j - i > 1) (*through)[versions[i]] = versions[j - 1];
    i = j;
  }
  return Status::OK();
}

}  // namespace rehearse
