// The per-table sizes of a production database, as a team exports them with
// the one query README documents (`relname,reltuples` as CSV from
// pg_class). `rehearse profile --rows-file FILE` fills each listed table to
// its size; tables the file does not list (new ones) get --rows.
//
// Format: one `relname,reltuples` per line; an optional header line
// `relname,reltuples`; blank lines and `#` comments ignored; reltuples may
// be written as PostgreSQL prints a float (`1.2e+06`) and is rounded; -1
// (never analyzed) leaves the table to --rows. Anything else is
// kInvalidInput naming file and line.
#ifndef REHEARSE_PROFILE_ROWS_FILE_H_
#define REHEARSE_PROFILE_ROWS_FILE_H_

#include <cstdint>
#include <map>
#include <string>

#include "harness/common/status.h"

namespace rehearse {

Status ParseRowsFile(const std::string& path, const std::string& text,
                     std::map<std::string, int64_t>* rows_by_table);
Status ReadRowsFile(const std::string& path, std::map<std::string, int64_t>* rows_by_table);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_ROWS_FILE_H_
