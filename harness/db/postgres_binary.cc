#include "harness/db/postgres_binary.h"

#include <cstring>

namespace rehearse {

namespace {

uint64_t BigEndian(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

}  // namespace

bool BinaryDecodingFor(uint32_t oid, BinaryDecoding* out) {
  switch (oid) {
    case 16:  // bool
      *out = BinaryDecoding::kBool;
      return true;
    case 20:  // int8
    case 21:  // int2
    case 23:  // int4
    case 26:  // oid
      *out = BinaryDecoding::kInt;
      return true;
    case 700:
      *out = BinaryDecoding::kFloat4;
      return true;
    case 701:
      *out = BinaryDecoding::kFloat8;
      return true;
    case 1114:  // timestamp
    case 1184:  // timestamptz
      *out = BinaryDecoding::kInt64;
      return true;
    case 1082:  // date
      *out = BinaryDecoding::kInt32;
      return true;
    case 17:    // bytea
    case 2950:  // uuid
      *out = BinaryDecoding::kBytes;
      return true;
    case 3802:
      *out = BinaryDecoding::kJsonb;
      return true;
    case 18:    // "char"
    case 19:    // name
    case 25:    // text
    case 114:   // json
    case 1042:  // bpchar
    case 1043:  // varchar
      *out = BinaryDecoding::kText;
      return true;
    default:
      return false;
  }
}

Status BinaryCopyParser::DecodeTuple(std::string_view* in, bool* trailer) {
  if (in->size() < 2) return Status::Corruption("binary COPY tuple is truncated");
  int16_t fields = static_cast<int16_t>(BigEndian(in->data(), 2));
  in->remove_prefix(2);
  if (fields == -1) {
    *trailer = true;
    return Status::OK();
  }
  if (fields != static_cast<int16_t>(columns_.size()))
    return Status::Corruption("binary COPY tuple has " + std::to_string(fields) + " fields, " +
                              std::to_string(columns_.size()) + " expected");
  row_.resize(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (in->size() < 4) return Status::Corruption("binary COPY field is truncated");
    int32_t len = static_cast<int32_t>(BigEndian(in->data(), 4));
    in->remove_prefix(4);
    Value& v = row_[i];
    if (len < 0) {
      v.type = Value::Type::kNull;
      continue;
    }
    if (in->size() < static_cast<size_t>(len))
      return Status::Corruption("binary COPY value is truncated");
    const char* p = in->data();
    switch (columns_[i]) {
      case BinaryDecoding::kText:
        v.type = Value::Type::kText;
        v.bytes.assign(p, len);
        break;
      case BinaryDecoding::kJsonb:
        v.type = Value::Type::kText;
        v.bytes.assign(len > 0 ? p + 1 : p, len > 0 ? len - 1 : 0);
        break;
      case BinaryDecoding::kBytes:
        v.type = Value::Type::kBlob;
        v.bytes.assign(p, len);
        break;
      case BinaryDecoding::kBool:
        v.type = Value::Type::kInteger;
        v.integer = len > 0 && p[0] != 0;
        break;
      case BinaryDecoding::kInt:
        v.type = Value::Type::kInteger;
        // Sign-extend from the field's width (2, 4 or 8 bytes).
        v.integer = static_cast<int64_t>(BigEndian(p, len) << (64 - 8 * len)) >> (64 - 8 * len);
        break;
      case BinaryDecoding::kInt64:
        v.type = Value::Type::kInteger;
        v.integer = static_cast<int64_t>(BigEndian(p, 8));
        break;
      case BinaryDecoding::kInt32:
        v.type = Value::Type::kInteger;
        v.integer = static_cast<int32_t>(BigEndian(p, 4));
        break;
      case BinaryDecoding::kFloat4: {
        uint32_t bits = static_cast<uint32_t>(BigEndian(p, 4));
        float f;
        std::memcpy(&f, &bits, 4);
        v.type = Value::Type::kReal;
        v.real = f;
        break;
      }
      case BinaryDecoding::kFloat8: {
        uint64_t bits = BigEndian(p, 8);
        v.type = Value::Type::kReal;
        std::memcpy(&v.real, &bits, 8);
        break;
      }
    }
    in->remove_prefix(len);
  }
  return Status::OK();
}

}  // namespace rehearse
