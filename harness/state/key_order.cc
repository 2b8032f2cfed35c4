#include "harness/state/key_order.h"

#include <cstring>

namespace rehearse {

namespace {

int Sign(int x) { return (x > 0) - (x < 0); }

int CompareBytes(const std::string& a, const std::string& b) {
  size_t n = std::min(a.size(), b.size());
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return Sign(c);
  return (a.size() > b.size()) - (a.size() < b.size());
}

int CompareSqlite(const Value& a, const Value& b) {
  auto rank = [](const Value& v) {
    switch (v.type) {
      case Value::Type::kNull:
        return 0;
      case Value::Type::kInteger:
      case Value::Type::kReal:
        return 1;
      case Value::Type::kText:
        return 2;
      case Value::Type::kBlob:
        return 3;
    }
    return 0;
  };
  int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) return 0;
  if (ra == 1) {
    if (a.type == Value::Type::kInteger && b.type == Value::Type::kInteger)
      return (a.integer > b.integer) - (a.integer < b.integer);
    double x = a.type == Value::Type::kInteger ? double(a.integer) : a.real;
    double y = b.type == Value::Type::kInteger ? double(b.integer) : b.real;
    return (x > y) - (x < y);
  }
  return CompareBytes(a.bytes, b.bytes);
}

}  // namespace

int CompareKey(const Value& a, const Value& b, KeyOrder order) {
  if (order == KeyOrder::kSqlite) return CompareSqlite(a, b);
  // PostgreSQL: ascending order puts NULL last.
  if (a.is_null() || b.is_null()) return int(a.is_null()) - int(b.is_null());
  if (order == KeyOrder::kPostgresInteger) return (a.integer > b.integer) - (a.integer < b.integer);
  return CompareBytes(a.bytes, b.bytes);
}

}  // namespace rehearse
