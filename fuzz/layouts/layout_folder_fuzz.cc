// Migration layouts (harness/migrate/layouts/layout.h): a folder of files
// made from the input is detected and read by every reader — file and folder
// names of each layout, goose and dbmate annotations, Sqitch plans, Flyway
// names — and gives OK or kInvalidInput, never a crash or an exception.
//
// Input: records "NAME\nCONTENT" separated by "\n\x01\n"; NAME may hold one
// '/' (a file in a subfolder: Diesel's and Rehearse's folders, Sqitch's
// deploy/). Names that would leave the folder are skipped.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "harness/migrate/layouts/layout.h"

namespace {

namespace fs = std::filesystem;

bool SafeName(std::string_view name) {
  if (name.empty() || name.size() > 200 || name.front() == '/' || name.back() == '/') return false;
  if (name.find("..") != std::string_view::npos || name.find('\0') != std::string_view::npos)
    return false;
  return std::count(name.begin(), name.end(), '/') <= 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path dir =
      fs::temp_directory_path() / ("rehearse-layout-fuzz-" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  std::string_view in(reinterpret_cast<const char*>(data), size);
  int files = 0;
  while (!in.empty() && files < 32) {
    size_t end = in.find("\n\x01\n");
    std::string_view record = in.substr(0, end);
    in = end == std::string_view::npos ? std::string_view() : in.substr(end + 3);
    const size_t nl = record.find('\n');
    const std::string_view name = record.substr(0, nl);
    const std::string_view content = nl == std::string_view::npos ? "" : record.substr(nl + 1);
    if (!SafeName(name)) continue;
    const fs::path path = dir / std::string(name);
    fs::create_directories(path.parent_path(), ec);
    std::ofstream(path, std::ios::binary).write(content.data(), content.size());
    ++files;
  }
  rehearse::MigrationFolder folder;
  const rehearse::Status s =
      rehearse::ReadMigrationFolder(dir.string(), rehearse::MigrationFolderOptions(), &folder);
  if (!s.ok() && s.code() != rehearse::Status::Code::kInvalidInput) std::abort();
  return 0;
}
