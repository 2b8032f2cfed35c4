#include "harness/profile/reference_query.h"

#include <algorithm>
#include <chrono>

namespace rehearse {

namespace {

// About 0.1 s on either engine on the machines this was written on.
constexpr const char* kPostgresReference =
    "SELECT count(*) FROM pg_catalog.generate_series(1, 500000)";
constexpr const char* kSqliteReference =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 250000) "
    "SELECT count(*) FROM c";

}  // namespace

double MedianSeconds(std::vector<double> samples) {
  if (samples.empty()) return -1;
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

Status TimeReferenceQuery(Database* db, int runs, double* median_s) {
  const char* query = db->dialect() == Dialect::kPostgres ? kPostgresReference : kSqliteReference;
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    REHEARSE_RETURN_IF_ERROR(db->Execute(query));
    samples.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  *median_s = MedianSeconds(samples);
  return Status::OK();
}

}  // namespace rehearse
