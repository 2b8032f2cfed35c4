// goose: one file per migration, DIR/{version}_{name}.sql, whose annotations
// split it:
//
//   -- +goose Up / -- +goose Down        the two sections (Down may be absent)
//   -- +goose StatementBegin … End       one statement, semicolons and all
//   -- +goose NO TRANSACTION             run outside a transaction
//
// Annotations are matched without regard to case, as recent goose does.
// Outside a StatementBegin block statements are split as usual (sql_script.h).
// {version}_{name}.go files are Go migrations: listed, not rehearsable.
// Versions are numbers; two files with one version are bad input, as goose
// refuses them.
#include <cctype>

#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/layouts/layout_readers.h"

namespace rehearse {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The annotation of `line` ("up", "statementbegin", ...), or "" if none.
std::string Annotation(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return "";
  line.remove_prefix(i);
  if (!StartsWith(line, "-- +goose")) return "";
  line.remove_prefix(9);
  std::string a = Lower(line);
  a.erase(0, a.find_first_not_of(" \t"));
  a.erase(a.find_last_not_of(" \t") + 1);
  return a;
}

std::string WithoutFinalSemicolon(std::string text) {
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  if (!text.empty() && text.back() == ';') text.pop_back();
  return text;
}

struct GooseSection {
  bool seen = false;
  int first = 0, last = -1;
  std::vector<SqlStatement> statements;
};

Status ParseGooseFile(const std::string& path, const std::string& text, Migration* m) {
  GooseSection up, down;
  GooseSection* current = nullptr;
  std::string chunk;  // plain text since the last block, split as usual
  int chunk_line = 0;
  std::string block;  // inside StatementBegin/End
  int block_line = 0;
  bool in_block = false;
  auto flush = [&] {
    if (current && !chunk.empty()) {
      SqlScript s = SqlScript::Parse(chunk, path, chunk_line);
      for (const SqlStatement& st : s.statements()) current->statements.push_back(st);
    }
    chunk.clear();
  };
  for (const NumberedLine& l : SplitLines(text)) {
    const std::string a = Annotation(l.text);
    if (a == "up" || a == "down") {
      if (in_block)
        return Status::InvalidInput("StatementBegin without StatementEnd before '-- +goose " + a +
                                    "' on line " + std::to_string(l.number))
            .At(path, block_line - 1);
      flush();
      if (current) current->last = l.number - 1;
      current = a == "up" ? &up : &down;
      if (current->seen) return Status::InvalidInput("a second -- +goose " + a).At(path, l.number);
      current->seen = true;
      current->first = l.number + 1;
      chunk_line = l.number + 1;
      continue;
    }
    if (a == "no transaction") {
      m->transactional = false;
      continue;
    }
    if (a == "statementbegin") {
      if (!current)
        return Status::InvalidInput("StatementBegin before -- +goose Up").At(path, l.number);
      if (in_block)
        return Status::InvalidInput("StatementBegin inside another one").At(path, l.number);
      flush();
      in_block = true;
      block.clear();
      block_line = l.number + 1;
      continue;
    }
    if (a == "statementend") {
      if (!in_block)
        return Status::InvalidInput("StatementEnd without StatementBegin").At(path, l.number);
      in_block = false;
      std::string st = WithoutFinalSemicolon(block);
      if (!st.empty()) current->statements.push_back({st, block_line});
      chunk_line = l.number + 1;
      continue;
    }
    if (in_block) {
      block.append(l.text).push_back('\n');
    } else if (current) {
      if (chunk.empty()) chunk_line = l.number;
      chunk.append(l.text).push_back('\n');
    }
  }
  if (in_block)
    return Status::InvalidInput("StatementBegin without StatementEnd").At(path, block_line - 1);
  flush();
  if (current) current->last = static_cast<int>(SplitLines(text).size());
  if (!up.seen)
    return Status::InvalidInput("goose migration without a '-- +goose Up' annotation").At(path, 1);
  for (auto [section, file] :
       {std::pair{&up, &m->postgres.up}, std::pair{&down, &m->postgres.down}}) {
    if (!section->seen) continue;
    MigrationScriptFile f = Section(path, text, section->first, section->last);
    f.statements = std::move(section->statements);
    *file = std::move(f);
  }
  m->sqlite.up = m->postgres.up;
  m->sqlite.down = m->postgres.down;
  return Status::OK();
}

bool MatchGooseName(const std::string& entry, std::string* digits, std::string* name, bool* go) {
  std::string rest;
  if (!SplitVersionPrefix(entry, digits, &rest)) return false;
  *go = EndsWith(rest, ".go") && !EndsWith(rest, "_test.go");
  if (!*go && !EndsWith(rest, ".sql")) return false;
  *name = rest.substr(0, rest.size() - (*go ? 3 : 4));
  return true;
}

Status ReadGoose(const std::string& dir, std::vector<Migration>* out) {
  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(dir, &entries));
  std::vector<Migration> migrations;
  for (const std::string& e : entries) {
    std::string digits, name;
    bool go = false;
    if (!MatchGooseName(e, &digits, &name, &go)) continue;
    Migration m;
    REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(digits, &m.version));
    m.name = name;
    m.origin = dir + "/" + e;
    if (go) {
      m.not_rehearsable = "a Go migration";
    } else {
      MigrationScriptFile whole;
      REHEARSE_RETURN_IF_ERROR(ReadScript(m.origin, &whole));
      REHEARSE_RETURN_IF_ERROR(ParseGooseFile(m.origin, whole.text(), &m));
    }
    FinishForeignMigration(&m);
    migrations.push_back(std::move(m));
  }
  *out = std::move(migrations);
  return Status::OK();
}

}  // namespace

const LayoutReader kGooseReader = {
    Layout::kGoose, "goose", "{version}_{name}.sql files with '-- +goose Up' annotations",
    [](const std::string& dir, const std::vector<std::string>& entries) {
      for (const std::string& e : entries) {
        std::string digits, name;
        bool go = false;
        if (MatchGooseName(e, &digits, &name, &go) && !go &&
            FileMentions(dir + "/" + e, "-- +goose"))
          return true;
      }
      return false;
    },
    ReadGoose};

}  // namespace rehearse
