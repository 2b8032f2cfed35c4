// CheckOutputPath: whether Rehearse may write a file at a path the user
// named (--out, --report-json, --junit, --artifact). Run as root in CI, a
// writer that followed the user anywhere would replace /dev/full with a
// regular file, write through a symlink planted in a shared folder, or block
// forever on a FIFO; so an output is only ever a new name or an existing
// regular file, and that is checked before anything boots — exit 2 then
// really means nothing was touched.
//
// Contract of CheckOutputPath(flag, path):
// - OK when nothing is at `path` (not even a dangling symlink) and its folder
//   takes a new file, or when `path` is a regular file (not a symlink to one)
//   that its folder lets be replaced. "Takes a new file" is tried with an
//   unnamed file (ReplacementFile::Open, never committed), since access()
//   says yes to root on a read-only file system; nothing is left behind.
// - Otherwise kInvalidInput, its message starting with `flag` and naming the
//   path and what is wrong: empty, a directory, a symlink, a FIFO, a device,
//   a socket, a missing folder, a folder that does not take the file.
// The writers check again when they put the file in place (ReplacementFile
// refuses a target that became something else since), so the check here is
// about failing early, not the only guard.
#ifndef REHEARSE_COMMON_OUTPUT_PATH_H_
#define REHEARSE_COMMON_OUTPUT_PATH_H_

#include <string>

#include "harness/common/status.h"

namespace rehearse {

Status CheckOutputPath(const std::string& flag, const std::string& path);

// What is at `path` when it is not a regular file ("a directory", "a
// symlink", "a FIFO", "a device", "a socket"); "" for a regular file or
// nothing at all. Does not follow a final symlink.
std::string NonRegularKindAt(const std::string& path);

}  // namespace rehearse

#endif  // REHEARSE_COMMON_OUTPUT_PATH_H_
