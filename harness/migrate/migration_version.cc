#include "harness/migrate/migration_version.h"

#include <limits>

namespace rehearse {

bool MigrationVersion::IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

Status MigrationVersion::Parse(std::string_view text, MigrationVersion* out) {
  if (!IsDigits(text)) {
    return Status::InvalidInput("version '" + std::string(text) +
                                "' is not a string of ASCII digits");
  }
  size_t first = text.find_first_not_of('0');
  MigrationVersion v;
  v.text_ = std::string(text);
  v.digits_ = first == std::string_view::npos ? "0" : std::string(text.substr(first));
  *out = std::move(v);
  return Status::OK();
}

bool MigrationVersion::ToUint64(uint64_t* out) const {
  uint64_t value = 0;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (char c : digits_) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (value > (kMax - d) / 10) return false;
    value = value * 10 + d;
  }
  *out = value;
  return true;
}

std::strong_ordering MigrationVersion::operator<=>(const MigrationVersion& other) const {
  // Without leading zeros, a longer digit string is a larger number; equal
  // lengths order like their bytes.
  if (digits_.size() != other.digits_.size()) return digits_.size() <=> other.digits_.size();
  int c = digits_.compare(other.digits_);
  return c < 0   ? std::strong_ordering::less
         : c > 0 ? std::strong_ordering::greater
                 : std::strong_ordering::equal;
}

}  // namespace rehearse
