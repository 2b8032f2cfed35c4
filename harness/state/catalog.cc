#include "harness/state/catalog.h"

#include <algorithm>

namespace rehearse {

Status ReadCatalog(Database* db, Catalog* out) {
  *out = Catalog();
  Status s = db->dialect() == Dialect::kPostgres ? ReadPostgresCatalog(db, out)
                                                 : ReadSqliteCatalog(db, out);
  if (!s.ok()) return s.Prepend("reading the catalog");
  std::sort(out->objects.begin(), out->objects.end());
  std::sort(out->tables.begin(), out->tables.end(),
            [](const TableLayout& a, const TableLayout& b) { return a.name < b.name; });
  return Status::OK();
}

}  // namespace rehearse
