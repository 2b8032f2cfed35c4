// LogicalDigest: a snapshot's content with the engine's spelling taken out,
// so the same migrations on PostgreSQL and SQLite can be compared
// (dialect_parity). Per table: the live column names in order, and the
// multiset of rows with each value in a dialect-neutral form — PostgreSQL
// timestamps and dates as the text SQLite stores them, booleans as 0/1 (both
// engines already), -0.0 as 0.0 (SQLite's REAL cannot keep the sign). Column
// types, indexes and constraints are dialect-specific and left out.
#ifndef REHEARSE_STATE_LOGICAL_DIGEST_H_
#define REHEARSE_STATE_LOGICAL_DIGEST_H_

#include <map>
#include <string>

#include "harness/common/status.h"
#include "harness/state/snapshot.h"

namespace rehearse {

struct LogicalTable {
  std::string columns;  // "a, b, c"
  int64_t rows = 0;
  std::string digest;  // hex
  // The columns whose default is volatile (volatile_values.h), described,
  // and the digest of the rows without them: two engines' clocks differ.
  std::string volatile_columns;
  std::string stable_digest;
  bool operator==(const LogicalTable& o) const {
    return columns == o.columns && rows == o.rows && digest == o.digest;
  }
};

using LogicalDigest = std::map<std::string, LogicalTable>;  // by table name

// Reads the snapshot's row archives (Snapshot::Take with an archive_dir).
// Tables named in `skip` are left out.
Status ComputeLogicalDigest(const Snapshot& snapshot, bool (*skip)(std::string_view table),
                            LogicalDigest* out);

// One digest for the whole of `digest` (every table's name, columns, row
// count and rows): what `rehearse fixture --digest` prints for comparing
// engines, where the snapshot digest differs by engine.
Digest LogicalDigestTotal(const LogicalDigest& digest);

// One line per table that differs between the two, naming what differs.
// With values = false only tables, columns and row counts are compared: for
// data that was not the same on both engines to begin with (the schema
// filler draws from each engine's own column types). With `volatile_only`,
// a table whose values differ only in columns with a volatile default on
// both engines goes there (one line each, naming them) instead.
std::string DescribeLogicalDifferences(const LogicalDigest& a, const char* a_name,
                                       const LogicalDigest& b, const char* b_name,
                                       bool values = true, std::string* volatile_only = nullptr);

}  // namespace rehearse

#endif  // REHEARSE_STATE_LOGICAL_DIGEST_H_
