#include "verifiers/applies_with_data.h"

#include <cctype>
#include <regex>

namespace rehearse {

namespace {

// The text after `label` up to the end of its line ("" when absent).
std::string LineAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) return "";
  const size_t from = at + label.size();
  std::string out = text.substr(from, text.find('\n', from) - from);
  while (!out.empty() &&
         (out.back() == '.' || std::isspace(static_cast<unsigned char>(out.back()))))
    out.pop_back();
  return out;
}

// The first "quoted" name after `before` in the message ("" when absent).
std::string QuotedAfter(const std::string& text, const std::string& before) {
  const size_t at = text.find(before + " \"");
  if (at == std::string::npos) return "";
  const size_t from = at + before.size() + 2;
  const size_t end = text.find('"', from);
  return end == std::string::npos ? "" : text.substr(from, end - from);
}

// The table a statement works on or reads: ALTER TABLE t, CREATE … INDEX …
// ON t, UPDATE t, INSERT INTO t, … FROM t (the first of them).
std::string TableOfStatement(const std::string& statement) {
  static const std::regex kTable(
      R"((?:ALTER\s+TABLE|\bON|\bUPDATE|INSERT\s+INTO|\bFROM)\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?("[^"]+"|[\w.]+))",
      std::regex::icase);
  std::smatch m;
  if (!std::regex_search(statement, m, kTable)) return "";
  std::string t = m[1].str();
  if (t.size() > 1 && t.front() == '"') t = t.substr(1, t.size() - 2);
  return t;
}

// "Key (a, b)=(1, x) is duplicated" -> columns "(a, b)", values "(1, x)".
bool SplitKey(const std::string& detail, std::string* columns, std::string* values) {
  static const std::regex kKey(R"(Key (\(.*?\))=(\(.*\)))");
  std::smatch m;
  if (!std::regex_search(detail, m, kKey)) return false;
  *columns = m[1].str();
  *values = m[2].str();
  for (const char* tail : {" is duplicated", " already exists", " is not present in table"}) {
    const size_t at = values->rfind(tail);
    if (at != std::string::npos) *values = values->substr(0, at);
  }
  return true;
}

// "t.a, t.b" (SQLite's constraint message) -> table "t", columns "(a, b)".
void SqliteColumns(const std::string& list, std::string* table, std::string* columns) {
  std::string cols;
  size_t from = 0;
  while (from < list.size()) {
    size_t comma = list.find(", ", from);
    std::string item =
        list.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    const size_t dot = item.find('.');
    if (dot != std::string::npos) {
      *table = item.substr(0, dot);
      item = item.substr(dot + 1);
    }
    cols += (cols.empty() ? "" : ", ") + item;
    if (comma == std::string::npos) break;
    from = comma + 2;
  }
  *columns = "(" + cols + ")";
}

// One line of the statement, shortened, for the detail.
std::string ShortStatement(const std::string& statement) {
  std::string out;
  for (char c : statement) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  constexpr size_t kMax = 160;
  if (out.size() > kMax) out = out.substr(0, kMax) + " …";
  return out;
}

}  // namespace

std::string DescribeDataFailure(const Status& failure) {
  const std::string& msg = failure.message();
  const std::string& state = failure.sqlstate();
  const std::string detail = LineAfter(msg, "DETAIL:  ");
  std::string table = QuotedAfter(msg, "relation");
  if (table.empty()) table = QuotedAfter(msg, "table");
  if (table.empty()) table = TableOfStatement(failure.statement());
  const std::string where = table.empty() ? "the table" : table;
  std::string columns, values;
  const bool key = SplitKey(detail, &columns, &values);

  if (state == "23505" && key && detail.find("is duplicated") != std::string::npos)
    return where + " holds duplicate " + columns + ", e.g. " + values;
  if (state == "23505" && key)
    return where + " already holds " + columns + "=" + values + ", which this statement writes too";
  if (state == "23502") {
    const std::string column = QuotedAfter(msg, "column");
    // ADD COLUMN … NOT NULL without a default: every existing row would hold
    // NULL there, so any row at all is the offending one.
    std::string literal;  // the column's name, its regex metacharacters escaped
    for (char c : column)
      literal += (std::string("^$\\.*+?()[]{}|/").find(c) == std::string::npos ? "" : "\\") +
                 std::string(1, c);
    const std::regex added(R"(ADD\s+(COLUMN\s+)?(IF\s+NOT\s+EXISTS\s+)?"?)" + literal + R"("?\s)",
                           std::regex::icase);
    if (!column.empty() && std::regex_search(failure.statement(), added))
      return where + " holds any row: the NOT NULL column " + column +
             " it adds has no default to fill them with";
    return where + " holds NULL in " + (column.empty() ? "a column" : column);
  }
  if (state == "23514") {
    const std::string check = QuotedAfter(msg, "constraint");
    return where + " holds rows that violate CHECK " + check +
           (detail.empty() ? "" : " (" + detail + ")");
  }
  if (state == "23503" && key) {
    return where + " holds " + columns + "=" + values + ", which is not present in " +
           QuotedAfter(detail, "table");
  }
  // SQLite names constraints in the message, without a SQLSTATE.
  for (const char* kind : {"UNIQUE", "NOT NULL"}) {
    const std::string label = std::string(kind) + " constraint failed: ";
    const std::string list = LineAfter(msg, label);
    if (list.empty()) continue;
    std::string t = table, cols;
    SqliteColumns(list, &t, &cols);
    return (t.empty() ? where : t) +
           (std::string(kind) == "UNIQUE" ? " holds duplicate " + cols : " holds NULL in " + cols);
  }
  const std::string check = LineAfter(msg, "CHECK constraint failed: ");
  if (!check.empty()) return where + " holds rows that violate CHECK " + check;
  if (msg.find("FOREIGN KEY constraint failed") != std::string::npos)
    return where + " holds rows whose foreign key has no parent row";
  std::string first = msg.substr(0, msg.find('\n'));
  if (first.rfind("ERROR:  ", 0) == 0) first = first.substr(8);
  return where + " holds values it cannot take: " + first +
         (state.empty() ? "" : " (SQLSTATE " + state + ")") +
         (detail.empty() ? "" : " (" + detail + ")");
}

CheckResult AppliesWithData(const char* step, const Status& failure, bool strict,
                            const std::string& then) {
  std::string where;
  if (!failure.file().empty())
    where =
        failure.file() + (failure.line() > 0 ? ":" + std::to_string(failure.line()) : "") + ": ";
  const std::string statement = ShortStatement(failure.statement());
  std::string detail = std::string(step) + ": " + where +
                       (statement.empty() ? "the migration" : statement) + " fails when " +
                       DescribeDataFailure(failure) +
                       "; production must hold none before this runs (it applies to the same "
                       "database without the generated rows, " +
                       then + ")";
  return strict ? CheckResult::Fail("applies_with_data", detail)
                : CheckResult::Warn("applies_with_data", detail);
}

}  // namespace rehearse
