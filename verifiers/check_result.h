// CheckResult: the outcome of one invariant on one migration and backend —
// the unit every report (terminal, JSON, JUnit) is made of.
//
// A detail says what was seen, pointing at the offending schema objects or
// rows (table, key, column, both values), so a failure can be fixed without a
// re-run. `fail` fails the gate; `warn` is shown but passes; `skip` means the
// check did not apply (an earlier step failed, or the backend lacks the
// migration).
#ifndef REHEARSE_VERIFIERS_CHECK_RESULT_H_
#define REHEARSE_VERIFIERS_CHECK_RESULT_H_

#include <string>
#include <string_view>
#include <vector>

namespace rehearse {

enum class CheckStatus { kPass, kFail, kWarn, kSkip };

const char* CheckStatusName(CheckStatus status);  // "pass", "fail", "warn", "skip"

struct CheckResult {
  std::string name;
  CheckStatus status = CheckStatus::kPass;
  std::string detail;

  bool passed() const { return status == CheckStatus::kPass; }
  bool failed() const { return status == CheckStatus::kFail; }

  static CheckResult Pass(std::string name, std::string detail = "") {
    return {std::move(name), CheckStatus::kPass, std::move(detail)};
  }
  static CheckResult Fail(std::string name, std::string detail) {
    return {std::move(name), CheckStatus::kFail, std::move(detail)};
  }
  static CheckResult Warn(std::string name, std::string detail) {
    return {std::move(name), CheckStatus::kWarn, std::move(detail)};
  }
  static CheckResult Skip(std::string name, std::string detail) {
    return {std::move(name), CheckStatus::kSkip, std::move(detail)};
  }
};

// The check named `name` among `checks` (the first), or null.
const CheckResult* FindCheck(const std::vector<CheckResult>& checks, std::string_view name);

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_CHECK_RESULT_H_
