// rehearse version: Rehearse, the libraries it was built with, and the
// PostgreSQL server it would boot (a bug report wants all of them).
#include <sqlite3.h>

#include <cstdio>
#include <pqxx/version>

#include "harness/cli/command.h"
#include "harness/engine/postgres_installation.h"

namespace rehearse {

int RunVersionCommand(const std::vector<std::string>& words) {
  if (!words.empty()) return ReportFailure("version", Status::InvalidInput("takes no arguments"));
  std::printf("rehearse 0.1.0\nsqlite %s\nlibpqxx %s (headers)\n", sqlite3_libversion(),
              PQXX_VERSION);
  PostgresInstallation pg;
  Status s = PostgresInstallation::Find("", &pg);
  if (s.ok())
    std::printf("postgres %s (%s)\n", pg.version.c_str(), pg.bindir.c_str());
  else
    std::printf("postgres not found: %s\n", s.message().c_str());
  return kExitPass;
}

}  // namespace rehearse
