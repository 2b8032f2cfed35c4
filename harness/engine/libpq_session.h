// LibpqSession: one short-lived libpq connection for the engine's own
// maintenance statements (CREATE/DROP/ALTER DATABASE). Deliberately not
// harness/db: the engine sits below it and must not depend on it.
//
// Every method returns OK on success; a statement the server rejects gives
// kDatabase with the server's message, DETAIL and SQLSTATE, and the
// statement attached. A connection failure gives kInfrastructure. Closing
// happens in the destructor. Not thread-safe: one session per thread.
#ifndef REHEARSE_ENGINE_LIBPQ_SESSION_H_
#define REHEARSE_ENGINE_LIBPQ_SESSION_H_

#include <optional>
#include <string>
#include <vector>

#include "harness/common/status.h"

struct pg_conn;

namespace rehearse {

class LibpqSession {
 public:
  LibpqSession() = default;
  LibpqSession(const LibpqSession&) = delete;
  LibpqSession& operator=(const LibpqSession&) = delete;
  ~LibpqSession();

  Status Connect(const std::string& conninfo);

  // Runs `sql` (no parameters, any number of statements).
  Status Execute(const std::string& sql);

  // Runs a one-row, one-column query with text parameters $1, $2, ...
  // *value is empty when the query returned no row; a NULL reads as "".
  Status QueryValue(const std::string& sql, const std::vector<std::string>& params,
                    std::optional<std::string>* value);

  // Sets *quoted to `name` as a quoted SQL identifier. Requires a
  // connection; kInvalidInput when `name` is not valid in its encoding.
  Status QuoteIdentifier(const std::string& name, std::string* quoted) const;

 private:
  pg_conn* conn_ = nullptr;
};

// `value` as a libpq connection-string value, quoted when it has to be.
std::string ConninfoValue(const std::string& value);

// `conninfo` (key=value form) for messages: a password's value becomes
// "<redacted>". A string libpq cannot parse is returned as "<unparsable
// connection string>": it might hold a password anywhere.
std::string RedactedConninfo(const std::string& conninfo);

// Splits the password out of `conninfo` (key=value form), for a child
// program that gets the rest on its command line and the password in its
// environment (PGPASSWORD), where other users cannot see it.
// *password is empty when there is none.
void SplitConninfoPassword(const std::string& conninfo, std::string* without_password,
                           std::string* password);

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_LIBPQ_SESSION_H_
