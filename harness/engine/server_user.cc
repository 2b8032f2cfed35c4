#include "harness/engine/server_user.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace rehearse {
namespace {

bool LookUp(const char* name, ServerUser* out) {
  struct passwd entry;
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (getpwnam_r(name, &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return false;
  }
  out->name = name;
  out->uid = entry.pw_uid;
  out->gid = entry.pw_gid;
  return true;
}

}  // namespace

Status ServerUser::Choose(ServerUser* out) {
  *out = ServerUser();
  if (geteuid() != 0) {
    out->uid = geteuid();
    out->gid = getegid();
    struct passwd entry;
    struct passwd* found = nullptr;
    std::vector<char> buffer(16384);
    getpwuid_r(out->uid, &entry, buffer.data(), buffer.size(), &found);
    out->name = found != nullptr ? entry.pw_name : std::to_string(out->uid);
    return Status::OK();
  }
  for (const char* candidate : {"postgres", "rehearse"}) {
    if (LookUp(candidate, out)) {
      if (out->uid == 0) continue;  // a "postgres" that is root would be refused too
      out->is_other_user = true;
      return Status::OK();
    }
  }
  *out = ServerUser();
  return Status::Infrastructure(
      "running as root, but there is no unprivileged user to run PostgreSQL as (looked for "
      "'postgres' and 'rehearse'); create one with `useradd --system rehearse`");
}

Status ServerUser::CheckCanReach(const std::string& path) const {
  if (!is_other_user) return Status::OK();
  size_t end = 0;
  do {
    end = path.find('/', end + 1);
    const std::string dir = path.substr(0, end == 0 ? 1 : end);
    struct stat st;
    if (stat(dir.c_str(), &st) < 0) {
      return Status::Infrastructure("cannot stat " + dir + ": " + std::strerror(errno));
    }
    mode_t needed = st.st_uid == uid ? S_IXUSR : st.st_gid == gid ? S_IXGRP : S_IXOTH;
    if ((st.st_mode & needed) == 0) {
      return Status::Infrastructure("the server user '" + name + "' cannot enter " + dir +
                                    "; PostgreSQL runs as that user and needs to reach " + path +
                                    " (set TMPDIR or the cache directory elsewhere)");
    }
  } while (end != std::string::npos);
  return Status::OK();
}

}  // namespace rehearse
