// dbmate: one file per migration, DIR/{version}_{name}.sql, split by
//
//   -- migrate:up [transaction:false]
//   -- migrate:down [transaction:false]
//
// A section runs in a transaction unless its marker says transaction:false.
// Versions are numbers (dbmate writes 14-digit timestamps); a file without
// '-- migrate:up' is bad input, as dbmate refuses it.
#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/layouts/layout_readers.h"

namespace rehearse {

namespace {

// "up"/"down" when `line` is a dbmate marker; *no_tx when it says
// transaction:false.
std::string Marker(std::string_view line, bool* no_tx) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return "";
  line.remove_prefix(i);
  if (!StartsWith(line, "-- migrate:")) return "";
  line.remove_prefix(11);
  std::string which = StartsWith(line, "up") ? "up" : StartsWith(line, "down") ? "down" : "";
  *no_tx = line.find("transaction:false") != std::string_view::npos;
  return which;
}

Status ParseDbmateFile(const std::string& path, const std::string& text, Migration* m) {
  int up_marker = 0, down_marker = 0;
  for (const NumberedLine& l : SplitLines(text)) {
    bool no_tx = false;
    std::string which = Marker(l.text, &no_tx);
    if (which.empty()) continue;
    int& at = which == "up" ? up_marker : down_marker;
    if (at) return Status::InvalidInput("a second '-- migrate:" + which + "'").At(path, l.number);
    at = l.number;
    if (no_tx) m->transactional = false;
  }
  if (!up_marker)
    return Status::InvalidInput("dbmate migration without a '-- migrate:up' marker").At(path, 1);
  const int last = static_cast<int>(SplitLines(text).size());
  const bool down_first = down_marker && down_marker < up_marker;
  m->postgres.up =
      Section(path, text, up_marker + 1, down_marker && !down_first ? down_marker - 1 : last);
  if (down_marker)
    m->postgres.down = Section(path, text, down_marker + 1, down_first ? up_marker - 1 : last);
  m->sqlite.up = m->postgres.up;
  m->sqlite.down = m->postgres.down;
  return Status::OK();
}

bool MatchDbmateName(const std::string& entry, std::string* digits, std::string* name) {
  std::string rest;
  if (!SplitVersionPrefix(entry, digits, &rest) || !EndsWith(rest, ".sql")) return false;
  *name = rest.substr(0, rest.size() - 4);
  return true;
}

Status ReadDbmate(const std::string& dir, std::vector<Migration>* out) {
  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(dir, &entries));
  std::vector<Migration> migrations;
  for (const std::string& e : entries) {
    std::string digits, name;
    if (!MatchDbmateName(e, &digits, &name)) continue;
    Migration m;
    REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(digits, &m.version));
    m.name = name;
    m.origin = dir + "/" + e;
    MigrationScriptFile whole;
    REHEARSE_RETURN_IF_ERROR(ReadScript(m.origin, &whole));
    REHEARSE_RETURN_IF_ERROR(ParseDbmateFile(m.origin, whole.text(), &m));
    FinishForeignMigration(&m);
    migrations.push_back(std::move(m));
  }
  *out = std::move(migrations);
  return Status::OK();
}

}  // namespace

const LayoutReader kDbmateReader = {
    Layout::kDbmate, "dbmate", "{version}_{name}.sql files with '-- migrate:up' markers",
    [](const std::string& dir, const std::vector<std::string>& entries) {
      for (const std::string& e : entries) {
        std::string digits, name;
        if (MatchDbmateName(e, &digits, &name) && FileMentions(dir + "/" + e, "-- migrate:up"))
          return true;
      }
      return false;
    },
    ReadDbmate};

}  // namespace rehearse
