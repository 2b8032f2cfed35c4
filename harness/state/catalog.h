// Catalog: the schema of a database as a sorted list of comparable objects,
// plus what Snapshot needs to read each table's rows in a stable order.
//
// Every object is (kind, name, definition) where the definition is canonical
// text rendered by the engine itself (pg_get_*def, PRAGMA rows, the stored
// SQLite DDL), never physical identity (oids, relfilenodes). Kinds:
//   table, column, constraint, index, trigger, view, function, sequence, type
//   (structural, both dialects where they apply);
//   ddl        SQLite's stored CREATE text, kept beside the structural view so
//              a report can say which of the two differs;
//   sequence_position  where a sequence (or sqlite_sequence) stands: nextval is
//              never rolled back, so differences here are warnings.
#ifndef REHEARSE_STATE_CATALOG_H_
#define REHEARSE_STATE_CATALOG_H_

#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/state/key_order.h"

namespace rehearse {

struct CatalogObject {
  std::string kind;
  std::string
      name;  // "table", "table.column", "table.index", ... (schema-qualified outside public)
  std::string table;  // owning table, empty for free-standing objects
  std::string definition;

  bool operator<(const CatalogObject& o) const {
    return kind != o.kind ? kind < o.kind : name < o.name;
  }
};

struct TableLayout {
  std::string name;                  // display name, as in CatalogObject::name
  std::string qualified_sql;         // quoted for use in SQL
  std::vector<std::string> columns;  // live columns, in order
  std::vector<std::string> types;    // PostgreSQL typname / SQLite declared type, per column
  std::vector<size_t> key;           // positions of the row key (primary key, else every column)
  std::vector<KeyOrder> key_order;   // per key column
  std::string select_sql;            // SELECT <columns> FROM <table>, without order
  std::string order_by_sql;          // " ORDER BY <key>" (empty for a table without columns)
  int64_t pages = 0;                 // PostgreSQL heap pages, to split large tables
  // What the stored rows are and how they read back, for a later snapshot to
  // take this one's rows over (unchanged_tables.h): the same value in two
  // snapshots means the same storage read the same way. Empty when the engine
  // cannot prove a table's rows unchanged: a PostgreSQL table with children
  // or partitions (their rows are read with it), or with a column of a type
  // whose text may change without its rows changing (enum, domain, composite,
  // range, a type of an extension: anything but pg_catalog's base types; and
  // of those reg* and aclitem, which print the names of the objects they
  // point to).
  std::string storage;
};

struct Catalog {
  std::vector<CatalogObject> objects;  // sorted by (kind, name)
  std::vector<TableLayout> tables;     // sorted by name
};

// Reads the catalog of every user schema (PostgreSQL: all but pg_catalog,
// information_schema, pg_toast and temp schemas; SQLite: all but sqlite_*).
Status ReadCatalog(Database* db, Catalog* out);

// Reads again, into a catalog ReadCatalog read earlier, the objects that
// move without any schema change: sequence positions (and SQLite's
// user_version pragma, which lives in the file header).
Status ReadCatalogPositions(Database* db, Catalog* out);

// Per-dialect readers behind ReadCatalog and ReadCatalogPositions (which
// append their objects unsorted).
Status ReadPostgresCatalog(Database* db, Catalog* out);
Status ReadSqliteCatalog(Database* db, Catalog* out);
Status ReadPostgresPositions(Database* db, Catalog* out);
Status ReadSqlitePositions(Database* db, Catalog* out);

}  // namespace rehearse

#endif  // REHEARSE_STATE_CATALOG_H_
