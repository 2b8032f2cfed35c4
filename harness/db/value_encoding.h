// The canonical, type-tagged byte encoding of a Value: what snapshot digests
// hash and row archives store.
//
// Encoding: one tag byte (the Value's storage class), then for integers and
// reals 8 bytes little-endian (reals by their exact bit pattern, so -0.0, NaN
// payloads and the last mantissa bit all differ), for text and blobs a 4-byte
// length and the bytes. NULL is the tag alone, so NULL never equals ''. A
// PostgreSQL column's type is part of the catalog, which is hashed with it.
//
// The per-class writers exist so that a decoder can encode fields straight
// from a wire format without building Values first; AppendCanonical is
// defined by them, so there is one encoding. They are inline because a
// snapshot runs them for every field of every row it reads.
#ifndef REHEARSE_DB_VALUE_ENCODING_H_
#define REHEARSE_DB_VALUE_ENCODING_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "harness/db/value.h"

namespace rehearse {

// Appends the encoding of `v` to *out.
void AppendCanonical(const Value& v, std::string* out);

// Each writes one field's encoding at `out`, which must have room for it
// (kCanonicalFixedSize, or kCanonicalBytesHeader plus the bytes), and returns
// the end of what it wrote.
constexpr size_t kCanonicalFixedSize = 9;    // tag + 8 bytes
constexpr size_t kCanonicalBytesHeader = 5;  // tag + 4-byte length
char* PutCanonicalNull(char* out);
char* PutCanonicalInteger(int64_t v, char* out);
char* PutCanonicalReal(double v, char* out);
// `type` is Value::Type::kText or kBlob.
char* PutCanonicalBytes(Value::Type type, std::string_view bytes, char* out);

// Decodes one value from the front of *in, advancing it. Returns false on
// malformed input.
bool ReadCanonical(std::string_view* in, Value* v);

namespace encoding_internal {
// Little-endian whatever the host: the encoding is the same everywhere.
inline char* StoreFixed(uint64_t v, int bytes, char* out) {
  for (int i = 0; i < bytes; ++i) out[i] = static_cast<char>(v >> (8 * i));
  return out + bytes;
}
}  // namespace encoding_internal

inline char* PutCanonicalNull(char* out) {
  *out = static_cast<char>(Value::Type::kNull);
  return out + 1;
}

inline char* PutCanonicalInteger(int64_t v, char* out) {
  *out = static_cast<char>(Value::Type::kInteger);
  return encoding_internal::StoreFixed(static_cast<uint64_t>(v), 8, out + 1);
}

inline char* PutCanonicalReal(double v, char* out) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  *out = static_cast<char>(Value::Type::kReal);
  return encoding_internal::StoreFixed(bits, 8, out + 1);
}

inline char* PutCanonicalBytes(Value::Type type, std::string_view bytes, char* out) {
  *out = static_cast<char>(type);
  out = encoding_internal::StoreFixed(bytes.size(), 4, out + 1);
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return out + bytes.size();
}

}  // namespace rehearse

#endif  // REHEARSE_DB_VALUE_ENCODING_H_
