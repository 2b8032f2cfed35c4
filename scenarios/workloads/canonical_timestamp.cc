#include "scenarios/workloads/canonical_timestamp.h"

#include "fixtures/fixture_time.h"

namespace rehearse {

namespace {

bool Digits(std::string_view text, size_t pos, size_t n, int64_t* value) {
  if (pos + n > text.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *value = v;
  return true;
}

}  // namespace

bool ParseCanonicalTimestamp(std::string_view text, int64_t* micros) {
  // YYYY-MM-DD HH:MM:SS is 19 characters; "+00" closes it.
  if (text.size() < 22 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':') {
    return false;
  }
  int64_t year, month, day, hour, minute, second;
  if (!Digits(text, 0, 4, &year) || !Digits(text, 5, 2, &month) || !Digits(text, 8, 2, &day) ||
      !Digits(text, 11, 2, &hour) || !Digits(text, 14, 2, &minute) ||
      !Digits(text, 17, 2, &second)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return false;
  }
  size_t pos = 19;
  int64_t fraction = 0;
  if (text[pos] == '.') {
    size_t digits = 0;
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction = fraction * 10 + (text[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0 || digits > 6) return false;
    for (; digits < 6; ++digits) fraction *= 10;
  }
  if (text.substr(pos) != "+00") return false;
  *micros = UtcMicros(year, static_cast<unsigned>(month), static_cast<unsigned>(day),
                      static_cast<int>(hour), static_cast<int>(minute), static_cast<int>(second),
                      fraction);
  return true;
}

bool CanonicalFromRfc3339(std::string_view rfc3339, std::string* canonical) {
  if (rfc3339.size() < 20 || rfc3339[10] != 'T' || rfc3339.back() != 'Z') return false;
  std::string text(rfc3339.substr(0, rfc3339.size() - 1));
  text[10] = ' ';
  text += "+00";
  int64_t micros;
  if (!ParseCanonicalTimestamp(text, &micros)) return false;
  // Go drops trailing fraction zeros as PostgreSQL does, but not always (a
  // hand-written value may keep them): re-render to the one canonical form.
  *canonical = FormatTimestamp(micros);
  return true;
}

}  // namespace rehearse
