#include "harness/db/sql_script.h"

#include <algorithm>
#include <cctype>

#include "harness/common/input_file.h"

namespace rehearse {

namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Case-insensitive match of `word` at position i as a whole word.
bool WordAt(std::string_view s, size_t i, std::string_view word) {
  if (i + word.size() > s.size()) return false;
  if (i > 0 && IsWordChar(s[i - 1])) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (std::toupper(static_cast<unsigned char>(s[i + k])) != word[k]) return false;
  }
  size_t end = i + word.size();
  return end == s.size() || !IsWordChar(s[end]);
}

// Length of a dollar-quote tag ("$$" or "$tag$") starting at i, or 0.
size_t DollarTagLength(std::string_view s, size_t i) {
  if (s[i] != '$') return 0;
  if (i > 0 && IsWordChar(s[i - 1])) return 0;  // $1 parameters, identifiers
  if (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) return 0;
  size_t j = i + 1;
  while (j < s.size() && IsWordChar(s[j])) ++j;
  if (j < s.size() && s[j] == '$') return j - i + 1;
  return 0;
}

bool IsBlank(std::string_view s) {
  // A statement made only of whitespace and comments is dropped.
  size_t i = 0;
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (s.substr(i, 2) == "--") {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (s.substr(i, 2) == "/*") {
      size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

bool SqlSplitter::Next(SqlStatementView* out) {
  const std::string_view text = text_;
  while (!done_) {
    // One statement: from pos_ to the next ';' outside strings, comments,
    // dollar quotes and trigger bodies, or to the end.
    size_t start = pos_;
    int start_line = line_;
    bool saw_token = false;
    // SQLite trigger bodies hold ';' between BEGIN and END.
    bool in_trigger = false;
    int trigger_depth = 0;
    size_t i = pos_;
    size_t end = std::string_view::npos;
    while (i < text.size() && end == std::string_view::npos) {
      char c = text[i];
      if (c == '\n') {
        ++line_;
        ++i;
        continue;
      }
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      if (text.substr(i, 2) == "--") {
        while (i < text.size() && text[i] != '\n') ++i;
        continue;
      }
      if (text.substr(i, 2) == "/*") {
        int depth = 1;
        i += 2;
        while (i < text.size() && depth > 0) {
          if (text.substr(i, 2) == "/*") {
            ++depth;
            i += 2;
          } else if (text.substr(i, 2) == "*/") {
            --depth;
            i += 2;
          } else {
            if (text[i] == '\n') ++line_;
            ++i;
          }
        }
        continue;
      }
      if (!saw_token) {
        saw_token = true;
        start_line = line_;
        start = i;  // leading comments are not part of the statement
        if (WordAt(text, i, "CREATE")) {
          // Look ahead within the statement head for TRIGGER.
          size_t head_end = text.find_first_of(";(", i);
          std::string_view head = text.substr(
              i, head_end == std::string_view::npos ? std::string_view::npos : head_end - i);
          for (size_t k = 0; k < head.size(); ++k) {
            if (WordAt(head, k, "TRIGGER")) {
              in_trigger = true;
              break;
            }
          }
        }
      }
      if (c == '\'' || c == '"') {
        bool backslash_escapes = c == '\'' && i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e') &&
                                 (i < 2 || !IsWordChar(text[i - 2]));
        ++i;
        while (i < text.size()) {
          if (text[i] == '\n') ++line_;
          if (backslash_escapes && text[i] == '\\') {
            i += 2;
            continue;
          }
          if (text[i] == c) {
            if (i + 1 < text.size() && text[i + 1] == c) {
              i += 2;
              continue;
            }
            break;
          }
          ++i;
        }
        ++i;
        continue;
      }
      if (size_t tag = DollarTagLength(text, i); tag > 0) {
        std::string_view delimiter = text.substr(i, tag);
        size_t close = text.find(delimiter, i + tag);
        size_t stop = close == std::string_view::npos ? text.size() : close + tag;
        for (size_t k = i; k < stop; ++k)
          if (text[k] == '\n') ++line_;
        i = stop;
        continue;
      }
      if (in_trigger) {
        if (WordAt(text, i, "BEGIN") || WordAt(text, i, "CASE")) {
          ++trigger_depth;
        } else if (WordAt(text, i, "END") && trigger_depth > 0) {
          --trigger_depth;
        }
      }
      if (c == ';' && trigger_depth == 0) end = i;
      ++i;
    }
    if (end == std::string_view::npos) {
      // A quote or escape may have stepped past the end.
      end = text.size();
      done_ = true;
    }
    if (start > end) start = end;
    pos_ = std::min(i, text.size());
    std::string_view body = text.substr(start, end - start);
    if (IsBlank(body)) continue;
    // Trim surrounding whitespace so statements compare and print cleanly.
    size_t b = 0, e = body.size();
    while (b < e && std::isspace(static_cast<unsigned char>(body[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(body[e - 1]))) --e;
    *out = {body.substr(b, e - b), start_line};
    return true;
  }
  return false;
}

SqlScript SqlScript::Parse(std::string_view text, std::string origin, int first_line) {
  return Share(std::make_shared<const std::string>(text), std::move(origin), first_line);
}

SqlScript SqlScript::Share(std::shared_ptr<const std::string> text, std::string origin,
                           int first_line) {
  SqlScript script;
  script.origin_ = std::move(origin);
  script.text_ = std::move(text);
  script.first_line_ = first_line;
  return script;
}

SqlScript SqlScript::FromStatements(std::vector<SqlStatement> statements, std::string origin) {
  SqlScript script;
  script.origin_ = std::move(origin);
  script.split_ = std::make_shared<const std::vector<SqlStatement>>(std::move(statements));
  return script;
}

Status SqlScript::ForEach(const std::function<Status(const SqlStatementView&)>& fn) const {
  if (split_) {
    for (const SqlStatement& st : *split_) REHEARSE_RETURN_IF_ERROR(fn({st.text, st.line}));
    return Status::OK();
  }
  SqlSplitter splitter(text(), first_line_);
  SqlStatementView st;
  while (splitter.Next(&st)) REHEARSE_RETURN_IF_ERROR(fn(st));
  return Status::OK();
}

std::vector<SqlStatement> SqlScript::statements() const {
  if (split_) return *split_;
  std::vector<SqlStatement> out;
  SqlSplitter splitter(text(), first_line_);
  SqlStatementView st;
  while (splitter.Next(&st)) out.push_back({std::string(st.text), st.line});
  return out;
}

bool SqlScript::HasStatements() const {
  if (split_) return !split_->empty();
  SqlStatementView st;
  return SqlSplitter(text(), first_line_).Next(&st);
}

Status SqlScript::FromFile(const std::string& path, SqlScript* out) {
  auto text = std::make_shared<std::string>();
  REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, text.get()));
  *out = Share(std::move(text), path);
  return Status::OK();
}

}  // namespace rehearse
