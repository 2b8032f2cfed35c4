// ReadInputFile: the one way Rehearse reads a file a user gave it (SQL,
// migration.json, a Sqitch plan, a scenario, an artifact). Inputs may come from
// a pull request, so a reader must not follow them anywhere a regular file
// would not lead.
//
// Contract:
// - Returns OK and the file's bytes when `path` names a regular file (after
//   following symlinks) of at most `max_bytes` bytes.
// - Returns kInvalidInput naming `path` (Status::file()) when it is missing,
//   not a regular file (a FIFO, device, socket or directory is refused before
//   it is opened, so reading never blocks), unreadable, or larger than
//   `max_bytes`; *out is then left unchanged.
// - The size is checked on the opened descriptor too, and reading stops past
//   the limit, so a file that grows while it is read cannot exceed it.
#ifndef REHEARSE_COMMON_INPUT_FILE_H_
#define REHEARSE_COMMON_INPUT_FILE_H_

#include <cstdint>
#include <string>

#include "harness/common/status.h"

namespace rehearse {

// The documented bound for one input file: 64 MiB. A migration larger than
// this is a data dump, not a migration.
inline constexpr uint64_t kMaxInputFileBytes = 64ull << 20;

Status ReadInputFile(const std::string& path, std::string* out,
                     uint64_t max_bytes = kMaxInputFileBytes);

}  // namespace rehearse

#endif  // REHEARSE_COMMON_INPUT_FILE_H_
