// MigrationVersion: the version of a migration, spelled as its layout writes
// it and ordered the way that layout's own tool orders it.
//
// Contract:
// - Parse() accepts one or more ASCII digits and nothing else; anything else
//   (empty, a sign, spaces, non-ASCII digits) is kInvalidInput. Such a version
//   is a number of unbounded size: leading zeros are ignored ("0001" == "1" <
//   "10"), and a 20-digit version orders correctly although it does not fit
//   in 64 bits. This is the order of Rehearse's own layout, golang-migrate,
//   goose, dbmate and pop.
// - The other constructors carry other tools' rules, each a list of segments
//   compared in turn (a number as a number, text byte by byte, a missing
//   segment as the number 0):
//     Text     Diesel: the version's digits with the dashes left out, compared
//              as text ("2019-02-26-002946" -> "20190226002946");
//     Dotted   Flyway: numeric parts ("1.2", written V1_2 or V1.2);
//     Ordinal  Sqitch: the position in the plan, named by the change.
//   Tie() adds a last text segment, for tools that order migrations sharing
//   one version by name (maragudk/migrate).
// - text() keeps the spelling as written, for display and for the
//   schema_migrations ledger; key() is what equality is defined on (for a
//   number, its digits without leading zeros, "0" for zero).
// - AsWritten() reads a version back from a ledger, where the layout is not
//   known: digits are a number, anything else is text. The Migrator then
//   matches it to the source's own version by text() or key().
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
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

class MigrationVersion {
 public:
  MigrationVersion();  // version zero

  // Sets *out and returns OK when `text` is one or more ASCII digits; leaves
  // *out unchanged and returns kInvalidInput otherwise.
  static Status Parse(std::string_view text, MigrationVersion* out);
  static MigrationVersion Text(std::string written, std::string ordered_text);
  // `parts` are ASCII digit strings.
  static MigrationVersion Dotted(std::string written, const std::vector<std::string>& parts);
  static MigrationVersion Ordinal(std::string name, uint64_t position);
  static MigrationVersion AsWritten(std::string text);

  // This version, ordered after every other with the same segments by `name`.
  MigrationVersion Tie(const std::string& name) const;

  // True when every byte of `text` is an ASCII digit and there is at least one.
  static bool IsDigits(std::string_view text);

  const std::string& text() const { return text_; }
  const std::string& key() const { return key_; }

  // Sets *out to the numeric value and returns true when the version is one
  // number that fits in 64 bits.
  bool ToUint64(uint64_t* out) const;

  std::strong_ordering operator<=>(const MigrationVersion& other) const;
  bool operator==(const MigrationVersion& other) const { return key_ == other.key_; }

 private:
  struct Segment {
    bool number;
    std::string value;  // a number without leading zeros
  };
  std::string text_;  // as written
  std::string key_;
  std::vector<Segment> segments_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATION_VERSION_H_
