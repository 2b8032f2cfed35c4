#include "harness/db/postgres_binary.h"

#include <cstring>
#include <string>

#include "harness/db/value_encoding.h"

namespace rehearse {

namespace {

uint64_t BigEndian(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

// The fixed widths, which every field and tuple header has, unrolled.
uint32_t BigEndian32(const char* p) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  return (uint32_t(u[0]) << 24) | (uint32_t(u[1]) << 16) | (uint32_t(u[2]) << 8) | u[3];
}

uint64_t BigEndian64(const char* p) {
  return (uint64_t(BigEndian32(p)) << 32) | BigEndian32(p + 4);
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

// Fields into row_: each Value overwritten in place, so text keeps its capacity.
struct BinaryCopyParser::RowFields {
  RowFields(BinaryCopyParser* p, size_t columns, size_t) : row(&p->row_) { row->resize(columns); }
  void Finish() {}
  void Null(size_t i) { (*row)[i].type = Value::Type::kNull; }
  void Integer(size_t i, int64_t v) {
    (*row)[i].type = Value::Type::kInteger;
    (*row)[i].integer = v;
  }
  void Real(size_t i, double v) {
    (*row)[i].type = Value::Type::kReal;
    (*row)[i].real = v;
  }
  void Bytes(size_t i, Value::Type type, std::string_view bytes) {
    (*row)[i].type = type;
    (*row)[i].bytes.assign(bytes.data(), bytes.size());
  }
  Row* row;
};

// Fields into encoded_, in the order they come. Room for the whole tuple is
// made once: no field's encoding is more than 5 bytes longer than its wire
// form (a 4-byte length and at least one byte, or -1 for NULL).
struct BinaryCopyParser::EncodedFields {
  EncodedFields(BinaryCopyParser* p, size_t columns, size_t wire_bytes) : parser(p), end(nullptr) {
    const size_t room = wire_bytes + 5 * columns;
    if (p->encoded_.size() < room) p->encoded_.resize(room);
    end = p->encoded_.data();
  }
  void Finish() { parser->encoded_size_ = end - parser->encoded_.data(); }
  void Null(size_t) { end = PutCanonicalNull(end); }
  void Integer(size_t, int64_t v) { end = PutCanonicalInteger(v, end); }
  void Real(size_t, double v) { end = PutCanonicalReal(v, end); }
  void Bytes(size_t, Value::Type type, std::string_view bytes) {
    end = PutCanonicalBytes(type, bytes, end);
  }
  BinaryCopyParser* parser;
  char* end;
};

Status BinaryCopyParser::SkipHeader(std::string_view* message) {
  static constexpr std::string_view kSignature("PGCOPY\n\377\r\n\0", 11);
  if (message->size() < 19 || message->substr(0, 11) != kSignature)
    return Status::Corruption("binary COPY stream has no PGCOPY header");
  uint32_t ext = BigEndian32(message->data() + 15);
  if (message->size() < 19 + ext) return Status::Corruption("binary COPY header is truncated");
  message->remove_prefix(19 + ext);
  header_seen_ = true;
  return Status::OK();
}

template <typename Fields>
Status BinaryCopyParser::ParseTuple(std::string_view* in, bool* trailer) {
  if (in->size() < 2) return Status::Corruption("binary COPY tuple is truncated");
  int16_t count = static_cast<int16_t>(BigEndian(in->data(), 2));
  in->remove_prefix(2);
  if (count == -1) {
    *trailer = true;
    return Status::OK();
  }
  if (count != static_cast<int16_t>(columns_.size()))
    return Status::Corruption("binary COPY tuple has " + std::to_string(count) + " fields, " +
                              std::to_string(columns_.size()) + " expected");
  Fields fields(this, columns_.size(), in->size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (in->size() < 4) return Status::Corruption("binary COPY field is truncated");
    int32_t len = static_cast<int32_t>(BigEndian32(in->data()));
    in->remove_prefix(4);
    if (len < 0) {
      fields.Null(i);
      continue;
    }
    if (in->size() < static_cast<size_t>(len))
      return Status::Corruption("binary COPY value is truncated");
    const char* p = in->data();
    switch (columns_[i]) {
      case BinaryDecoding::kText:
        fields.Bytes(i, Value::Type::kText, std::string_view(p, len));
        break;
      case BinaryDecoding::kJsonb:
        fields.Bytes(i, Value::Type::kText,
                     len > 0 ? std::string_view(p + 1, len - 1) : std::string_view());
        break;
      case BinaryDecoding::kBytes:
        fields.Bytes(i, Value::Type::kBlob, std::string_view(p, len));
        break;
      case BinaryDecoding::kBool:
        fields.Integer(i, len > 0 && p[0] != 0);
        break;
      case BinaryDecoding::kInt:
        // Sign-extend from the field's width (2, 4 or 8 bytes).
        fields.Integer(i,
                       static_cast<int64_t>(BigEndian(p, len) << (64 - 8 * len)) >> (64 - 8 * len));
        break;
      case BinaryDecoding::kInt64:
        fields.Integer(i, static_cast<int64_t>(BigEndian64(p)));
        break;
      case BinaryDecoding::kInt32:
        fields.Integer(i, static_cast<int32_t>(BigEndian32(p)));
        break;
      case BinaryDecoding::kFloat4: {
        uint32_t bits = BigEndian32(p);
        float f;
        std::memcpy(&f, &bits, 4);
        fields.Real(i, f);
        break;
      }
      case BinaryDecoding::kFloat8: {
        uint64_t bits = BigEndian64(p);
        double d;
        std::memcpy(&d, &bits, 8);
        fields.Real(i, d);
        break;
      }
    }
    in->remove_prefix(len);
  }
  fields.Finish();
  return Status::OK();
}

// The two ways Feed and FeedEncoded use it.
template Status BinaryCopyParser::ParseTuple<BinaryCopyParser::RowFields>(std::string_view*, bool*);
template Status BinaryCopyParser::ParseTuple<BinaryCopyParser::EncodedFields>(std::string_view*,
                                                                              bool*);

}  // namespace rehearse
