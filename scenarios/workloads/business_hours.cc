#include "scenarios/workloads/business_hours.h"

#include <cstdio>
#include <string_view>

#include "fixtures/fixture_time.h"

namespace rehearse {

namespace {

constexpr const char* kDayNames[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr unsigned kWeekdays = 0x3e;  // mon..fri

// 'HH:MM' as minutes after midnight, or -1.
int ParseClock(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return -1;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return -1;
  return h * 60 + m;
}

unsigned ParseDays(const std::string& text) {
  unsigned mask = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    std::string_view token(text.data() + pos, comma - pos);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    for (unsigned d = 0; d < 7; ++d) {
      if (token == kDayNames[d]) mask |= 1u << d;
    }
    pos = comma + 1;
  }
  return mask;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// 1970-01-01 was a Thursday (4 with Sunday = 0).
unsigned Weekday(int64_t day) { return static_cast<unsigned>(((day % 7) + 7 + 4) % 7); }

}  // namespace

BusinessHours::BusinessHours(const TimeZoneRules* zone, const std::string& start,
                             const std::string& end, const std::string& days)
    : zone_(zone) {
  start_minute_ = ParseClock(start);
  end_minute_ = ParseClock(end);
  if (start_minute_ < 0) start_minute_ = 9 * 60;
  if (end_minute_ < 0) end_minute_ = 17 * 60;
  days_mask_ = ParseDays(days);
  if (days_mask_ == 0) days_mask_ = kWeekdays;
}

bool BusinessHours::IsOpen(int64_t utc_micros) const {
  const int64_t local = zone_->ToLocal(utc_micros);
  const int64_t day = FloorDiv(local, kMicrosPerDay);
  const int64_t minute = (local - day * kMicrosPerDay) / kMicrosPerMinute;
  return (days_mask_ & (1u << Weekday(day))) && minute >= start_minute_ && minute < end_minute_;
}

std::optional<int64_t> BusinessHours::NextOpen(int64_t utc_micros) const {
  if (IsOpen(utc_micros)) return utc_micros;
  if (start_minute_ >= end_minute_) return std::nullopt;
  const int64_t local = zone_->ToLocal(utc_micros);
  const int64_t today = FloorDiv(local, kMicrosPerDay);
  for (int64_t day = today; day <= today + 7; ++day) {
    if (!(days_mask_ & (1u << Weekday(day)))) continue;
    const int64_t opening = zone_->ToUtc(day * kMicrosPerDay + start_minute_ * kMicrosPerMinute);
    if (opening > utc_micros) return opening;
  }
  return std::nullopt;
}

std::string BusinessHours::DescribeLocal(int64_t utc_micros) const {
  static const char* const kShort[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const int64_t local = zone_->ToLocal(utc_micros);
  const int64_t day = FloorDiv(local, kMicrosPerDay);
  const int64_t minute = (local - day * kMicrosPerDay) / kMicrosPerMinute;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d", kShort[Weekday(day)],
                static_cast<int>(minute / 60), static_cast<int>(minute % 60));
  return buf;
}

}  // namespace rehearse
