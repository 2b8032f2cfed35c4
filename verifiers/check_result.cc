#include "verifiers/check_result.h"

namespace rehearse {

const char* CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPass:
      return "pass";
    case CheckStatus::kFail:
      return "fail";
    case CheckStatus::kWarn:
      return "warn";
    case CheckStatus::kSkip:
      return "skip";
  }
  return "?";
}

const CheckResult* FindCheck(const std::vector<CheckResult>& checks, std::string_view name) {
  for (const CheckResult& c : checks)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace rehearse
