// How a snapshot value is shown to a person in a diff: in the form the
// column's engine would print it, so a report reads like a query result.
// PostgreSQL values arrive typed from a binary COPY (timestamps as
// microseconds, booleans as 0/1), so the column's type decides the form.
#ifndef REHEARSE_STATE_VALUE_DISPLAY_H_
#define REHEARSE_STATE_VALUE_DISPLAY_H_

#include <string>

#include "harness/db/database.h"
#include "harness/db/value.h"

namespace rehearse {

// `type` is the column's PostgreSQL type name (pg_type.typname) or, on
// SQLite, its declared type (ignored: SQLite values carry their class).
std::string DisplayValue(const Value& v, Dialect dialect, const std::string& type);

}  // namespace rehearse

#endif  // REHEARSE_STATE_VALUE_DISPLAY_H_
