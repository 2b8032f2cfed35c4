#include "harness/migrate/ledger_mismatch.h"

#include <algorithm>

namespace rehearse {

std::string LedgerMismatch::ToString() const {
  switch (kind) {
    case Kind::kChecksumChanged:
      return "version " + version.text() + " changed after it was applied: the ledger records " +
             "checksum " + recorded + ", the source now has " + current;
    case Kind::kMissingFromSource:
      return "version " + version.text() + " (" + recorded +
             ") is applied but the source has no such migration for this dialect";
    case Kind::kRenamed:
      return "version " + version.text() + " was applied as '" + recorded + "' and is now named '" +
             current + "'";
  }
  return "";
}

std::vector<LedgerMismatch> CompareLedger(const std::vector<AppliedMigration>& applied,
                                          const std::vector<Migration>& migrations,
                                          Dialect dialect) {
  std::vector<LedgerMismatch> out;
  for (const AppliedMigration& a : applied) {
    auto it = std::lower_bound(
        migrations.begin(), migrations.end(), a.version,
        [](const Migration& m, const MigrationVersion& v) { return m.version < v; });
    if (it == migrations.end() || !(it->version == a.version) || !it->available(dialect)) {
      out.push_back({LedgerMismatch::Kind::kMissingFromSource, a.version, a.name, ""});
      continue;
    }
    const std::string& checksum = it->For(dialect).checksum;
    if (checksum != a.checksum) {
      out.push_back({LedgerMismatch::Kind::kChecksumChanged, a.version, a.checksum, checksum});
    }
    if (it->name != a.name) {
      out.push_back({LedgerMismatch::Kind::kRenamed, a.version, a.name, it->name});
    }
  }
  return out;
}

}  // namespace rehearse
