// Catalog of a PostgreSQL database, read from pg_catalog. Definitions come
// from the server's own pg_get_*def functions under the session's fixed
// search_path, so they are canonical and free of oids.
#include <map>

#include "harness/state/catalog.h"
#include "harness/state/postgres_catalog_sql.h"

namespace rehearse {

namespace {

// The user's schemas and relation names (postgres_catalog_sql.h).
std::string Q(const char* sql) { return PostgresCatalogQuery(sql); }

const std::string& Text(const Value& v) { return v.bytes; }

// Adds one object per row: columns 0..2 are table, name, definition.
Status AddObjects(Database* db, const std::string& kind, const std::string& sql, Catalog* out) {
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(db->Execute(sql, {}, &rs));
  for (const Row& r : rs.rows) {
    out->objects.push_back({kind, Text(r[1]), Text(r[0]), r[2].is_null() ? "" : Text(r[2])});
  }
  return Status::OK();
}

bool IsIntegerType(const std::string& type_name) {
  return type_name == "int2" || type_name == "int4" || type_name == "int8" || type_name == "oid";
}

bool IsTextType(const std::string& t) {
  return t == "text" || t == "varchar" || t == "bpchar" || t == "name";
}

// Types that Database::StreamTyped reads in binary; everything else (enums,
// arrays, numeric, intervals, ...) is selected as its text output, which is
// canonical under the session's fixed settings.
bool HasBinaryDecoding(const std::string& t) {
  return IsIntegerType(t) || IsTextType(t) || t == "bool" || t == "float4" || t == "float8" ||
         t == "timestamp" || t == "timestamptz" || t == "date" || t == "uuid" || t == "bytea" ||
         t == "json" || t == "jsonb" || t == "char";
}

}  // namespace

Status ReadPostgresCatalog(Database* db, Catalog* out) {
  // Tables.
  ResultSet tables;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      Q("SELECT c.oid::text, $REL, format('%I.%I', n.nspname, c.relname), c.relkind::text, "
        "c.relpersistence::text, (pg_relation_size(c.oid) / current_setting('block_size')::int)"
        "::text, CASE WHEN c.relkind = 'r' AND NOT c.relhassubclass AND NOT EXISTS ("
        "SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE "
        "a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND (t.typtype <> 'b' "
        "OR t.typnamespace <> 'pg_catalog'::regnamespace OR t.typname ~ '^_?(reg|aclitem)')) THEN "
        "'relfilenode ' || "
        "c.relfilenode || ' attnums ' || (SELECT string_agg(a.attnum::text, ',' ORDER BY "
        "a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT "
        "a.attisdropped) END FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND $USER ORDER BY 2"),
      {}, &tables));
  std::map<std::string, TableLayout*> by_oid;
  out->tables.reserve(tables.rows.size());
  for (const Row& r : tables.rows) {
    out->objects.push_back(
        {"table", Text(r[1]), Text(r[1]), "relkind=" + Text(r[3]) + " persistence=" + Text(r[4])});
    TableLayout t;
    t.name = Text(r[1]);
    t.qualified_sql = Text(r[2]);
    t.pages = std::stoll(Text(r[5]));
    // The attnums: a column dropped and added again under its name reads its
    // old rows as the new default without touching them.
    if (!r[6].is_null()) t.storage = Text(r[6]);
    out->tables.push_back(std::move(t));
  }
  for (size_t i = 0; i < out->tables.size(); ++i) by_oid[Text(tables.rows[i][0])] = &out->tables[i];

  // Columns: live ones only, numbered by their rank so dropped-column holes in
  // attnum do not count, but a column re-added at the end does.
  ResultSet cols;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      Q("SELECT c.oid::text, $REL, a.attname, "
        "row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)::text, "
        "format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid), "
        "a.attnotnull::text, CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, "
        "a.attidentity::text, a.attgenerated::text , t.typname "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
        "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND $USER "
        "ORDER BY c.oid, a.attnum"),
      {}, &cols));
  for (const Row& r : cols.rows) {
    std::string def = "#" + Text(r[3]) + " " + Text(r[4]);
    if (Text(r[6]) == "true") def += " NOT NULL";
    if (!r[5].is_null()) def += " DEFAULT " + Text(r[5]);
    if (!r[7].is_null()) def += " COLLATE " + Text(r[7]);
    if (!Text(r[8]).empty()) def += " IDENTITY " + Text(r[8]);
    if (!Text(r[9]).empty()) def += " GENERATED " + Text(r[9]);
    out->objects.push_back({"column", Text(r[1]) + "." + Text(r[2]), Text(r[1]), def});
    auto it = by_oid.find(Text(r[0]));
    if (it == by_oid.end()) continue;
    it->second->columns.push_back(Text(r[2]));
    it->second->types.push_back(Text(r[10]));
  }

  // Primary keys give the row order; tables without one are ordered by every column.
  ResultSet pks;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      Q("SELECT c.oid::text, k.ord::text, k.attnum::text FROM pg_constraint x "
        "JOIN pg_class c ON c.oid = x.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "CROSS JOIN LATERAL unnest(x.conkey) WITH ORDINALITY AS k(attnum, ord) "
        "WHERE x.contype = 'p' AND $USER ORDER BY 1, 2"),
      {}, &pks));
  // conkey holds attnums; map them to live-column positions.
  ResultSet attnums;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      Q("SELECT c.oid::text, a.attnum::text FROM pg_attribute a JOIN pg_class c ON "
        "c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND $USER "
        "ORDER BY c.oid, a.attnum"),
      {}, &attnums));
  std::map<std::pair<std::string, std::string>, size_t> position;
  std::map<std::string, size_t> next;
  for (const Row& r : attnums.rows) position[{Text(r[0]), Text(r[1])}] = next[Text(r[0])]++;
  for (const Row& r : pks.rows) {
    auto it = by_oid.find(Text(r[0]));
    if (it != by_oid.end()) it->second->key.push_back(position[{Text(r[0]), Text(r[2])}]);
  }
  for (auto& [oid, t] : by_oid) {
    if (t->key.empty())
      for (size_t i = 0; i < t->columns.size(); ++i) t->key.push_back(i);
    // Key columns are integers (sorted natively, by the key's index) or text
    // sorted byte-wise; any other key type is read as text so that the merge
    // in SnapshotDiff compares exactly what the database sorted.
    std::vector<bool> as_text(t->columns.size());
    for (size_t i = 0; i < t->columns.size(); ++i) as_text[i] = !HasBinaryDecoding(t->types[i]);
    std::string order;
    for (size_t k : t->key) {
      const std::string& type = t->types[k];
      bool integer = IsIntegerType(type);
      if (!integer && !IsTextType(type)) as_text[k] = true;
      std::string col = Database::QuoteIdentifier(t->columns[k]);
      t->key_order.push_back(integer ? KeyOrder::kPostgresInteger : KeyOrder::kBytes);
      order += (order.empty() ? "" : ", ") +
               (integer ? col : (as_text[k] ? col + "::text" : col) + " COLLATE \"C\"");
    }
    std::string select = "SELECT ";
    for (size_t i = 0; i < t->columns.size(); ++i) {
      std::string col = Database::QuoteIdentifier(t->columns[i]);
      select += (i ? ", " : "") + (as_text[i] ? col + "::text" : col);
    }
    if (t->columns.empty()) select += "1";
    select += " FROM " + t->qualified_sql;
    t->select_sql = select;
    if (!order.empty()) t->order_by_sql = " ORDER BY " + order;
  }

  REHEARSE_RETURN_IF_ERROR(
      AddObjects(db, "constraint",
                 Q("SELECT $REL, $REL || '.' || x.conname, x.contype::text || ' ' || "
                   "pg_get_constraintdef(x.oid, "
                   "true) FROM pg_constraint x JOIN pg_class c ON c.oid = x.conrelid "
                   "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE $USER"),
                 out));
  REHEARSE_RETURN_IF_ERROR(AddObjects(
      db, "index",
      Q("SELECT $REL, $REL || '.' || i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE $USER"),
      out));
  REHEARSE_RETURN_IF_ERROR(AddObjects(
      db, "trigger",
      Q("SELECT $REL, $REL || '.' || g.tgname, pg_get_triggerdef(g.oid, true) FROM pg_trigger g "
        "JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT g.tgisinternal AND $USER"),
      out));
  REHEARSE_RETURN_IF_ERROR(AddObjects(
      db, "view",
      Q("SELECT $REL, $REL, c.relkind::text || ' ' || pg_get_viewdef(c.oid, true) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND $USER"),
      out));
  REHEARSE_RETURN_IF_ERROR(AddObjects(
      db, "function",
      Q("SELECT '', p.oid::regprocedure::text, pg_get_functiondef(p.oid) FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind IN ('f', 'p', 'w') "
        "AND $USER"),
      out));
  REHEARSE_RETURN_IF_ERROR(AddObjects(
      db, "type",
      Q("SELECT '', format_type(t.oid, NULL), 'enum ' || string_agg(quote_literal(e.enumlabel), "
        "', ' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_namespace n ON n.oid = "
        "t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid WHERE $USER GROUP BY t.oid"),
      out));
  // Sequences: their definition and owner (OWNED BY is easily lost) as one
  // object, their position as another so it can be a warning only.
  REHEARSE_RETURN_IF_ERROR(AddObjects(
      db, "sequence",
      Q("SELECT coalesce(o.relname, ''), $REL, format('%s start %s increment %s min %s max %s "
        "cycle %s cache %s owned by %s', s.seqtypid::regtype, s.seqstart, s.seqincrement, "
        "s.seqmin, s.seqmax, s.seqcycle, s.seqcache, coalesce(o.relname || '.' || a.attname, "
        "'none')) FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid "
        "AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
        "LEFT JOIN pg_class o ON o.oid = d.refobjid "
        "LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
        "WHERE $USER"),
      out));
  return ReadPostgresPositions(db, out);
}

Status ReadPostgresPositions(Database* db, Catalog* out) {
  return AddObjects(
      db, "sequence_position",
      Q("SELECT '', CASE WHEN s.schemaname = 'public' THEN s.sequencename ELSE s.schemaname || "
        "'.' || s.sequencename END, coalesce('last_value ' || s.last_value, 'not called') "
        "FROM pg_sequences s WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema')"),
      out);
}

}  // namespace rehearse
