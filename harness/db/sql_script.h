// SqlScript: the text of a .sql file split into statements, each with the
// line it starts on, so an error can name file:line and the statement.
//
// The splitter understands what can hide a ';': single-quoted strings (with ''
// and, for E'', backslash escapes), double-quoted identifiers, -- and nested
// /* */ comments, PostgreSQL dollar quoting ($$ and $tag$), and SQLite trigger
// bodies (CREATE TRIGGER ... BEGIN ... END;). Empty statements are dropped.
#ifndef REHEARSE_DB_SQL_SCRIPT_H_
#define REHEARSE_DB_SQL_SCRIPT_H_

#include <string>
#include <string_view>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

struct SqlStatement {
  std::string text;  // without the terminating ';'
  int line = 1;      // 1-based line of the statement's first token
};

class SqlScript {
 public:
  // `origin` names the source for error messages (a path, or "<inline>").
  // `first_line` is the line `text` starts on in its file, for a section of a
  // file (goose's and dbmate's up and down share one file).
  static SqlScript Parse(std::string_view text, std::string origin = "<inline>",
                         int first_line = 1);
  // Statements a layout split itself (goose's StatementBegin/StatementEnd).
  static SqlScript FromStatements(std::vector<SqlStatement> statements, std::string origin);
  // Reads and parses a file; a missing or unreadable file is kIoError naming it.
  static Status FromFile(const std::string& path, SqlScript* out);

  const std::string& origin() const { return origin_; }
  const std::vector<SqlStatement>& statements() const { return statements_; }

 private:
  std::string origin_;
  std::vector<SqlStatement> statements_;
};

}  // namespace rehearse

#endif  // REHEARSE_DB_SQL_SCRIPT_H_
