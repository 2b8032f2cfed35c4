// baseline_comparison RESULT.json BASELINE.json: compares one benchmark
// suite's run with its stored baseline. Absolute times on these machines are
// noise; what is compared are the counters each benchmark computes against a
// reference measured in the same run ("ratio*", higher is better) and its
// "target_met" flag. Exit 1 when a target is missed, a ratio fell below three
// quarters of the baseline's, a benchmark reported an error, or a compared
// counter of the baseline is missing from the run (a benchmark that stopped
// reporting must not pass for one that met its target); 2 when a file cannot
// be read.
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace {

bool Load(const char* path, nlohmann::json* out) {
  std::ifstream in(path);
  if (!in) return false;
  try {
    *out = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return out->contains("benchmarks");
}

// benchmark name -> counter name -> value, for the counters compared.
std::map<std::string, std::map<std::string, double>> Counters(const nlohmann::json& doc) {
  std::map<std::string, std::map<std::string, double>> out;
  for (const auto& b : doc["benchmarks"]) {
    for (auto it = b.begin(); it != b.end(); ++it) {
      const std::string& key = it.key();
      if ((key.rfind("ratio", 0) == 0 || key == "target_met") && it->is_number())
        out[b["name"].get<std::string>()][key] = it->get<double>();
    }
  }
  return out;
}

// benchmark name -> error message, for the benchmarks that reported one.
std::map<std::string, std::string> Errors(const nlohmann::json& doc) {
  std::map<std::string, std::string> out;
  for (const auto& b : doc["benchmarks"]) {
    if (b.value("error_occurred", false))
      out[b["name"].get<std::string>()] = b.value("error_message", std::string("(no message)"));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: baseline_comparison RESULT.json BASELINE.json\n");
    return 2;
  }
  nlohmann::json result, baseline;
  if (!Load(argv[1], &result)) {
    std::fprintf(stderr, "cannot read benchmark results %s\n", argv[1]);
    return 2;
  }
  bool have_baseline = Load(argv[2], &baseline);
  auto now = Counters(result);
  auto before = have_baseline ? Counters(baseline) : decltype(now){};
  bool ok = true;
  for (const auto& [bench, counters] : now) {
    for (const auto& [name, value] : counters) {
      double base = before.count(bench) && before[bench].count(name) ? before[bench][name] : -1;
      const char* verdict = "ok";
      if (name == "target_met" && value < 1) verdict = "TARGET MISSED";
      if (name != "target_met" && base > 0 && value < 0.75 * base) verdict = "REGRESSED";
      if (std::string(verdict) != "ok") ok = false;
      std::printf("%-55s %-12s %10.3f  baseline %10.3f  %s\n", bench.c_str(), name.c_str(), value,
                  base, verdict);
    }
  }
  for (const auto& [bench, message] : Errors(result)) {
    ok = false;
    std::printf("%-55s ERROR: %s\n", bench.c_str(), message.c_str());
  }
  for (const auto& [bench, counters] : before) {
    for (const auto& [name, base] : counters) {
      if (now.count(bench) && now[bench].count(name)) continue;
      ok = false;
      std::printf("%-55s %-12s %10s  baseline %10.3f  MISSING\n", bench.c_str(), name.c_str(), "-",
                  base);
    }
  }
  if (!have_baseline) std::printf("(no baseline at %s yet)\n", argv[2]);
  return ok ? 0 : 1;
}
