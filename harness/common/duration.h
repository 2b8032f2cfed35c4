// Durations as people write them on a command line (`--timeout 30s`) and as
// reports show them ("timed out after 5 min").
#ifndef REHEARSE_COMMON_DURATION_H_
#define REHEARSE_COMMON_DURATION_H_

#include <chrono>
#include <string>
#include <string_view>

#include "harness/common/status.h"

namespace rehearse {

// A positive whole number followed by a unit: ms, s, m (or min), h, e.g.
// "500ms", "30s", "5m", "1h". Anything else is kInvalidInput naming `text`.
Status ParseDuration(std::string_view text, std::chrono::milliseconds* out);

// The largest unit that shows `d` exactly: "1 h", "5 min", "30 s", "1500 ms".
std::string FormatDuration(std::chrono::milliseconds d);

// A measured time for a report, to three significant digits: "0.0298 s",
// "3.21 s", "412 s".
std::string FormatSeconds(double seconds);

}  // namespace rehearse

#endif  // REHEARSE_COMMON_DURATION_H_
