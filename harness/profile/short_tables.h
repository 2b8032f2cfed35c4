// ShortTables: the tables a profile's fill left short of their size (rows
// the filler gave up after every attempt, or none left that the constraints
// admit), held at the rows they reached for as long as their definition
// stays as it was. Topping such a table up again draws the same rejected
// rows again, before every later migration: lemmy's `activity` took 40-150 s
// each time and gained nothing. A migration that redefines the table (a
// constraint dropped, a column added, an index changed) lifts the hold; one
// that deletes rows from it still gets them back, up to the rows reached.
#ifndef REHEARSE_PROFILE_SHORT_TABLES_H_
#define REHEARSE_PROFILE_SHORT_TABLES_H_

#include <cstdint>
#include <map>
#include <string>

#include "fixtures/schema_filler.h"
#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

class ShortTables {
 public:
  // Before a fill: sets (*rows_by_table)[table] to the rows reached for each
  // held table still defined as it was, and forgets the others.
  Status Hold(Database* db, std::map<std::string, int64_t>* rows_by_table);

  // After a fill with `options` that gave `report`: holds each table it
  // filled that now has fewer rows than its size.
  Status Note(Database* db, const SchemaFillReport& report, const SchemaFillOptions& options);

 private:
  struct Held {
    int64_t rows = 0;
    std::string definition;
  };
  std::map<std::string, Held> held_;
};

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_SHORT_TABLES_H_
