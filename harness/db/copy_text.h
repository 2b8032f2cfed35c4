// The text format of PostgreSQL's COPY: one row a line, fields separated by
// tabs, \N for NULL, backslash escapes for control characters. Parsing it here
// (instead of through a client library's tuple conversion) keeps a row a flat
// vector of Values and costs one pass over the line.
#ifndef REHEARSE_DB_COPY_TEXT_H_
#define REHEARSE_DB_COPY_TEXT_H_

#include <string>
#include <string_view>

#include "harness/db/value.h"

namespace rehearse {

// Splits one COPY line (without its newline) into *row: \N becomes NULL, every
// other field an unescaped kText value. *row is resized to the field count.
void ParseCopyTextLine(std::string_view line, Row* row);

// Appends `value` to *line as one COPY text field: \N for NULL, else its
// ToText() form with backslash, tab, newline and carriage return escaped.
void AppendCopyTextField(const Value& value, std::string* line);

}  // namespace rehearse

#endif  // REHEARSE_DB_COPY_TEXT_H_
