#include "harness/state/canonical_value.h"

#include <cstring>

namespace rehearse {

namespace {

void AppendFixed(uint64_t v, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

bool ReadFixed(std::string_view* in, int bytes, uint64_t* v) {
  if (in->size() < static_cast<size_t>(bytes)) return false;
  *v = 0;
  for (int i = 0; i < bytes; ++i) *v |= uint64_t(static_cast<unsigned char>((*in)[i])) << (8 * i);
  in->remove_prefix(bytes);
  return true;
}

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

void AppendCanonical(const Value& v, std::string* out) {
  out->push_back(static_cast<char>(v.type));
  switch (v.type) {
    case Value::Type::kNull:
      return;
    case Value::Type::kInteger:
      AppendFixed(static_cast<uint64_t>(v.integer), 8, out);
      return;
    case Value::Type::kReal: {
      uint64_t bits;
      std::memcpy(&bits, &v.real, sizeof bits);
      AppendFixed(bits, 8, out);
      return;
    }
    case Value::Type::kText:
    case Value::Type::kBlob:
      AppendFixed(v.bytes.size(), 4, out);
      out->append(v.bytes);
      return;
  }
}

bool ReadCanonical(std::string_view* in, Value* v) {
  if (in->empty()) return false;
  auto type = static_cast<Value::Type>((*in)[0]);
  in->remove_prefix(1);
  v->type = type;
  v->bytes.clear();
  uint64_t x;
  switch (type) {
    case Value::Type::kNull:
      return true;
    case Value::Type::kInteger:
      if (!ReadFixed(in, 8, &x)) return false;
      v->integer = static_cast<int64_t>(x);
      return true;
    case Value::Type::kReal:
      if (!ReadFixed(in, 8, &x)) return false;
      std::memcpy(&v->real, &x, sizeof x);
      return true;
    case Value::Type::kText:
    case Value::Type::kBlob:
      if (!ReadFixed(in, 4, &x) || in->size() < x) return false;
      v->bytes.assign(in->data(), x);
      in->remove_prefix(x);
      return true;
  }
  return false;
}

int CompareKey(const Value& a, const Value& b, KeyOrder order) {
  if (order == KeyOrder::kSqlite) return CompareSqlite(a, b);
  // PostgreSQL: ascending order puts NULL last.
  if (a.is_null() || b.is_null()) return int(a.is_null()) - int(b.is_null());
  if (order == KeyOrder::kPostgresInteger) return (a.integer > b.integer) - (a.integer < b.integer);
  return CompareBytes(a.bytes, b.bytes);
}

}  // namespace rehearse
