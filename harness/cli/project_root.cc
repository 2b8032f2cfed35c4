#include "harness/cli/project_root.h"

#include <cstdlib>
#include <filesystem>

// Where `cmake --install` puts the data, from the binary's folder.
#ifndef REHEARSE_DATA_DIR
#define REHEARSE_DATA_DIR "../share/rehearse"
#endif

namespace rehearse {

namespace {

bool IsRoot(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_directory(p / "migrations" / "0000_baseline", ec);
}

bool SearchUp(std::filesystem::path p, std::string* root) {
  for (; !p.empty(); p = p.parent_path()) {
    if (IsRoot(p)) {
      *root = p.string();
      return true;
    }
    if (p == p.parent_path()) break;
  }
  return false;
}

}  // namespace

Status FindProjectRoot(std::string* root) {
  if (const char* env = std::getenv("REHEARSE_ROOT"); env && *env) {
    if (!IsRoot(env))
      return Status::InvalidInput(std::string("REHEARSE_ROOT=") + env +
                                  " has no migrations/0000_baseline");
    *root = env;
    return Status::OK();
  }
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    // Installed: <prefix>/bin/rehearse with its data in <prefix>/share/rehearse
    // (REHEARSE_DATA_DIR, relative to the binary's folder), so a prefix can
    // be moved as a whole.
    std::filesystem::path data = exe.parent_path() / REHEARSE_DATA_DIR;
    if (IsRoot(data)) {
      *root = data.lexically_normal().string();
      return Status::OK();
    }
    if (SearchUp(exe.parent_path(), root)) return Status::OK();
  }
  auto cwd = std::filesystem::current_path(ec);
  if (!ec && SearchUp(cwd, root)) return Status::OK();
  return Status::InvalidInput(
      "cannot find the project's migrations/ (looked in " REHEARSE_DATA_DIR
      " beside the executable, above it and above the working directory); set REHEARSE_ROOT or "
      "pass --migrations DIR");
}

}  // namespace rehearse
