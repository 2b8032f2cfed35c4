// MigrationRange: which versions an operation covers — everything, one
// version, or an interval whose ends may be open. DESIGN's unit of rehearsal
// is one version by default and must be able to become a range (projects that
// split one change over several versions whose downs only work together).
//
// Versions compare as numbers (migration_version.h).
#ifndef REHEARSE_MIGRATE_MIGRATION_RANGE_H_
#define REHEARSE_MIGRATE_MIGRATION_RANGE_H_

#include <optional>
#include <string>

#include "harness/migrate/migration_version.h"

namespace rehearse {

// A set of versions: everything, one version, or an interval whose ends may
// be open. Built with the named constructors.
class MigrationRange {
 public:
  static MigrationRange All() { return {}; }
  static MigrationRange Only(const MigrationVersion& v) { return {v, true, v, true}; }
  static MigrationRange Through(const MigrationVersion& v) { return {std::nullopt, true, v, true}; }
  // "Migrate to N-1": every version below `v`.
  static MigrationRange Before(const MigrationVersion& v) { return {std::nullopt, true, v, false}; }
  static MigrationRange From(const MigrationVersion& v) { return {v, true, std::nullopt, true}; }
  static MigrationRange Between(const MigrationVersion& first, const MigrationVersion& last) {
    return {first, true, last, true};
  }

  bool Contains(const MigrationVersion& v) const;
  bool Below(const MigrationVersion& v) const;  // v is under the range's lower end
  bool Above(const MigrationVersion& v) const;  // v is over the range's upper end
  std::string ToString() const;                 // "all", "0003", "..0004", "<0004", "0002..0004"

 private:
  MigrationRange() = default;
  MigrationRange(std::optional<MigrationVersion> lo, bool lo_inclusive,
                 std::optional<MigrationVersion> hi, bool hi_inclusive)
      : lo_(std::move(lo)),
        lo_inclusive_(lo_inclusive),
        hi_(std::move(hi)),
        hi_inclusive_(hi_inclusive) {}

  std::optional<MigrationVersion> lo_;
  bool lo_inclusive_ = true;
  std::optional<MigrationVersion> hi_;
  bool hi_inclusive_ = true;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATION_RANGE_H_
