#include "verifiers/engine_hint.h"

namespace rehearse {

bool MayNeedNewerEngine(const Status& step) {
  if (step.ok()) return false;
  if (step.sqlstate() == "42601" || step.sqlstate() == "42883") return true;
  const std::string& m = step.message();
  return step.sqlstate().empty() && (m.find("syntax error") != std::string::npos ||
                                     m.find("no such function") != std::string::npos);
}

void AddEngineHint(const Status& step, const std::string& engine, CheckResult* check) {
  if (!check->failed() || !MayNeedNewerEngine(step)) return;
  check->detail += "\nhint: this may need a newer engine than this run's " +
                   (engine.empty() ? std::string("(version unknown)") : engine) +
                   ": a syntax or function the engine does not know";
}

}  // namespace rehearse
