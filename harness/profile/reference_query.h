// The reference query every profiled time is divided by: a fixed amount of
// CPU work on the engine itself, timed in the same run on the same
// database, so that ratios compare across machines and loads where seconds
// do not (timings.h).
#ifndef REHEARSE_PROFILE_REFERENCE_QUERY_H_
#define REHEARSE_PROFILE_REFERENCE_QUERY_H_

#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// Runs the reference query `runs` times on `db` and sets *median_s.
Status TimeReferenceQuery(Database* db, int runs, double* median_s);

// The median of `samples` (the mean of the middle two for an even count);
// -1 for none.
double MedianSeconds(std::vector<double> samples);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_REFERENCE_QUERY_H_
