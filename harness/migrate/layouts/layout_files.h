// What every layout reader (layout.h) shares: listing a folder, reading a
// script, splitting one file into sections at marker lines, and finishing a
// migration the way the other tools treat it.
#ifndef REHEARSE_MIGRATE_LAYOUTS_LAYOUT_FILES_H_
#define REHEARSE_MIGRATE_LAYOUTS_LAYOUT_FILES_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/status.h"
#include "harness/migrate/migration.h"

namespace rehearse {

// Sorted names of the entries of `dir` that do not start with '.'; a folder
// that cannot be read is kInvalidInput naming it.
Status ListEntries(const std::string& dir, std::vector<std::string>* names);
bool IsDirectory(const std::string& path);
bool IsRegularFile(const std::string& path);

// Reads `path` (harness/common/input_file.h) into a present script file.
Status ReadScript(const std::string& path, MigrationScriptFile* out);

// One line of a file with the 1-based number it has there.
struct NumberedLine {
  int number;
  std::string_view text;  // without the line break
};
std::vector<NumberedLine> SplitLines(std::string_view text);

// The part of `file_text` from line `first` to line `last` (1-based,
// inclusive; last < first is empty) as a script of `path`, keeping line numbers.
MigrationScriptFile Section(const std::string& path, std::string_view file_text, int first,
                            int last);

// Finishes a migration read by another tool's layout: every dialect with an
// up is available; a script that is one BEGIN … COMMIT of its own runs what
// is inside in Rehearse's transaction (UnwrapOwnTransaction); one that
// manages transactions any other way, or a layout's no-transaction marker
// (already cleared in m->transactional), runs outside Rehearse's
// transaction, as written; checksums are computed.
void FinishForeignMigration(Migration* m);

// "<digits>_<rest>": false when `name` does not start with digits and '_'.
bool SplitVersionPrefix(std::string_view name, std::string* digits, std::string* rest);

// True when the first 64 KiB of the regular file `path` contain `marker`
// (detection only: a file that cannot be read mentions nothing).
bool FileMentions(const std::string& path, std::string_view marker);

bool EndsWith(std::string_view s, std::string_view suffix);
bool StartsWith(std::string_view s, std::string_view prefix);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_LAYOUTS_LAYOUT_FILES_H_
