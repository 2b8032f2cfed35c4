#include "harness/db/value_encoding.h"

#include <cstring>

namespace rehearse {

namespace {

bool ReadFixed(std::string_view* in, int bytes, uint64_t* v) {
  if (in->size() < static_cast<size_t>(bytes)) return false;
  *v = 0;
  for (int i = 0; i < bytes; ++i) *v |= uint64_t(static_cast<unsigned char>((*in)[i])) << (8 * i);
  in->remove_prefix(bytes);
  return true;
}

}  // namespace

void AppendCanonical(const Value& v, std::string* out) {
  const bool bytes = v.type == Value::Type::kText || v.type == Value::Type::kBlob;
  const size_t at = out->size();
  out->resize(at + (bytes ? kCanonicalBytesHeader + v.bytes.size() : kCanonicalFixedSize));
  char* p = out->data() + at;
  switch (v.type) {
    case Value::Type::kNull:
      p = PutCanonicalNull(p);
      break;
    case Value::Type::kInteger:
      p = PutCanonicalInteger(v.integer, p);
      break;
    case Value::Type::kReal:
      p = PutCanonicalReal(v.real, p);
      break;
    case Value::Type::kText:
    case Value::Type::kBlob:
      p = PutCanonicalBytes(v.type, v.bytes, p);
      break;
  }
  out->resize(p - out->data());
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

}  // namespace rehearse
