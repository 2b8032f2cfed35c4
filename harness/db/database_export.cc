#include "harness/db/database_export.h"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>

#include "harness/common/replacement_file.h"
#include "harness/engine/libpq_session.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/subprocess.h"

namespace rehearse {

namespace {

// Copies the file at `from` into *to. A SQL dump (`sql_dump`) loses pg_dump's
// `\restrict KEY` / `\unrestrict KEY` lines on the way: the key is random per
// run (pg_dump 15.14+), and would make every dump differ. Streamed in
// chunks, so a dump of any size takes no memory. `from` is not an input (it
// is this run's own file in its private run directory), so it is not read
// through ReadInputFile, whose size bound a large dump would exceed.
Status CopyInto(const std::string& from, bool sql_dump, ReplacementFile* to) {
  std::ifstream in(from, std::ios::binary);
  if (!in) return Status::IoError("--out: cannot read " + from);
  constexpr size_t kChunk = 1 << 20;
  std::string buffer;
  if (!sql_dump) {
    buffer.resize(kChunk);
    while (in.read(buffer.data(), kChunk) || in.gcount() > 0)
      REHEARSE_RETURN_IF_ERROR(to->Write(std::string_view(buffer.data(), in.gcount())));
  } else {
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("\\restrict ", 0) == 0 || line.rfind("\\unrestrict ", 0) == 0) continue;
      buffer += line;
      buffer += '\n';
      if (buffer.size() >= kChunk) {
        REHEARSE_RETURN_IF_ERROR(to->Write(buffer));
        buffer.clear();
      }
    }
    REHEARSE_RETURN_IF_ERROR(to->Write(buffer));
  }
  if (in.bad()) return Status::IoError("--out: cannot read " + from);
  return Status::OK();
}

// Makes the database's copy (SQLite: VACUUM INTO) or dump (PostgreSQL:
// pg_dump) into `scratch`, in the run directory, which the watchdog clears
// however this process ends; *made names the file.
Status MakeCopy(Database* db, const std::string& conninfo, const std::string& scratch,
                std::string* made) {
  if (db->dialect() == Dialect::kSqlite) {
    *made = scratch + "/fixture.db";
    Status s = db->Execute("VACUUM INTO ?1", {Value::Text(*made)});
    if (!s.ok()) return Status::IoError("--out: VACUUM INTO " + *made + ": " + s.message());
    return Status::OK();
  }
  PostgresInstallation pg;
  REHEARSE_RETURN_IF_ERROR(PostgresInstallation::Find("", &pg));
  *made = scratch + "/fixture.pg_dump";
  SubprocessOptions o;
  // The password goes in pg_dump's environment, which only this user can
  // read, never on its command line, which anyone can (`ps`).
  std::string without_password, password;
  SplitConninfoPassword(conninfo, &without_password, &password);
  o.argv = {pg.Program("pg_dump"), "--no-owner", "--no-privileges", "--dbname", without_password};
  o.env.emplace();
  for (char** var = environ; *var != nullptr; ++var)
    if (std::strncmp(*var, "PGPASSWORD=", 11) != 0) o.env->push_back(*var);
  if (!password.empty()) o.env->push_back("PGPASSWORD=" + password);
  o.stdout_target = OutputTarget::File(*made);
  o.stderr_target = OutputTarget::Capture();
  o.timeout = std::chrono::minutes(30);
  SubprocessResult result;
  REHEARSE_RETURN_IF_ERROR(RunToCompletion(o, &result));
  if (!result.succeeded())
    return Status::Infrastructure("pg_dump " + result.Describe() + ": " + result.stderr_text);
  return Status::OK();
}

}  // namespace

Status ExportDatabase(ThrowawayDatabases* throwaway, Database* db, const std::string& conninfo,
                      const std::string& out) {
  std::string scratch, made;
  REHEARSE_RETURN_IF_ERROR(throwaway->ScratchDir("fixture-out-", &scratch));
  ReplacementFile file;
  Status s = MakeCopy(db, conninfo, scratch, &made);
  if (s.ok()) s = file.Open(out).Prepend("--out");
  if (s.ok()) s = CopyInto(made, db->dialect() == Dialect::kPostgres, &file);
  if (s.ok()) s = file.Commit().Prepend("--out");
  throwaway->ReleaseScratchDir(scratch);
  return s;
}

}  // namespace rehearse
