// MigrationVersion: the version of a migration, a string of ASCII digits of
// any length, ordered as the number it spells.
//
// Contract:
// - Parse() accepts one or more ASCII digits and nothing else; anything else
//   (empty, a sign, spaces, non-ASCII digits) is kInvalidInput.
// - Two versions compare as non-negative integers of unbounded size: leading
//   zeros are ignored ("0001" == "1" < "10"), and a 20-digit timestamp such as
//   "20240101120000000000" orders correctly although it does not fit in 64
//   bits. Comparison strips leading zeros, then compares lengths, then bytes.
// - text() keeps the spelling the version was written with, for display and
//   for the schema_migrations ledger; digits() is the canonical form without
//   leading zeros ("0" for zero), which is what equality is defined on.
//
// Why not an integer: golang-migrate, dbmate and Rails all use timestamps of
// 14 or more digits, and some teams use 20; any fixed width either overflows
// or silently wraps, which would reorder migrations.
#ifndef REHEARSE_MIGRATE_MIGRATION_VERSION_H_
#define REHEARSE_MIGRATE_MIGRATION_VERSION_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/common/status.h"

namespace rehearse {

class MigrationVersion {
 public:
  MigrationVersion() : text_("0"), digits_("0") {}  // version zero

  // Sets *out and returns OK when `text` is one or more ASCII digits; leaves
  // *out unchanged and returns kInvalidInput otherwise.
  static Status Parse(std::string_view text, MigrationVersion* out);

  // True when every byte of `text` is an ASCII digit and there is at least one.
  static bool IsDigits(std::string_view text);

  const std::string& text() const { return text_; }
  const std::string& digits() const { return digits_; }

  // Sets *out to the numeric value and returns true when it fits in 64 bits.
  bool ToUint64(uint64_t* out) const;

  std::strong_ordering operator<=>(const MigrationVersion& other) const;
  bool operator==(const MigrationVersion& other) const { return digits_ == other.digits_; }

 private:
  std::string text_;    // as written
  std::string digits_;  // without leading zeros
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATION_VERSION_H_
