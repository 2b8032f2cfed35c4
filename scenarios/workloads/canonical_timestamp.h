// Canonical timestamps read back: the inverse of FormatTimestamp
// (fixtures/fixture_time.h). Both engines hand a timestamp over in that one
// text form — 'YYYY-MM-DD HH:MM:SS[.f{1,6}]+00' — so workloads do their time
// arithmetic in microseconds and write the result back with FormatTimestamp.
#ifndef REHEARSE_SCENARIOS_WORKLOADS_CANONICAL_TIMESTAMP_H_
#define REHEARSE_SCENARIOS_WORKLOADS_CANONICAL_TIMESTAMP_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace rehearse {

// Parses canonical text into microseconds since 1970-01-01 UTC. Returns false
// (leaving *micros unspecified) for anything else, including other offsets
// than +00, a 'T' separator or more than six fraction digits.
bool ParseCanonicalTimestamp(std::string_view text, int64_t* micros);

// Converts RFC 3339 in UTC, as Go's time.Time marshals it
// ('2026-03-08T12:00:00Z', optional fraction), into canonical text. The
// conversation bot keeps instants like this inside state_data JSON. Returns
// false when `rfc3339` is not exactly that form.
bool CanonicalFromRfc3339(std::string_view rfc3339, std::string* canonical);

}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_CANONICAL_TIMESTAMP_H_
