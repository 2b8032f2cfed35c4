// Median of per-iteration measurements. The benchmarks report the median of
// paired ratios rather than a ratio of totals: a burst of load from elsewhere
// on these shared machines then moves one sample, not the result.
#ifndef REHEARSE_BENCH_MEDIAN_H_
#define REHEARSE_BENCH_MEDIAN_H_

#include <algorithm>
#include <utility>
#include <vector>

namespace rehearse {

// The upper median for an even count; 0 for none.
inline double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

// The median of a[i] / b[i], for measurements paired by iteration.
inline double MedianRatio(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> ratios;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) ratios.push_back(a[i] / b[i]);
  return Median(std::move(ratios));
}

}  // namespace rehearse

#endif  // REHEARSE_BENCH_MEDIAN_H_
