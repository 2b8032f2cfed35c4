// --sarif: SARIF 2.1.0 (OASIS), for code-scanning UIs. The minimum they
// read: tool.driver with its rules, results with ruleId, level, message and
// a physical location (a relative URI, as GitHub resolves it against the
// repository root).
#include <cctype>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "harness/common/replacement_file.h"
#include "harness/runner/ci_reports.h"

namespace rehearse {

namespace {

// A path as a URI reference: unreserved characters and '/' as they are,
// anything else percent-encoded (RFC 3986).
std::string UriReference(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string RenderGateSarif(const GateResult& result) {
  using nlohmann::json;
  const std::vector<Finding> findings = CollectFindings(result);
  std::map<std::string, size_t> rule_index;
  json rules = json::array();
  json results = json::array();
  for (const Finding& f : findings) {
    auto [it, added] = rule_index.emplace(f.check->name, rules.size());
    if (added)
      rules.push_back({{"id", f.check->name},
                       {"name", f.check->name},
                       {"shortDescription", {{"text", "rehearse check " + f.check->name}}}});
    json r = {{"ruleId", f.check->name},
              {"ruleIndex", it->second},
              {"level", f.error ? "error" : "warning"},
              {"message",
               {{"text", f.check->name + " " + (f.error ? "failed" : "warns") + " on " +
                             f.outcome->migration + " [" + f.run->backend + "]" +
                             (f.detail.empty() ? "" : ": " + f.detail)}}},
              {"properties",
               {{"scenario", f.run->scenario},
                {"backend", f.run->backend},
                {"migration", f.outcome->migration},
                {"reproduce", f.run->reproduce}}}};
    if (!f.location.file.empty()) {
      json physical = {{"artifactLocation", {{"uri", UriReference(f.location.file)}}}};
      if (f.location.line > 0) physical["region"] = {{"startLine", f.location.line}};
      r["locations"] = json::array({{{"physicalLocation", physical}}});
    }
    results.push_back(r);
  }
  json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array(
           {{{"tool",
              {{"driver",
                {{"name", "rehearse"},
                 {"informationUri", "https://github.com/rehearse/rehearse"},
                 {"rules", rules}}}}},
             {"invocations",
              json::array({{{"executionSuccessful", true},
                            {"properties", {{"verdict", result.passed() ? "pass" : "fail"}}}}})},
             {"results", results}}})}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Status WriteGateSarif(const GateResult& result, const std::string& path) {
  return WriteFileAtomically(path, RenderGateSarif(result), 0644);
}

}  // namespace rehearse
