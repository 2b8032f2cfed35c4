#include "harness/db/database.h"

#include "harness/db/value_encoding.h"

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

Status Database::ExecuteScript(const SqlScript& script) {
  return script.ForEach([&](const SqlStatementView& st) {
    Status s = Execute(st.text, {}, nullptr);
    if (!s.ok()) s.At(script.origin(), st.line).WithStatement(std::string(st.text));
    return s;
  });
}

Status Database::JoinOrOwnTransaction(const std::function<Status()>& work) {
  if (in_transaction()) return work();
  REHEARSE_RETURN_IF_ERROR(Begin());
  Status s = work();
  if (!s.ok()) {
    Rollback();
    return s;
  }
  return Commit();
}

Status Database::StreamEncoded(std::string_view query, const EncodedRowSink& sink) {
  std::string encoded;
  return StreamTyped(query, [&](const Row& row) {
    encoded.clear();
    for (const Value& v : row) AppendCanonical(v, &encoded);
    return sink(encoded);
  });
}

}  // namespace rehearse
