// Scenario files (harness/runner/scenario.h): any bytes give OK or
// kInvalidInput, never a crash or an exception. Paths resolve against a
// project root that does not exist, so nothing is read past the scenario.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "harness/runner/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rehearse::Scenario scenario;
  const rehearse::Status s =
      rehearse::ParseScenario(std::string_view(reinterpret_cast<const char*>(data), size),
                              "scenario.json", "/nonexistent-rehearse-fuzz-root", &scenario);
  if (!s.ok() && s.code() != rehearse::Status::Code::kInvalidInput) std::abort();
  return 0;
}
