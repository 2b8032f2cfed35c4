// migration.json (harness/migrate/migration_manifest.h): any bytes give OK or
// kInvalidInput, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "harness/migrate/migration_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rehearse::MigrationManifest manifest;
  const rehearse::Status s = rehearse::ParseMigrationManifest(
      std::string_view(reinterpret_cast<const char*>(data), size), "migration.json", &manifest);
  if (!s.ok() && s.code() != rehearse::Status::Code::kInvalidInput) std::abort();
  return 0;
}
