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

Status ReadCatalogPositions(Database* db, Catalog* out) {
  std::vector<CatalogObject>& objects = out->objects;
  objects.erase(std::remove_if(objects.begin(), objects.end(),
                               [](const CatalogObject& o) {
                                 return o.kind == "sequence_position" || o.kind == "pragma";
                               }),
                objects.end());
  Status s = db->dialect() == Dialect::kPostgres ? ReadPostgresPositions(db, out)
                                                 : ReadSqlitePositions(db, out);
  if (!s.ok()) return s.Prepend("reading the catalog");
  std::sort(objects.begin(), objects.end());
  return Status::OK();
}

}  // namespace rehearse
