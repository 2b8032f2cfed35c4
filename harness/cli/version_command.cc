// rehearse version: Rehearse, the libraries it was built with and runs, the
// PostgreSQL server it would boot, and every other one `--pg-version` can
// pick (a bug report wants all of them; a migration written for a newer
// engine needs the last).
#include <sqlite3.h>

#include <cstdio>
#include <pqxx/version>

#include "harness/cli/command.h"
#include "harness/db/engine_version.h"
#include "harness/engine/postgres_installation.h"

namespace rehearse {

int RunVersionCommand(const std::vector<std::string>& words) {
  if (!words.empty()) return ReportFailure("version", Status::InvalidInput("takes no arguments"));
  std::printf("rehearse 0.1.0\nsqlite %s\n%s\nlibpqxx %s (headers)\n", sqlite3_libversion(),
              LibpqVersion().c_str(), PQXX_VERSION);
  PostgresInstallation pg;
  Status s = PostgresInstallation::Find("", &pg);
  if (s.ok())
    std::printf("postgres %s (%s)\n", pg.version.c_str(), pg.bindir.c_str());
  else
    std::printf("postgres not found: %s\n", s.message().c_str());
  for (const PostgresInstallation& one : PostgresInstallation::FindAll()) {
    const std::string how = s.ok() && one.bindir == pg.bindir
                                ? "the default"
                                : "--pg-version " + std::to_string(one.major_version);
    std::printf("postgres installation %s (%s), %s\n", one.version.c_str(), one.bindir.c_str(),
                how.c_str());
  }
  return kExitPass;
}

}  // namespace rehearse
