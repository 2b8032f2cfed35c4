#include "bench/chain_generator.h"

#include <sys/stat.h>

#include <cstdio>

#include "harness/common/replacement_file.h"

namespace rehearse {
namespace {

// One migration's four scripts; a dialect-neutral one fills both.
struct Scripts {
  std::string name;
  std::string up_postgres, down_postgres, up_sqlite, down_sqlite;
};

Scripts Both(std::string name, const std::string& up, const std::string& down) {
  return {std::move(name), up, down, up, down};
}

// The migration at position i (1-based). `table` is the latest plain table
// (t<j>), which the kinds after the first alter or read.
Scripts Make(int i, const std::string& table) {
  const std::string n = std::to_string(i);
  switch ((i - 1) % 8) {
    case 0:
      return Both("table",
                  "CREATE TABLE " + table +
                      " (id integer PRIMARY KEY, name text NOT NULL, qty integer NOT NULL "
                      "DEFAULT 0, created_at timestamp);\nCREATE INDEX " +
                      table + "_name_idx ON " + table + " (name);\n",
                  "DROP TABLE " + table + ";\n");
    case 1:
      return Both("child",
                  "CREATE TABLE c" + n + " (id integer PRIMARY KEY, parent_id integer NOT NULL " +
                      "REFERENCES " + table + " (id), label text);\nCREATE INDEX c" + n +
                      "_parent_idx ON c" + n + " (parent_id);\n",
                  "DROP TABLE c" + n + ";\n");
    case 2:
      return Both("add_column", "ALTER TABLE " + table + " ADD COLUMN note_" + n + " text;\n",
                  "ALTER TABLE " + table + " DROP COLUMN note_" + n + ";\n");
    case 3:
      return Both("view",
                  "CREATE VIEW v" + n + " AS SELECT id, name FROM " + table + " WHERE qty >= 0;\n",
                  "DROP VIEW v" + n + ";\n");
    case 4: {
      Scripts s;
      s.name = "function";
      s.up_postgres = "CREATE FUNCTION f" + n +
                      "(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + " + n +
                      " $$;\n";
      s.down_postgres = "DROP FUNCTION f" + n + "(integer);\n";
      s.up_sqlite = "CREATE INDEX " + table + "_qty_" + n + " ON " + table + " (qty);\n";
      s.down_sqlite = "DROP INDEX " + table + "_qty_" + n + ";\n";
      return s;
    }
    case 5: {
      Scripts s;
      s.name = "trigger";
      s.up_postgres = "CREATE FUNCTION trg" + n +
                      "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.qty := "
                      "greatest(NEW.qty, 0); RETURN NEW; END $$;\nCREATE TRIGGER trg" +
                      n + " BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION trg" + n +
                      "();\n";
      s.down_postgres =
          "DROP TRIGGER trg" + n + " ON " + table + ";\nDROP FUNCTION trg" + n + "();\n";
      s.up_sqlite = "CREATE TRIGGER trg" + n + " AFTER INSERT ON " + table + " BEGIN UPDATE " +
                    table + " SET qty = 0 WHERE id = NEW.id AND qty < 0; END;\n";
      s.down_sqlite = "DROP TRIGGER trg" + n + ";\n";
      return s;
    }
    case 6:
      return Both("backfill",
                  "ALTER TABLE " + table + " ADD COLUMN name_len_" + n + " integer;\nUPDATE " +
                      table + " SET name_len_" + n + " = length(name);\n",
                  "ALTER TABLE " + table + " DROP COLUMN name_len_" + n + ";\n");
    default:
      return Both("unique_check",
                  "CREATE TABLE u" + n +
                      " (id integer PRIMARY KEY, code text NOT NULL UNIQUE, amount numeric "
                      "CHECK (amount >= 0));\n",
                  "DROP TABLE u" + n + ";\n");
  }
}

Status Write(const std::string& path, const std::string& text) {
  return WriteFileAtomically(path, text, 0644);
}

}  // namespace

Status WriteMigrationChain(const std::string& dir, int count) {
  std::string table;
  for (int i = 1; i <= count; ++i) {
    if ((i - 1) % 8 == 0) table = "t" + std::to_string(i);
    Scripts s = Make(i, table);
    char version[16];
    std::snprintf(version, sizeof version, "%04d", i);
    const std::string folder = dir + "/" + version + "_" + s.name;
    if (mkdir(folder.c_str(), 0755) != 0) return Status::IoError("cannot create " + folder);
    if (s.up_postgres == s.up_sqlite && s.down_postgres == s.down_sqlite) {
      REHEARSE_RETURN_IF_ERROR(Write(folder + "/up.sql", s.up_postgres));
      REHEARSE_RETURN_IF_ERROR(Write(folder + "/down.sql", s.down_postgres));
      continue;
    }
    REHEARSE_RETURN_IF_ERROR(Write(folder + "/up.postgres.sql", s.up_postgres));
    REHEARSE_RETURN_IF_ERROR(Write(folder + "/down.postgres.sql", s.down_postgres));
    REHEARSE_RETURN_IF_ERROR(Write(folder + "/up.sqlite.sql", s.up_sqlite));
    REHEARSE_RETURN_IF_ERROR(Write(folder + "/down.sqlite.sql", s.down_sqlite));
  }
  return Status::OK();
}

}  // namespace rehearse
