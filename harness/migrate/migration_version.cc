#include "harness/migrate/migration_version.h"

#include <limits>

namespace rehearse {

namespace {

std::string WithoutLeadingZeros(std::string_view digits) {
  size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

std::strong_ordering CompareNumbers(const std::string& a, const std::string& b) {
  // Without leading zeros, a longer digit string is a larger number; equal
  // lengths order like their bytes.
  if (a.size() != b.size()) return a.size() <=> b.size();
  int c = a.compare(b);
  return c < 0   ? std::strong_ordering::less
         : c > 0 ? std::strong_ordering::greater
                 : std::strong_ordering::equal;
}

}  // namespace

MigrationVersion::MigrationVersion() : text_("0"), key_("0"), segments_{{true, "0"}} {}

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
  MigrationVersion v;
  v.text_ = std::string(text);
  v.key_ = WithoutLeadingZeros(text);
  v.segments_ = {{true, v.key_}};
  *out = std::move(v);
  return Status::OK();
}

MigrationVersion MigrationVersion::Text(std::string written, std::string ordered_text) {
  MigrationVersion v;
  v.text_ = std::move(written);
  v.key_ = ordered_text;
  v.segments_ = {{false, std::move(ordered_text)}};
  return v;
}

MigrationVersion MigrationVersion::Dotted(std::string written,
                                          const std::vector<std::string>& parts) {
  MigrationVersion v;
  v.text_ = std::move(written);
  v.segments_.clear();
  for (const std::string& p : parts) v.segments_.push_back({true, WithoutLeadingZeros(p)});
  // 1.0 and 1 are one version to Flyway: trailing zero parts do not count.
  while (v.segments_.size() > 1 && v.segments_.back().value == "0") v.segments_.pop_back();
  v.key_.clear();
  for (const Segment& s : v.segments_) v.key_ += (v.key_.empty() ? "" : ".") + s.value;
  return v;
}

MigrationVersion MigrationVersion::Ordinal(std::string name, uint64_t position) {
  MigrationVersion v;
  v.key_ = name;
  v.text_ = std::move(name);
  v.segments_ = {{true, std::to_string(position)}};
  return v;
}

MigrationVersion MigrationVersion::AsWritten(std::string text) {
  MigrationVersion v;
  if (Parse(text, &v).ok()) return v;
  std::string key = text;
  return Text(std::move(text), std::move(key));
}

MigrationVersion MigrationVersion::Tie(const std::string& name) const {
  MigrationVersion v = *this;
  v.key_ += "/" + name;
  v.segments_.push_back({false, name});
  return v;
}

bool MigrationVersion::ToUint64(uint64_t* out) const {
  if (segments_.size() != 1 || !segments_[0].number) return false;
  uint64_t value = 0;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (char c : segments_[0].value) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (value > (kMax - d) / 10) return false;
    value = value * 10 + d;
  }
  *out = value;
  return true;
}

std::strong_ordering MigrationVersion::operator<=>(const MigrationVersion& other) const {
  static const Segment kZero{true, "0"};
  const size_t n = std::max(segments_.size(), other.segments_.size());
  for (size_t i = 0; i < n; ++i) {
    const Segment& a = i < segments_.size() ? segments_[i] : kZero;
    const Segment& b = i < other.segments_.size() ? other.segments_[i] : kZero;
    std::strong_ordering c = std::strong_ordering::equal;
    if (a.number != b.number) {
      c = a.number ? std::strong_ordering::less : std::strong_ordering::greater;
    } else if (a.number) {
      c = CompareNumbers(a.value, b.value);
    } else {
      int t = a.value.compare(b.value);
      c = t < 0   ? std::strong_ordering::less
          : t > 0 ? std::strong_ordering::greater
                  : std::strong_ordering::equal;
    }
    if (c != std::strong_ordering::equal) return c;
  }
  // Equal segments but different keys (a tie broken by nothing): keep a total
  // order consistent with equality.
  int t = key_.compare(other.key_);
  return t < 0   ? std::strong_ordering::less
         : t > 0 ? std::strong_ordering::greater
                 : std::strong_ordering::equal;
}

}  // namespace rehearse
