// Migration folder names and versions (folder_migration_source.h,
// migration_version.h): any bytes are accepted or refused without a crash,
// and an accepted name round-trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/migration_version.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string folder(reinterpret_cast<const char*>(data), size);
  std::string version, name;
  if (rehearse::SplitMigrationFolderName(folder, &version, &name)) {
    if (version + "_" + name != folder) std::abort();
    rehearse::MigrationVersion v;
    if (!rehearse::MigrationVersion::Parse(version, &v).ok()) std::abort();
  }
  rehearse::MigrationVersion any;
  (void)rehearse::MigrationVersion::Parse(folder, &any);
  return 0;
}
