// TimeZoneRules: the UTC offsets of one IANA time zone, read from the
// system's compiled tz database (TZif files under /usr/share/zoneinfo, from
// Debian's tzdata, which postgresql-15 depends on).
//
// Why not the standard library: GCC 12's <chrono> has no time zone database,
// and POSIX localtime_r works through the process-wide TZ variable, which
// would make a workload depend on global state.
//
// Contract: Load() returns OK and fills *out, or kNotFound for a name that is
// not a zone file (including any name with "..", a leading '/' or characters
// outside [A-Za-z0-9_+-/]), or kCorruption for a file that is not TZif.
// Offsets are exact for every instant the file lists transitions for (Debian
// ships "fat" files, which list them through 2037); after the last one the
// last offset is kept. Before the first, the zone's first local time type is
// used, as RFC 8536 says.
#ifndef REHEARSE_SCENARIOS_WORKLOADS_TIME_ZONE_RULES_H_
#define REHEARSE_SCENARIOS_WORKLOADS_TIME_ZONE_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

class TimeZoneRules {
 public:
  // UTC itself, without a file.
  static TimeZoneRules Utc();

  static Status Load(const std::string& name, TimeZoneRules* out,
                     const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

  const std::string& name() const { return name_; }

  // Seconds east of UTC in force at `utc_micros`.
  int64_t OffsetSecondsAt(int64_t utc_micros) const;

  // The wall-clock reading at `utc_micros`, as microseconds since 1970-01-01
  // 00:00 on that wall clock.
  int64_t ToLocal(int64_t utc_micros) const;

  // The UTC instant of a wall-clock reading. A reading that a spring-forward
  // gap skips is taken with the offset before the gap (so it lands just
  // after the gap); one that a fall-back repeats gives the earlier instant.
  int64_t ToUtc(int64_t local_micros) const;

 private:
  std::string name_ = "UTC";
  std::vector<int64_t> transitions_;  // UTC seconds, ascending
  std::vector<int32_t> offsets_;      // offset in force from transitions_[i] on
  int32_t initial_offset_ = 0;        // before the first transition
};

}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_TIME_ZONE_RULES_H_
