#include "harness/migrate/migration_range.h"

namespace rehearse {

bool MigrationRange::Below(const MigrationVersion& v) const {
  if (!lo_) return false;
  return lo_inclusive_ ? v < *lo_ : v <= *lo_;
}

bool MigrationRange::Above(const MigrationVersion& v) const {
  if (!hi_) return false;
  return hi_inclusive_ ? v > *hi_ : v >= *hi_;
}

bool MigrationRange::Contains(const MigrationVersion& v) const { return !Below(v) && !Above(v); }

std::string MigrationRange::ToString() const {
  if (!lo_ && !hi_) return "all";
  if (lo_ && hi_ && *lo_ == *hi_ && lo_inclusive_ && hi_inclusive_) return lo_->text();
  std::string out;
  if (lo_) out += lo_->text();
  if (!lo_ && hi_ && !hi_inclusive_) return "<" + hi_->text();
  out += "..";
  if (hi_) out += hi_->text();
  return out;
}

}  // namespace rehearse
