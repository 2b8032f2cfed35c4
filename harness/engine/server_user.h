// ServerUser: the operating-system user that PostgreSQL's programs (initdb,
// postgres) run as.
//
// PostgreSQL refuses to run as root. When this process is root the servers
// run as `postgres` if that user exists (the Debian packages create it),
// else as `rehearse` (ci's set-up script creates it with `useradd --system`);
// otherwise they run as this process's own user.
#ifndef REHEARSE_ENGINE_SERVER_USER_H_
#define REHEARSE_ENGINE_SERVER_USER_H_

#include <sys/types.h>

#include <string>

#include "harness/common/status.h"

namespace rehearse {

struct ServerUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  // True when children must switch to uid/gid: this process is root.
  bool is_other_user = false;

  // Sets *out as described above. Returns kInfrastructure when this process
  // is root and neither user exists.
  static Status Choose(ServerUser* out);

  // Returns OK if the user can reach `path` (search permission on it and
  // every directory above it), else kInfrastructure naming the first
  // directory in the way: a private $TMPDIR or cache dir would otherwise
  // surface later as an obscure "permission denied" from the server.
  Status CheckCanReach(const std::string& path) const;
};

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_SERVER_USER_H_
