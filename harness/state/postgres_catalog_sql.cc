#include "harness/state/postgres_catalog_sql.h"

namespace rehearse {

std::string PostgresCatalogQuery(std::string sql, std::string_view and_also) {
  std::string user =
      "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
      "AND n.nspname NOT LIKE 'pg_temp%'";
  if (!and_also.empty()) user += " AND " + std::string(and_also);
  const std::string rel =
      "CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END";
  auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t p = sql.find(from); p != std::string::npos; p = sql.find(from, p + to.size()))
      sql.replace(p, from.size(), to);
  };
  replace("$USER", user);
  replace("$REL", rel);
  return sql;
}

}  // namespace rehearse
