#include "harness/migrate/layouts/layout_files.h"

#include <algorithm>
#include <filesystem>

#include "harness/common/input_file.h"

namespace rehearse {

namespace fs = std::filesystem;

Status ListEntries(const std::string& dir, std::vector<std::string>* names) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return Status::InvalidInput("cannot read folder: " + ec.message()).At(dir, 0);
  names->clear();
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return Status::InvalidInput("cannot read folder: " + ec.message()).At(dir, 0);
    std::string name = it->path().filename().string();
    if (!name.empty() && name[0] != '.') names->push_back(std::move(name));
  }
  if (ec) return Status::InvalidInput("cannot read folder: " + ec.message()).At(dir, 0);
  std::sort(names->begin(), names->end());
  return Status::OK();
}

bool IsDirectory(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool IsRegularFile(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

Status ReadScript(const std::string& path, MigrationScriptFile* out) {
  MigrationScriptFile file;
  file.path = path;
  std::string text;
  REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, &text));
  file.set_text(std::move(text));
  *out = std::move(file);
  return Status::OK();
}

std::vector<NumberedLine> SplitLines(std::string_view text) {
  std::vector<NumberedLine> lines;
  size_t start = 0;
  int number = 1;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({number++, line});
    start = end + 1;
  }
  return lines;
}

MigrationScriptFile Section(const std::string& path, std::string_view file_text, int first,
                            int last) {
  MigrationScriptFile file;
  file.path = path;
  file.first_line = first;
  int line = 1;
  size_t i = 0;
  while (i < file_text.size() && line < first) {
    if (file_text[i++] == '\n') ++line;
  }
  size_t begin = i;
  while (i < file_text.size() && line <= last) {
    if (file_text[i++] == '\n') ++line;
  }
  if (last >= first) file.set_text(std::string(file_text.substr(begin, i - begin)));
  return file;
}

void FinishForeignMigration(Migration* m) {
  for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
    DialectMigration& dm = m->For(d);
    dm.available = dm.up.present();
    for (MigrationScriptFile* f : {&dm.up, &dm.down})
      if (!UnwrapOwnTransaction(f) && HoldsTransactionControl(*f)) m->transactional = false;
  }
  for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
    DialectMigration& dm = m->For(d);
    if (dm.available) dm.checksum = ComputeMigrationChecksum(dm, {});
  }
}

bool SplitVersionPrefix(std::string_view name, std::string* digits, std::string* rest) {
  size_t n = 0;
  while (n < name.size() && name[n] >= '0' && name[n] <= '9') ++n;
  if (n == 0 || n >= name.size() || name[n] != '_') return false;
  *digits = std::string(name.substr(0, n));
  *rest = std::string(name.substr(n + 1));
  return true;
}

bool FileMentions(const std::string& path, std::string_view marker) {
  std::string head;
  if (!ReadInputFile(path, &head, kMaxInputFileBytes).ok()) return false;
  return std::string_view(head).substr(0, 1 << 16).find(marker) != std::string_view::npos;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace rehearse
