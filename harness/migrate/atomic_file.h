// Writing files so that a reader sees either nothing (or the old contents)
// or all of the new, never a mix or a prefix, even if the process or the
// machine dies half-way.
//
// How: write to a temporary file in the same directory (mkstemp, mode 0600),
// fsync it, move it into place, then fsync the directory so the move itself
// is durable. The temporary file is removed on any failure.
//
// WriteFileAtomically moves with rename(): it replaces any existing file.
// WriteNewFileAtomically moves with link(), which the kernel refuses when the
// target exists: it never replaces a file, even one created a moment before
// by another process (what a check-then-rename could not promise).
//
// Contract: OK, or kIoError naming the path and the system's reason; on
// failure the target is unchanged. WriteNewFileAtomically returns
// kInvalidInput, naming the path, when it already exists.
#ifndef REHEARSE_MIGRATE_ATOMIC_FILE_H_
#define REHEARSE_MIGRATE_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "harness/common/status.h"

namespace rehearse {

Status WriteFileAtomically(const std::string& path, std::string_view contents);
Status WriteNewFileAtomically(const std::string& path, std::string_view contents);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_ATOMIC_FILE_H_
