#include "harness/engine/postgres_installation.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "harness/engine/subprocess.h"

namespace rehearse {
namespace {

constexpr std::chrono::milliseconds kToolTimeout{10000};

std::mutex g_mu;  // guards the two caches below
std::map<std::string, PostgresInstallation>* g_by_bindir = nullptr;
std::optional<std::string> g_pg_config_bindir;  // empty string: pg_config gave nothing usable

bool HasServerPrograms(const std::string& bindir) {
  return access((bindir + "/initdb").c_str(), X_OK) == 0 &&
         access((bindir + "/postgres").c_str(), X_OK) == 0;
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

std::string FindOnPath(const char* program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (candidate[0] == '/' && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// Called with g_mu held.
std::string PgConfigBindir() {
  if (!g_pg_config_bindir) {
    g_pg_config_bindir = "";
    std::string pg_config = FindOnPath("pg_config");
    if (!pg_config.empty()) {
      SubprocessOptions options;
      options.argv = {pg_config, "--bindir"};
      options.stdout_target = OutputTarget::Capture();
      options.timeout = kToolTimeout;
      SubprocessResult result;
      if (RunToCompletion(options, &result).ok() && result.succeeded()) {
        g_pg_config_bindir = Trim(result.stdout_text);
      }
    }
  }
  return *g_pg_config_bindir;
}

// Every /usr/lib/postgresql/<major>/bin holding the server programs, newest first.
std::vector<std::string> DebianBindirs() {
  std::vector<int> majors;
  if (DIR* dir = opendir("/usr/lib/postgresql")) {
    while (dirent* entry = readdir(dir)) {
      char* end = nullptr;
      long major = std::strtol(entry->d_name, &end, 10);
      if (end != entry->d_name && *end == '\0' && major > 0) majors.push_back(int(major));
    }
    closedir(dir);
  }
  std::sort(majors.rbegin(), majors.rend());
  std::vector<std::string> out;
  for (int major : majors) {
    std::string bindir = "/usr/lib/postgresql/" + std::to_string(major) + "/bin";
    if (HasServerPrograms(bindir)) out.push_back(bindir);
  }
  return out;
}

// The newest of them.
std::string NewestDebianBindir() {
  std::vector<std::string> all = DebianBindirs();
  return all.empty() ? "" : all.front();
}

// Called with g_mu held. "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
Status ReadVersion(const std::string& bindir, PostgresInstallation* out) {
  SubprocessOptions options;
  options.argv = {bindir + "/postgres", "--version"};
  options.stdout_target = OutputTarget::Capture();
  options.stderr_target = OutputTarget::Capture();
  options.timeout = kToolTimeout;
  SubprocessResult result;
  REHEARSE_RETURN_IF_ERROR(RunToCompletion(options, &result));
  const std::string marker = "(PostgreSQL) ";
  size_t at = result.stdout_text.find(marker);
  if (!result.succeeded() || at == std::string::npos) {
    return Status::Infrastructure(bindir + "/postgres --version " + result.Describe() + ": " +
                                  Trim(result.stdout_text + result.stderr_text));
  }
  std::string version = result.stdout_text.substr(at + marker.size());
  version = version.substr(0, version.find_first_of(" \n"));
  out->bindir = bindir;
  out->version = version;
  out->major_version = std::atoi(version.c_str());
  return Status::OK();
}

}  // namespace

Status PostgresInstallation::Find(const std::string& configured_bindir, PostgresInstallation* out) {
  std::lock_guard<std::mutex> lock(g_mu);
  std::string bindir;
  std::string looked;
  const char* env = std::getenv("REHEARSE_PG_BINDIR");
  if (!configured_bindir.empty() || (env != nullptr && env[0] != '\0')) {
    bindir = !configured_bindir.empty() ? configured_bindir : env;
    looked = bindir;
    if (!HasServerPrograms(bindir)) bindir.clear();
  } else {
    std::string from_pg_config = PgConfigBindir();
    looked = "`pg_config --bindir`" +
             (from_pg_config.empty() ? std::string() : " (" + from_pg_config + ")") +
             ", /usr/lib/postgresql/*/bin";
    bindir = !from_pg_config.empty() && HasServerPrograms(from_pg_config) ? from_pg_config
                                                                          : NewestDebianBindir();
  }
  if (bindir.empty()) {
    return Status::Infrastructure("PostgreSQL server binaries not found (looked in " + looked +
                                  "); install postgresql-15 or set REHEARSE_PG_BINDIR");
  }
  if (g_by_bindir == nullptr) g_by_bindir = new std::map<std::string, PostgresInstallation>;
  auto found = g_by_bindir->find(bindir);
  if (found == g_by_bindir->end()) {
    PostgresInstallation installation;
    REHEARSE_RETURN_IF_ERROR(ReadVersion(bindir, &installation));
    found = g_by_bindir->emplace(bindir, installation).first;
  }
  *out = found->second;
  return Status::OK();
}

std::vector<PostgresInstallation> PostgresInstallation::FindAll() {
  std::vector<PostgresInstallation> out;
  for (const std::string& bindir : DebianBindirs()) {
    PostgresInstallation one;
    if (Find(bindir, &one).ok()) out.push_back(one);
  }
  return out;
}

Status PostgresInstallation::FindMajor(int major, PostgresInstallation* out) {
  std::string found;
  for (const PostgresInstallation& one : FindAll()) {
    if (one.major_version == major) {
      *out = one;
      return Status::OK();
    }
    found += (found.empty() ? "" : ", ") + one.version + " (" + one.bindir + ")";
  }
  return Status::InvalidInput("--pg-version " + std::to_string(major) + ": no PostgreSQL " +
                              std::to_string(major) + " under /usr/lib/postgresql; found " +
                              (found.empty() ? std::string("none") : found));
}

}  // namespace rehearse
