// Rollback artifacts (harness/migrate/rollback_artifact.h): any bytes give OK
// or kCorruption, never a crash or an exception; one that parses serializes
// again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "harness/migrate/rollback_artifact.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rehearse::RollbackArtifact artifact;
  const rehearse::Status s = rehearse::RollbackArtifact::Parse(
      std::string_view(reinterpret_cast<const char*>(data), size), "artifact.json", &artifact);
  if (!s.ok()) {
    if (s.code() != rehearse::Status::Code::kCorruption &&
        s.code() != rehearse::Status::Code::kInvalidInput)
      std::abort();
    return 0;
  }
  std::string again;
  (void)artifact.Serialize(&again);
  return 0;
}
