// RedactSecrets: a text with the passwords of every PostgreSQL connection
// string in it replaced by "***", for anything Rehearse prints or reports —
// a CI log is read by more people than the database's password is meant
// for. One function, used wherever a connection string or an error that may
// quote one leaves the process.
//
// Contract: replaces the password, and only the password, in
// - URIs: postgres[ql]://user:PASSWORD@host/db (scheme case-insensitive;
//   the last '@' of the authority ends the user info, as libpq reads it),
//   and a password=PASSWORD query parameter (up to the next '&', '#' or
//   whitespace);
// - key/value conninfo: password=PASSWORD, password = 'PASS WORD' (key
//   case-insensitive, spaces around '=', single quotes with backslash
//   escapes, as libpq parses them; unquoted, up to whitespace).
// An empty password stays empty. Text with no connection string comes back
// unchanged. Linear in the text.
#ifndef REHEARSE_COMMON_REDACT_H_
#define REHEARSE_COMMON_REDACT_H_

#include <string>
#include <string_view>

namespace rehearse {

inline constexpr const char* kRedacted = "***";

std::string RedactSecrets(std::string_view text);

}  // namespace rehearse

#endif  // REHEARSE_COMMON_REDACT_H_
