// The SQL every reader of a PostgreSQL catalog shares (the snapshot's Catalog,
// the schema-driven filler's SchemaModel): which schemas are the user's, and
// how a relation is named in reports.
#ifndef REHEARSE_STATE_POSTGRES_CATALOG_SQL_H_
#define REHEARSE_STATE_POSTGRES_CATALOG_SQL_H_

#include <string>
#include <string_view>

namespace rehearse {

// `sql` over pg_class c JOIN pg_namespace n with "$USER" replaced by the
// condition that keeps the user's schemas (never pg_catalog,
// information_schema, pg_toast*, pg_temp*), followed by `and_also` when
// given, and "$REL" by the relation's name: bare in public,
// schema-qualified elsewhere.
std::string PostgresCatalogQuery(std::string sql, std::string_view and_also = "");

}  // namespace rehearse

#endif  // REHEARSE_STATE_POSTGRES_CATALOG_SQL_H_
