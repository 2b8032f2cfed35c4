#include "harness/migrate/migration_source.h"

#include <algorithm>

namespace rehearse {

namespace {

constexpr uint64_t kSequentialLimit = 1000000;

bool IsSequentialNumbering(const std::vector<Migration>& sorted) {
  for (const Migration& m : sorted) {
    uint64_t v = 0;
    if (!m.version.ToUint64(&v) || v >= kSequentialLimit) return false;
  }
  return true;
}

}  // namespace

Status CheckMigrationSequence(GapRule gaps, std::vector<Migration>* migrations) {
  std::stable_sort(migrations->begin(), migrations->end(),
                   [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < migrations->size(); ++i) {
    const Migration& prev = (*migrations)[i - 1];
    const Migration& cur = (*migrations)[i];
    if (prev.version == cur.version) {
      return Status::InvalidInput("duplicate version " + cur.version.key() + ": also used by " +
                                  prev.origin)
          .At(cur.origin, 0);
    }
  }
  if (gaps == GapRule::kNone || !IsSequentialNumbering(*migrations)) return Status::OK();
  for (size_t i = 1; i < migrations->size(); ++i) {
    const Migration& prev = (*migrations)[i - 1];
    const Migration& cur = (*migrations)[i];
    uint64_t a = 0, b = 0;
    prev.version.ToUint64(&a);
    cur.version.ToUint64(&b);
    if (b != a + 1) {
      std::string missing =
          b == a + 2 ? std::to_string(a + 1) : std::to_string(a + 1) + ".." + std::to_string(b - 1);
      return Status::InvalidInput("version gap: versions are numbered sequentially but " + missing +
                                  " is missing between " + prev.version.text() + " and " +
                                  cur.version.text())
          .At(cur.origin, 0);
    }
  }
  return Status::OK();
}

}  // namespace rehearse
