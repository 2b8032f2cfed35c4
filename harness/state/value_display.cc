#include "harness/state/value_display.h"

#include <cstdio>

#include "harness/common/civil_date.h"

namespace rehearse {

namespace {

// PostgreSQL's epoch, 2000-01-01, in days since 1970-01-01.
constexpr int64_t kPostgresEpochDays = 10957;

std::string Date(int64_t days_since_1970) {
  const CivilDate c = CivilFromDays(days_since_1970);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

// As PostgreSQL prints it under DateStyle ISO and TimeZone UTC.
std::string Timestamp(int64_t micros_since_2000, bool with_zone) {
  if (micros_since_2000 == INT64_MAX) return "infinity";
  if (micros_since_2000 == INT64_MIN) return "-infinity";
  constexpr int64_t kDay = 86400000000LL;
  int64_t days = micros_since_2000 / kDay, rem = micros_since_2000 % kDay;
  if (rem < 0) {
    rem += kDay;
    --days;
  }
  int64_t secs = rem / 1000000, frac = rem % 1000000;
  char buf[64];
  std::snprintf(buf, sizeof buf, " %02lld:%02lld:%02lld", static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  std::string out = Date(days + kPostgresEpochDays) + buf;
  if (frac) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return with_zone ? out + "+00" : out;
}

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace

std::string DisplayValue(const Value& v, Dialect dialect, const std::string& type) {
  if (dialect == Dialect::kSqlite || v.is_null()) return v.ToDisplay();
  if (v.type == Value::Type::kInteger) {
    if (type == "timestamptz") return Timestamp(v.integer, true);
    if (type == "timestamp") return Timestamp(v.integer, false);
    if (type == "date") return Date(v.integer + kPostgresEpochDays);
    if (type == "bool") return v.integer ? "true" : "false";
    return std::to_string(v.integer);
  }
  if (v.type == Value::Type::kReal) return v.ToText();
  if (v.type == Value::Type::kBlob) {
    std::string h = Hex(v.bytes);
    if (type == "uuid" && h.size() == 32)
      return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
             "-" + h.substr(20);
    return "\\x" + h;
  }
  return v.ToDisplay();  // text: quoted, control characters escaped
}

}  // namespace rehearse
