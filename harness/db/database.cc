#include "harness/db/database.h"

namespace rehearse {

const char* DialectName(Dialect d) { return d == Dialect::kPostgres ? "postgres" : "sqlite"; }

std::string Database::QuoteIdentifier(std::string_view name) {
  // Both dialects quote identifiers the same way: double quotes, doubled inside.
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace rehearse
