// SqlScript: the text of a .sql file split into statements, each with the
// line it starts on, so an error can name file:line and the statement.
//
// The splitter understands what can hide a ';': single-quoted strings (with ''
// and, for E'', backslash escapes), double-quoted identifiers, -- and nested
// /* */ comments, PostgreSQL dollar quoting ($$ and $tag$), and SQLite trigger
// bodies (CREATE TRIGGER ... BEGIN ... END;). Empty statements are dropped.
//
// Memory: a migration's SQL comes from a pull request and may be tens of
// megabytes, so a script never holds its statements. It holds the text once
// (shared with the Migration it came from, which copies freely) and
// SqlSplitter finds one statement at a time, as a view into that text: running
// a script costs the file plus the statement being run. statements() makes
// the whole list, for small scripts and tests.
#ifndef REHEARSE_DB_SQL_SCRIPT_H_
#define REHEARSE_DB_SQL_SCRIPT_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

struct SqlStatement {
  std::string text;  // without the terminating ';'
  int line = 1;      // 1-based line of the statement's first token
};

// A statement as found in the text it was split from, valid while that is.
struct SqlStatementView {
  std::string_view text;  // trimmed, without the terminating ';'
  int line = 1;
};

// Splits `text` lazily, one statement per Next(). Linear in the text: every
// byte is looked at a bounded number of times.
class SqlSplitter {
 public:
  // `first_line`: the line `text` starts on in its file (a section of one).
  explicit SqlSplitter(std::string_view text, int first_line = 1)
      : text_(text), line_(first_line) {}
  // Sets *out to the next non-empty statement; false when there is none.
  bool Next(SqlStatementView* out);

 private:
  std::string_view text_;
  size_t pos_ = 0;  // where the next statement's search starts
  int line_ = 1;    // the line at pos_
  bool done_ = false;
};

class SqlScript {
 public:
  SqlScript() = default;
  // `origin` names the source for error messages (a path, or "<inline>").
  // `first_line` is the line `text` starts on in its file, for a section of a
  // file (goose's and dbmate's up and down share one file). Copies `text`
  // once.
  static SqlScript Parse(std::string_view text, std::string origin = "<inline>",
                         int first_line = 1);
  // Shares `text` instead of copying it (a Migration's file).
  static SqlScript Share(std::shared_ptr<const std::string> text, std::string origin,
                         int first_line = 1);
  // Statements a layout split itself (goose's StatementBegin/StatementEnd).
  static SqlScript FromStatements(std::vector<SqlStatement> statements, std::string origin);
  // Reads (ReadInputFile: a regular file of at most kMaxInputFileBytes) and
  // parses a file; one that cannot be read is kInvalidInput naming it.
  static Status FromFile(const std::string& path, SqlScript* out);

  const std::string& origin() const { return origin_; }
  std::string_view text() const { return text_ ? std::string_view(*text_) : std::string_view(); }

  // Calls `fn` on each statement in order, and stops at the first that does
  // not return OK, returning its status.
  Status ForEach(const std::function<Status(const SqlStatementView&)>& fn) const;
  // Every statement, copied out.
  std::vector<SqlStatement> statements() const;
  // Whether it holds any statement (not only comments and whitespace).
  bool HasStatements() const;

 private:
  std::string origin_;
  std::shared_ptr<const std::string> text_;
  int first_line_ = 1;
  // FromStatements: what runs, instead of splitting text_.
  std::shared_ptr<const std::vector<SqlStatement>> split_;
};

}  // namespace rehearse

#endif  // REHEARSE_DB_SQL_SCRIPT_H_
