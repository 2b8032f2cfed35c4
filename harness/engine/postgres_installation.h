// PostgresInstallation: where the PostgreSQL server programs are and which
// version they are.
//
// Find() looks, in order, in: the configured directory; $REHEARSE_PG_BINDIR;
// `pg_config --bindir` (first pg_config on $PATH) when that directory holds
// initdb and postgres; the newest /usr/lib/postgresql/<major>/bin. A
// directory given explicitly (configured or $REHEARSE_PG_BINDIR) is used or
// reported, never silently skipped. Returns kInfrastructure when nothing is
// found, with a message saying where it looked and how to fix it.
//
// Results are remembered for the life of the process (Find is called on
// every boot; `postgres --version` and `pg_config` cost a process each).
// Thread-safe.
#ifndef REHEARSE_ENGINE_POSTGRES_INSTALLATION_H_
#define REHEARSE_ENGINE_POSTGRES_INSTALLATION_H_

#include <string>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

struct PostgresInstallation {
  std::string bindir;   // holds initdb and postgres
  std::string version;  // as `postgres --version` reports it, e.g. "15.18"
  int major_version = 0;

  std::string Program(const char* name) const { return bindir + "/" + name; }

  static Status Find(const std::string& configured_bindir, PostgresInstallation* out);

  // Every installation under /usr/lib/postgresql/<major>/bin that holds the
  // server programs, newest first (`rehearse version`, `--pg-version`). A
  // directory whose `postgres --version` fails is left out.
  static std::vector<PostgresInstallation> FindAll();

  // The one of FindAll() whose major version is `major`; kInvalidInput
  // naming the versions there are when none is.
  static Status FindMajor(int major, PostgresInstallation* out);
};

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_POSTGRES_INSTALLATION_H_
