// Volatile defaults: a column whose DEFAULT gives a new value each time it is
// used — now(), CURRENT_TIMESTAMP, clock_timestamp(), gen_random_uuid(),
// random(), a sequence's nextval (serial and identity columns), SQLite's
// CURRENT_TIMESTAMP, datetime('now'), random(), and SQLite's INTEGER PRIMARY
// KEY (the rowid: the largest so far plus one, a sequence without a default). A row a migration
// inserts takes a new value there each time the migration runs, and on each engine, so two runs
// differ there without anything being wrong (lemmy's first migrations insert a user whose
// `published` is DEFAULT now()).
//
// Only rows a step inserted are excused: a down that rewrites existing rows'
// created_at changed data that was there, and still differs in full.
#ifndef REHEARSE_STATE_VOLATILE_VALUES_H_
#define REHEARSE_STATE_VOLATILE_VALUES_H_

#include <map>
#include <string>
#include <string_view>

#include "harness/common/status.h"
#include "harness/state/catalog.h"
#include "harness/state/snapshot.h"

namespace rehearse {

// Whether a default expression, as the catalog renders it, gives a new value
// each time.
bool IsVolatileDefault(std::string_view expression);

// The columns of `table` (CatalogObject::table) whose default is volatile:
// column name -> its default as written ("now()", "nextval('t_id_seq'::regclass)",
// "GENERATED AS IDENTITY", "rowid").
using VolatileColumns = std::map<std::string, std::string>;
VolatileColumns FindVolatileColumns(const Catalog& catalog, const std::string& table);

// "t.created_at DEFAULT now(), t.id DEFAULT nextval(…)": for a report.
std::string DescribeVolatileColumns(const std::string& table, const VolatileColumns& columns);

// Whether the rows of `expected` and `actual` (one table, both archived, the
// same columns) are equal once `columns` are left out of the rows the step
// inserted: the rows of `actual` whose key `before_step` (the table right
// before the step that produced `actual`; null when it had no such table)
// lacks, and the rows of `expected` they stand for — those whose key is not
// among actual's older rows. Every other row must be equal in full. False
// when no row was inserted, or the columns differ.
Status DiffersOnlyInVolatileColumns(const TableSnapshot& expected, const TableSnapshot& actual,
                                    const TableSnapshot* before_step,
                                    const VolatileColumns& columns, bool* only);

}  // namespace rehearse

#endif  // REHEARSE_STATE_VOLATILE_VALUES_H_
