// BusinessHours: when a workspace lets follow-ups go out — its
// business_hours_start/end ('HH:MM', wall clock) on its business_days
// ('mon,tue,...') in its own time zone — and when the window next opens.
//
// The window of a day is [start, end) on that day's wall clock; a start that
// is not before the end means the day has no window. Settings the
// application could not parse fall back to its defaults (09:00, 17:00,
// mon..fri), and a day list naming no known day to mon..fri, so that a typo
// in one workspace never stops or floods its sends.
#ifndef REHEARSE_SCENARIOS_WORKLOADS_BUSINESS_HOURS_H_
#define REHEARSE_SCENARIOS_WORKLOADS_BUSINESS_HOURS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "scenarios/workloads/time_zone_rules.h"

namespace rehearse {

class BusinessHours {
 public:
  // `zone` must outlive this object.
  BusinessHours(const TimeZoneRules* zone, const std::string& start, const std::string& end,
                const std::string& days);

  // Whether `utc_micros` falls inside a window.
  bool IsOpen(int64_t utc_micros) const;

  // The first instant at or after `utc_micros` when a window is open: the
  // instant itself when open, else the next window's start. nullopt only when
  // no day of the week has a window.
  std::optional<int64_t> NextOpen(int64_t utc_micros) const;

  // The wall-clock reading at `utc_micros` in this zone, as "Mon 09:30", for
  // records a person reads.
  std::string DescribeLocal(int64_t utc_micros) const;

 private:
  const TimeZoneRules* zone_;
  int start_minute_;
  int end_minute_;
  unsigned days_mask_;  // bit 0 = Sunday ... bit 6 = Saturday
};

}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_BUSINESS_HOURS_H_
