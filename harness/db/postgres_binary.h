// Decoding of PostgreSQL's binary COPY format into Values, for
// Database::StreamTyped. Binary output skips the server's per-value text
// conversion (float and timestamp formatting dominate a text COPY), so a
// snapshot reads a table in about half the server time.
#ifndef REHEARSE_DB_POSTGRES_BINARY_H_
#define REHEARSE_DB_POSTGRES_BINARY_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/value.h"

namespace rehearse {

// How one result column is decoded; chosen from its type oid.
enum class BinaryDecoding : uint8_t {
  kText,    // bytes as they are (text types, json, and anything cast ::text)
  kJsonb,   // a version byte, then text
  kBool,    // -> kInteger 0/1
  kInt,     // int2/int4/int8/oid, big-endian -> kInteger
  kFloat4,  // -> kReal
  kFloat8,  // -> kReal
  kInt64,   // timestamp/timestamptz microseconds -> kInteger
  kInt32,   // date days -> kInteger
  kBytes,   // uuid, bytea -> kBlob
};

// The decoding for a type oid, or false when the type has none and must be
// selected as ::text.
bool BinaryDecodingFor(uint32_t type_oid, BinaryDecoding* out);

// Parses the CopyData messages of one binary COPY in order. Each message
// holds whole tuples (the first also the file header, the last the trailer).
class BinaryCopyParser {
 public:
  explicit BinaryCopyParser(std::vector<BinaryDecoding> columns) : columns_(std::move(columns)) {}

  // Decodes the tuples in `message`, calling `on_row` for each. Stops at the
  // first non-OK status from `on_row`; malformed input is kCorruption.
  template <typename OnRow>
  Status Feed(std::string_view message, OnRow&& on_row);

  bool finished() const { return finished_; }

 private:
  Status DecodeTuple(std::string_view* in, bool* trailer);

  std::vector<BinaryDecoding> columns_;
  Row row_;
  bool header_seen_ = false;
  bool finished_ = false;
};

template <typename OnRow>
Status BinaryCopyParser::Feed(std::string_view message, OnRow&& on_row) {
  if (!header_seen_) {
    static constexpr std::string_view kSignature("PGCOPY\n\377\r\n\0", 11);
    if (message.size() < 19 || message.substr(0, 11) != kSignature)
      return Status::Corruption("binary COPY stream has no PGCOPY header");
    uint32_t ext = (uint8_t(message[15]) << 24) | (uint8_t(message[16]) << 16) |
                   (uint8_t(message[17]) << 8) | uint8_t(message[18]);
    if (message.size() < 19 + ext) return Status::Corruption("binary COPY header is truncated");
    message.remove_prefix(19 + ext);
    header_seen_ = true;
  }
  while (!message.empty()) {
    bool trailer = false;
    REHEARSE_RETURN_IF_ERROR(DecodeTuple(&message, &trailer));
    if (trailer) {
      finished_ = true;
      return Status::OK();
    }
    REHEARSE_RETURN_IF_ERROR(on_row(row_));
  }
  return Status::OK();
}

}  // namespace rehearse

#endif  // REHEARSE_DB_POSTGRES_BINARY_H_
