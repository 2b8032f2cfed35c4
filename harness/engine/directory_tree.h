// Copying, re-owning and removing whole directory trees.
//
// None of these follow symbolic links inside the tree: the trees removed as
// root (server data directories) are writable by the unprivileged server
// user, who could otherwise plant a link that makes root delete or re-own
// something else. A link is copied, re-owned or removed as a link.
//
// Contract: each returns OK on success, kInfrastructure naming the path and the
// system error otherwise. A failed copy may leave a partial tree at `to`,
// which the caller removes.
#ifndef REHEARSE_ENGINE_DIRECTORY_TREE_H_
#define REHEARSE_ENGINE_DIRECTORY_TREE_H_

#include <sys/types.h>

#include <optional>
#include <string>

#include "harness/common/status.h"

namespace rehearse {

struct TreeOwner {
  uid_t uid;
  gid_t gid;
};

// Creates `to`, which must not exist, as a copy of the directory `from`:
// directories, regular files (contents and permission bits) and symbolic
// links; other file types (sockets, fifos) are skipped. Holes in the
// source stay holes. When `owner` is set,
// everything created belongs to it (the caller must be root to give files
// away); otherwise to the caller.
Status CopyDirectoryTree(const std::string& from, const std::string& to,
                         const std::optional<TreeOwner>& owner);

// Turns every all-zero 8 kB block of every regular file under `path` into a
// hole. CopyDirectoryTree copies only the data between holes, so a sparse
// source is copied faster: an initdb'ed data directory is about 30% zeros
// (most of its first WAL segment). Contents read back unchanged.
Status PunchHolesInZeroBlocks(const std::string& path);

// Gives `path` and everything under it to `owner`.
Status ChangeTreeOwner(const std::string& path, const TreeOwner& owner);

// Removes `path` and everything under it. It is not an error if `path` (or
// anything under it, removed concurrently) does not exist.
Status RemoveDirectoryTree(const std::string& path);

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_DIRECTORY_TREE_H_
