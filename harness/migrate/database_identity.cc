#include "harness/migrate/database_identity.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "harness/migrate/harness_tables.h"
#include "harness/state/digest.h"

namespace rehearse {

std::string MakeDatabaseIdentity(uint64_t seed, std::string_view database_name) {
  DigestBuilder hash;
  hash.UpdateField("rehearse database identity");
  hash.UpdateField(std::to_string(seed));
  hash.UpdateField(database_name);
  return "db-" + hash.Finish().ToHex();
}

Status MakeRandomDatabaseIdentity(std::string* token) {
  unsigned char bytes[16];
  std::FILE* f = std::fopen("/dev/urandom", "rb");
  const bool read = f && std::fread(bytes, 1, sizeof bytes, f) == sizeof bytes;
  const int err = errno;
  if (f) std::fclose(f);
  if (!read) return Status::IoError(std::string("cannot read /dev/urandom: ") + std::strerror(err));
  static const char kHex[] = "0123456789abcdef";
  std::string out = "db-";
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  *token = std::move(out);
  return Status::OK();
}

Status StampDatabaseIdentity(Database* db, const std::string& token) {
  if (token.empty()) return Status::InvalidInput("a database identity cannot be empty");
  const bool postgres = db->dialect() == Dialect::kPostgres;
  // Three statements that must land together: a crash between DELETE and
  // INSERT would leave a database without identity.
  const bool own_transaction = !db->in_transaction();
  if (own_transaction) REHEARSE_RETURN_IF_ERROR(db->Begin());
  Status s =
      db->Execute("CREATE TABLE IF NOT EXISTS rehearse_identity (token TEXT NOT NULL PRIMARY KEY)");
  if (s.ok()) s = db->Execute("DELETE FROM rehearse_identity");
  if (s.ok()) {
    s = db->Execute(postgres ? "INSERT INTO rehearse_identity (token) VALUES ($1)"
                             : "INSERT INTO rehearse_identity (token) VALUES (?1)",
                    {Value::Text(token)});
  }
  if (own_transaction) {
    if (s.ok()) {
      s = db->Commit();
    } else {
      db->Rollback();
    }
  }
  if (!s.ok()) return s.Prepend("stamping the database identity");
  return Status::OK();
}

Status ReadDatabaseIdentity(Database* db, std::string* token) {
  bool exists = false;
  REHEARSE_RETURN_IF_ERROR(HarnessTableExists(db, kDatabaseIdentityTable, &exists));
  if (!exists) return Status::NotFound("the database has no rehearse_identity table");
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(db->Execute("SELECT token FROM rehearse_identity", {}, &rs));
  if (rs.rows.size() != 1 || rs.rows[0][0].is_null()) {
    return Status::NotFound("rehearse_identity holds " + std::to_string(rs.rows.size()) +
                            " rows instead of one token");
  }
  *token = rs.rows[0][0].type == Value::Type::kText ? rs.rows[0][0].bytes : rs.rows[0][0].ToText();
  return Status::OK();
}

}  // namespace rehearse
