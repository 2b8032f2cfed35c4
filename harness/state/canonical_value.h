// The canonical, type-tagged byte encoding of one field, and the key order
// used to line up rows of two snapshots.
//
// Encoding: one tag byte (the Value's storage class), then for integers and
// reals 8 bytes little-endian (reals by their exact bit pattern, so -0.0, NaN
// payloads and the last mantissa bit all differ), for text and blobs a 4-byte
// length and the bytes. NULL is the tag alone, so NULL never equals ''.
// PostgreSQL values are text under fixed session settings; their type is part
// of the catalog, which is hashed with them.
#ifndef REHEARSE_STATE_CANONICAL_VALUE_H_
#define REHEARSE_STATE_CANONICAL_VALUE_H_

#include <string>
#include <string_view>

#include "harness/db/database.h"
#include "harness/db/value.h"

namespace rehearse {

// Appends the encoding of `v` to *out.
void AppendCanonical(const Value& v, std::string* out);

// Decodes one value from the front of *in, advancing it. Returns false on
// malformed input.
bool ReadCanonical(std::string_view* in, Value* v);

// How a key column's values are ordered by the ORDER BY that Snapshot issues,
// so that a merge of two row streams agrees with the database's own order.
enum class KeyOrder {
  kBytes,            // PostgreSQL: text compared byte-wise (COLLATE "C" / ::text)
  kPostgresInteger,  // PostgreSQL: integer types, text holding a decimal integer
  kSqlite,           // SQLite: NULL < numbers < text < blob, BINARY collation
};

// Three-way comparison of two values of one key column. PostgreSQL sorts NULL
// last, SQLite first; both are honoured.
int CompareKey(const Value& a, const Value& b, KeyOrder order);

}  // namespace rehearse

#endif  // REHEARSE_STATE_CANONICAL_VALUE_H_
