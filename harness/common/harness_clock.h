// The harness clock: the one instant every rehearsal takes as "now" — the
// ledger's applied_at, data migrations' timestamps, the workloads' clock —
// so the same seed gives the same bytes. 2026-03-08 12:00:00 UTC: a Sunday,
// and the day US clocks spring forward (fixtures/fixture_time.h's
// kFixtureNow is the same instant in microseconds).
#ifndef REHEARSE_COMMON_HARNESS_CLOCK_H_
#define REHEARSE_COMMON_HARNESS_CLOCK_H_

// As a literal, for SQL text put together at compile time.
#define REHEARSE_HARNESS_NOW "2026-03-08 12:00:00+00"

namespace rehearse {

// The canonical timestamp text (canonical_timestamp.h).
inline constexpr char kHarnessNow[] = REHEARSE_HARNESS_NOW;

}  // namespace rehearse

#endif  // REHEARSE_COMMON_HARNESS_CLOCK_H_
