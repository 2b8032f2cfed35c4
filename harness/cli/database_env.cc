#include "harness/cli/database_env.h"

#include <cstdlib>
#include <filesystem>

#include "harness/common/input_file.h"

namespace rehearse {

namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// The value after '=' of the line starting at text[pos]; *next is the
// position after the value's last line (a double-quoted value may span
// lines).
std::string DotenvValue(std::string_view text, size_t pos, size_t* next) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  size_t eol = text.find('\n', pos);
  if (eol == std::string_view::npos) eol = text.size();
  if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) {
    const char quote = text[pos];
    std::string out;
    for (size_t i = pos + 1; i < text.size(); ++i) {
      char c = text[i];
      if (c == quote) {
        size_t end = text.find('\n', i);
        *next = end == std::string_view::npos ? text.size() : end + 1;
        return out;
      }
      if (quote == '"' && c == '\\' && i + 1 < text.size()) {
        char e = text[++i];
        out += e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
        continue;
      }
      out += c;
    }
    // No closing quote: the rest of the line, as written.
  }
  *next = eol == text.size() ? eol : eol + 1;
  std::string_view v = text.substr(pos, eol - pos);
  size_t comment = v.find(" #");
  if (comment != std::string_view::npos) v = v.substr(0, comment);
  return Trim(v);
}

}  // namespace

std::map<std::string, std::string> ParseDotenv(std::string_view text) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    size_t eq = line.find('=');
    std::string key = eq == std::string_view::npos ? "" : Trim(line.substr(0, eq));
    if (key.rfind("export ", 0) == 0) key = Trim(key.substr(7));
    if (key.empty() || key[0] == '#' || key.find_first_of(" \t") != std::string::npos) {
      pos = eol + 1;
      continue;
    }
    size_t next;
    std::string value = DotenvValue(text, pos + eq + 1, &next);
    out.emplace(key, std::move(value));
    pos = next;
  }
  return out;
}

Status DatabaseFromEnvironment(const std::string& dir, EnvDatabase* out) {
  // Loaded in order, never overriding: the environment, .env.local, .env.
  struct File {
    std::string name;
    std::map<std::string, std::string> pairs;
  };
  std::vector<File> files;
  for (const char* name : {".env.local", ".env"}) {
    const std::string path = dir + "/" + name;
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) continue;
    std::string text;
    REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, &text, 1 << 20));
    files.push_back({name, ParseDotenv(text)});
  }
  auto lookup = [&](const std::string& key, std::string* value, std::string* where) {
    if (const char* env = std::getenv(key.c_str()); env && *env) {
      *value = env;
      *where = "the environment";
      return true;
    }
    for (const File& f : files) {
      auto it = f.pairs.find(key);
      if (it != f.pairs.end() && !it->second.empty()) {
        *value = it->second;
        *where = f.name;
        return true;
      }
    }
    return false;
  };
  std::string value, where;
  for (const char* key : {"DIRECT_URL", "DATABASE_URL"}) {
    if (!lookup(key, &value, &where)) continue;
    out->source = std::string(key) + " from " + where;
    if (value.rfind("file:", 0) == 0) {
      out->dialect = Dialect::kSqlite;
      out->target = value.substr(5);
      if (out->target.rfind("//", 0) == 0) out->target = out->target.substr(2);
    } else {
      out->dialect = Dialect::kPostgres;
      out->target = value;
    }
    if (out->target.empty()) return Status::InvalidInput("--use-env: " + out->source + " is empty");
    return Status::OK();
  }
  return Status::InvalidInput(
      "--use-env: neither DIRECT_URL nor DATABASE_URL is set (looked in the environment, " + dir +
      "/.env.local and " + dir + "/.env)");
}

}  // namespace rehearse
