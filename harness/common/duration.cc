#include "harness/common/duration.h"

#include <cstdint>
#include <cstdio>

namespace rehearse {

Status ParseDuration(std::string_view text, std::chrono::milliseconds* out) {
  auto bad = [&] {
    return Status::InvalidInput("'" + std::string(text) +
                                "' is not a duration: write a whole number and a unit, e.g. 500ms, "
                                "30s, 5m, 1h");
  };
  size_t digits = 0;
  int64_t n = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (n > 1000000000) return bad();  // far past any sensible limit; no overflow below
    n = n * 10 + (text[digits++] - '0');
  }
  if (digits == 0 || n == 0) return bad();
  const std::string_view unit = text.substr(digits);
  int64_t ms_per_unit = 0;
  if (unit == "ms") ms_per_unit = 1;
  if (unit == "s") ms_per_unit = 1000;
  if (unit == "m" || unit == "min") ms_per_unit = 60 * 1000;
  if (unit == "h") ms_per_unit = 60 * 60 * 1000;
  if (ms_per_unit == 0) return bad();
  *out = std::chrono::milliseconds(n * ms_per_unit);
  return Status::OK();
}

std::string FormatDuration(std::chrono::milliseconds d) {
  const int64_t ms = d.count();
  if (ms != 0 && ms % (60 * 60 * 1000) == 0) return std::to_string(ms / (60 * 60 * 1000)) + " h";
  if (ms != 0 && ms % (60 * 1000) == 0) return std::to_string(ms / (60 * 1000)) + " min";
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

std::string FormatSeconds(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g s", seconds);
  return buf;
}

}  // namespace rehearse
