#include "harness/profile/timings.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "harness/common/input_file.h"
#include "harness/common/replacement_file.h"

namespace rehearse {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "rehearse-profile-timings/1";

std::string Ratio(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", r);
  return buf;
}

}  // namespace

Status WriteTimings(const Timings& t, const std::string& path) {
  json backends = json::array();
  for (const BackendTimings& b : t.backends) {
    json migrations = json::array();
    for (const MigrationTimings& m : b.migrations) {
      migrations.push_back({{"migration", m.migration},
                            {"up_s", m.up_s},
                            {"down_s", m.down_s},
                            {"lock_s", m.lock_s},
                            {"lock_on", m.lock_on}});
    }
    backends.push_back({{"backend", b.backend},
                        {"engine", b.engine},
                        {"reference_s", b.reference_s},
                        {"migrations", migrations}});
  }
  const json doc = {
      {"format", kFormat}, {"rows", t.rows}, {"repeat", t.repeat}, {"backends", backends}};
  ReplacementFile file;
  REHEARSE_RETURN_IF_ERROR(file.Open(path).Prepend("--timings"));
  REHEARSE_RETURN_IF_ERROR(file.Write(doc.dump(2) + "\n").Prepend("--timings"));
  return file.Commit().Prepend("--timings");
}

Status ReadTimings(const std::string& path, Timings* out) {
  std::string text;
  REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, &text).Prepend("--timings-baseline"));
  const json doc = json::parse(text, nullptr, false);
  auto bad = [&](const std::string& field) {
    return Status::InvalidInput("--timings-baseline: " + path + ": " + field +
                                " is missing or has the wrong type (expected a file written "
                                "by `rehearse profile --timings`)");
  };
  if (doc.is_discarded()) return bad("the document (not JSON)");
  if (!doc.is_object() || doc.value("format", "") != kFormat) return bad("\"format\"");
  *out = Timings();
  if (!doc.contains("backends") || !doc["backends"].is_array()) return bad("\"backends\"");
  out->rows = doc.value("rows", int64_t{0});
  out->repeat = doc.value("repeat", 1);
  for (size_t i = 0; i < doc["backends"].size(); ++i) {
    const json& b = doc["backends"][i];
    const std::string at = "backends[" + std::to_string(i) + "]";
    if (!b.is_object() || !b.contains("backend") || !b["backend"].is_string())
      return bad(at + ".backend");
    if (!b.contains("reference_s") || !b["reference_s"].is_number() ||
        b["reference_s"].get<double>() <= 0)
      return bad(at + ".reference_s");
    if (!b.contains("migrations") || !b["migrations"].is_array()) return bad(at + ".migrations");
    BackendTimings bt;
    bt.backend = b["backend"];
    bt.engine = b.value("engine", "");
    bt.reference_s = b["reference_s"];
    for (size_t j = 0; j < b["migrations"].size(); ++j) {
      const json& m = b["migrations"][j];
      const std::string mat = at + ".migrations[" + std::to_string(j) + "]";
      if (!m.is_object() || !m.contains("migration") || !m["migration"].is_string())
        return bad(mat + ".migration");
      for (const char* f : {"up_s", "down_s", "lock_s"})
        if (!m.contains(f) || !m[f].is_number()) return bad(mat + "." + f);
      bt.migrations.push_back(
          {m["migration"], m["up_s"], m["down_s"], m["lock_s"], m.value("lock_on", "")});
    }
    out->backends.push_back(std::move(bt));
  }
  return Status::OK();
}

std::vector<Regression> CompareTimings(const Timings& before, const Timings& now,
                                       const RegressionThresholds& t) {
  std::vector<Regression> out;
  for (const BackendTimings& b : now.backends) {
    const BackendTimings* old = nullptr;
    for (const BackendTimings& o : before.backends)
      if (o.backend == b.backend) old = &o;
    if (old == nullptr || b.reference_s <= 0) continue;
    for (const MigrationTimings& m : b.migrations) {
      const MigrationTimings* was = nullptr;
      for (const MigrationTimings& o : old->migrations)
        if (o.migration == m.migration) was = &o;
      if (was == nullptr) continue;
      auto check = [&](const char* what, double then_s, double now_s) {
        if (then_s < 0 || now_s < 0) return;
        const double then_r = then_s / old->reference_s, now_r = now_s / b.reference_s;
        if (now_r <= then_r * t.factor || now_r - then_r < t.floor) return;
        Regression r{b.backend, m.migration, what, then_r, now_r, ""};
        r.message =
            m.migration + " " + what + " on " + b.backend + " grew from " + Ratio(then_r) + " to " +
            Ratio(now_r) + " reference queries (over " + Ratio(t.factor) + "x and by at least " +
            Ratio(t.floor) + ")" +
            (std::string(what) == "longest blocking lock" && !m.lock_on.empty() ? ": " + m.lock_on
                                                                                : "");
        out.push_back(std::move(r));
      };
      check("up", was->up_s, m.up_s);
      check("down", was->down_s, m.down_s);
      check("longest blocking lock", was->lock_s, m.lock_s);
    }
  }
  return out;
}

}  // namespace rehearse
