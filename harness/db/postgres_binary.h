// Decoding of PostgreSQL's binary COPY format into Values (for
// Database::StreamTyped) or straight into their canonical encoding (for
// Database::StreamEncoded, which never builds a Value). Binary output skips the server's per-value
// text conversion (float and timestamp formatting dominate a text COPY), so a snapshot reads a
// table in about half the server time.
#ifndef REHEARSE_DB_POSTGRES_BINARY_H_
#define REHEARSE_DB_POSTGRES_BINARY_H_

#include <cstdint>
#include <string>
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

  // As Feed, but `on_row` receives each tuple as the concatenation of its
  // values' canonical encodings (value_encoding.h), byte for byte what
  // AppendCanonical would make of the Row that Feed hands over.
  template <typename OnEncodedRow>
  Status FeedEncoded(std::string_view message, OnEncodedRow&& on_row);

  bool finished() const { return finished_; }

 private:
  // Where a tuple's fields go: into row_ or into encoded_.
  struct RowFields;
  struct EncodedFields;

  // Consumes the file header from the front of the first message.
  Status SkipHeader(std::string_view* message);
  template <typename Fields>
  Status ParseTuple(std::string_view* in, bool* trailer);
  template <typename Fields, typename Emit>
  Status Parse(std::string_view message, Emit&& emit);

  std::vector<BinaryDecoding> columns_;
  Row row_;
  std::string encoded_;  // room for the largest tuple so far
  size_t encoded_size_ = 0;
  bool header_seen_ = false;
  bool finished_ = false;
};

template <typename Fields, typename Emit>
Status BinaryCopyParser::Parse(std::string_view message, Emit&& emit) {
  if (!header_seen_) REHEARSE_RETURN_IF_ERROR(SkipHeader(&message));
  while (!message.empty()) {
    bool trailer = false;
    REHEARSE_RETURN_IF_ERROR(ParseTuple<Fields>(&message, &trailer));
    if (trailer) {
      finished_ = true;
      return Status::OK();
    }
    REHEARSE_RETURN_IF_ERROR(emit());
  }
  return Status::OK();
}

template <typename OnRow>
Status BinaryCopyParser::Feed(std::string_view message, OnRow&& on_row) {
  return Parse<RowFields>(message, [&] { return on_row(row_); });
}

template <typename OnEncodedRow>
Status BinaryCopyParser::FeedEncoded(std::string_view message, OnEncodedRow&& on_row) {
  return Parse<EncodedFields>(
      message, [&] { return on_row(std::string_view(encoded_.data(), encoded_size_)); });
}

}  // namespace rehearse

#endif  // REHEARSE_DB_POSTGRES_BINARY_H_
