// WriteFileAtomically: replaces a file so that a reader sees either the old
// contents or the new, never a mix or a prefix, even if the process or the
// machine dies half-way.
//
// How: write to a temporary file in the same directory (mkstemp, mode 0600),
// fsync it, rename it over the target, then fsync the directory so the rename
// itself is durable. The temporary file is removed on any failure.
//
// Contract: OK, or kIoError naming the path and the system's reason; on
// failure the target is unchanged.
#ifndef REHEARSE_MIGRATE_ATOMIC_FILE_H_
#define REHEARSE_MIGRATE_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "harness/common/status.h"

namespace rehearse {

Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_ATOMIC_FILE_H_
