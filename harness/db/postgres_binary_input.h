// Encoding of Values into PostgreSQL's binary COPY format, for
// Database::BulkLoad. Binary input spares the server its text parsing of
// every field (integers, floats, timestamps, the COPY line's escapes), which
// was a third of a text COPY's server time.
//
// A value is sent in binary only when its binary form certainly stores what
// its text form (copy_text.h) would: the same bits, after the same checks
// (typmod rounding, varchar length, jsonb parsing happen in the server's
// receive functions as in its input functions). Anything else — a type
// without an encoding here, text that is not in the one canonical form
// accepted below, a float4 — is left to the text format, so binary input
// never changes what a load stores.
#ifndef REHEARSE_DB_POSTGRES_BINARY_INPUT_H_
#define REHEARSE_DB_POSTGRES_BINARY_INPUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness/db/value.h"

namespace rehearse {

// How one column is written; chosen from its type oid.
enum class BinaryEncoding : uint8_t {
  kText,         // text, varchar, bpchar, json: any value, as its ToText() bytes
  kJsonb,        // version byte 1, then the text
  kBool,         // kText "t"/"f" or kInteger 0/1
  kInt2,         // kInteger in range
  kInt4,         // kInteger in range
  kInt8,         // kInteger
  kFloat8,       // kReal (any NaN as the one PostgreSQL's input makes)
  kTimestamp,    // kText 'YYYY-MM-DD HH:MM:SS[.f{1,6}]', optionally '+00'
  kTimestamptz,  // the same with '+00' required
  kDate,         // kText 'YYYY-MM-DD'
  kBytea,        // kBlob
};

// The encoding for a type oid, or false when the type has none (the table is
// then loaded in text).
bool BinaryEncodingFor(uint32_t type_oid, BinaryEncoding* out);

// The signature, flags and header extension that open a binary COPY stream.
void AppendBinaryCopyHeader(std::string* out);

// Appends `row` (one value per entry of `columns`) as one tuple and returns
// true; or, when some value has no certain binary form, appends nothing and
// returns false.
bool AppendBinaryCopyTuple(const Row& row, const std::vector<BinaryEncoding>& columns,
                           std::string* out);

// The end-of-data marker.
void AppendBinaryCopyTrailer(std::string* out);

}  // namespace rehearse

#endif  // REHEARSE_DB_POSTGRES_BINARY_INPUT_H_
