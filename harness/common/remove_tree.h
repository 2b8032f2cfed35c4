// RemoveTree: removes a directory tree that another process may be removing
// at the same time — a harness's watchdog clears its run directory only
// after the harness has exited, so a test that ran the CLI with TMPDIR inside
// its own scratch dir races it. std::filesystem::remove_all throws when an
// entry vanishes under it; this retries until the tree is gone.
#ifndef REHEARSE_COMMON_REMOVE_TREE_H_
#define REHEARSE_COMMON_REMOVE_TREE_H_

#include <chrono>
#include <filesystem>
#include <thread>

namespace rehearse {

// Returns true when `dir` no longer exists (within about two seconds).
inline bool RemoveTree(const std::filesystem::path& dir) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (!std::filesystem::exists(dir, ec)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace rehearse

#endif  // REHEARSE_COMMON_REMOVE_TREE_H_
