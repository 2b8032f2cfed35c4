// --use-env: a staging database named the way the application names it, for
// `rehearse migrate` and `rehearse snapshot` (never the gate, which only
// ever uses throwaway databases).
//
// As seed 000's migration script (and dotenv-flow) does: `.env.local` and
// then `.env` of the working directory are loaded without overriding what is
// already set — a real environment variable wins over both files, and
// .env.local over .env — then DIRECT_URL is taken, else DATABASE_URL (an
// empty value counts as unset).
//
// Dotenv syntax: one KEY=VALUE per line; blank lines and lines starting with
// '#' are skipped; an optional `export ` prefix; the value may be in single
// quotes (taken as is) or double quotes (\n, \", \\ escapes), else it ends
// at " #" (a comment) and is trimmed. A line without '=' is ignored, as
// dotenv ignores it. A missing file is no error; an unreadable one is.
#ifndef REHEARSE_CLI_DATABASE_ENV_H_
#define REHEARSE_CLI_DATABASE_ENV_H_

#include <map>
#include <string>
#include <string_view>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// The pairs of one dotenv file, the first of a repeated key winning.
std::map<std::string, std::string> ParseDotenv(std::string_view text);

struct EnvDatabase {
  std::string target;  // what --database would have been: a URL, or a SQLite path
  Dialect dialect = Dialect::kPostgres;
  std::string source;  // "DIRECT_URL from .env.local", for the log (no value)
};

// postgres:// and postgresql:// URLs (and key=value conninfo) are PostgreSQL;
// "file:PATH" (Prisma's SQLite form) is the SQLite file PATH. kInvalidInput
// when neither variable is set anywhere, naming where it looked and never
// printing a value.
Status DatabaseFromEnvironment(const std::string& dir, EnvDatabase* out);

}  // namespace rehearse

#endif  // REHEARSE_CLI_DATABASE_ENV_H_
