// The initdb cache: initialised, never-started data directories that a boot
// copies (~75 ms) instead of running initdb (~0.85 s) every time.
//
// Every data directory here, cached or not, is made by the same initdb
// invocation: trust authentication (the socket lives in a private
// directory), UTF8, locale C, --no-sync, TZ=UTC, and bootstrap superuser
// `rehearse` rather than the OS user's name, so that roles and owners in a
// database (and so in its snapshots) are the same on every machine.
// Server settings are given on the postgres command line, never written into
// the data directory, so one cache entry serves every configuration.
//
// Layout of a cache directory:
//   pg<version>-<hash>/                  an entry: the data directory itself,
//                                        owned by the cache's owner, never
//                                        started, never written after rename,
//                                        all-zero blocks punched out so that
//                                        a copy writes 28 MB, not 40
//   pg<version>-<hash>.lock              flock()ed while the entry is built
//   building-pg<version>-<hash>-<pid>/   initdb's output until renamed in
// <hash> covers the bindir and the initdb arguments. Entries are built
// atomically (initdb elsewhere, then rename) under the lock, so concurrent
// processes build an entry once and never see half of one.
#ifndef REHEARSE_ENGINE_INITDB_CACHE_H_
#define REHEARSE_ENGINE_INITDB_CACHE_H_

#include <string>

#include "harness/common/status.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/server_user.h"

namespace rehearse {

// The bootstrap superuser of every cluster.
inline constexpr const char* kSuperuser = "rehearse";

// $REHEARSE_CACHE_DIR, else /var/tmp/rehearse-cache for root and
// /var/tmp/rehearse-cache-<uid> for anyone else (a cache must be writable by
// its owner alone: a planted entry would run as the server user).
std::string DefaultInitdbCacheDir();

// Runs initdb as `user` to create `data_dir`, which must not exist and whose
// parent `user` must be able to write. Returns kInfrastructure with initdb's
// output when it fails.
Status RunInitdb(const PostgresInstallation& installation, const ServerUser& user,
                 const std::string& data_dir);

// Sets *entry to the cached data directory for `installation` in
// `cache_dir`, building it first if there is none. Creates `cache_dir` if
// missing. Returns kInfrastructure when the cache directory is unsafe (not
// owned by this user, or writable by others), initdb fails or a file
// operation fails (a full disk: the cache is the machine's, not input).
Status FindOrBuildCachedDataDir(const PostgresInstallation& installation, const ServerUser& user,
                                const std::string& cache_dir, std::string* entry);

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_INITDB_CACHE_H_
