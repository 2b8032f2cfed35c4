// Value: one field as a database hands it over, tagged with its storage class.
//
// SQLite values keep the class SQLite stored (`1`, `1.0` and `'1'` are three
// different Values). PostgreSQL values arrive as their text output under the
// session settings PostgresDatabase fixes (ISO dates, UTC, shortest-exact
// floats, hex bytea), so they are kText or kNull; the column's type lives in the
// catalog, not in the Value.
#ifndef REHEARSE_DB_VALUE_H_
#define REHEARSE_DB_VALUE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace rehearse {

struct Value {
  enum class Type : uint8_t { kNull = 0, kInteger = 1, kReal = 2, kText = 3, kBlob = 4 };

  Type type = Type::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string bytes;  // text or blob content

  static Value Null() { return {}; }
  static Value Integer(int64_t v) {
    Value x;
    x.type = Type::kInteger;
    x.integer = v;
    return x;
  }
  static Value Real(double v) {
    Value x;
    x.type = Type::kReal;
    x.real = v;
    return x;
  }
  static Value Text(std::string v) {
    Value x;
    x.type = Type::kText;
    x.bytes = std::move(v);
    return x;
  }
  static Value Blob(std::string v) {
    Value x;
    x.type = Type::kBlob;
    x.bytes = std::move(v);
    return x;
  }

  bool is_null() const { return type == Type::kNull; }

  // The value as SQL text would show it: integers in decimal, reals in their
  // shortest exact form ("-0", "nan", "inf" kept distinct), blobs as \x-hex.
  // Used for PostgreSQL parameters and for humans; not for comparison.
  std::string ToText() const;

  // For reports: NULL, 'quoted text' with control characters escaped, x'blob',
  // integers bare and reals always with a point or exponent (1 vs 1.0).
  std::string ToDisplay() const;

  // Exact equality: same class and same bytes (reals compared by bit pattern).
  bool operator==(const Value& other) const;
};

using Row = std::vector<Value>;

}  // namespace rehearse

#endif  // REHEARSE_DB_VALUE_H_
