// The key order used to line up rows of two snapshots. (The encoding of the
// rows themselves is harness/db/value_encoding.h.)
#ifndef REHEARSE_STATE_KEY_ORDER_H_
#define REHEARSE_STATE_KEY_ORDER_H_

#include <string>

#include "harness/db/database.h"
#include "harness/db/value.h"

namespace rehearse {

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

#endif  // REHEARSE_STATE_KEY_ORDER_H_
