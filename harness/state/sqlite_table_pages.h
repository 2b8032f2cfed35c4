// SqliteTablePages: a digest of the pages that hold a SQLite table's rows,
// read from the file itself, so that two snapshots can tell a table's rows
// unchanged without reading them (unchanged_tables.h).
//
// A table's rows are a function of its b-tree — every page reachable from
// its root page: interior and leaf pages and the overflow pages of the
// cells that spill — read with the file's page size, reserved bytes, text
// encoding and schema format. The digest covers those and the number
// and bytes of each page in the order the walk visits them. The walk decides
// where to go from the bytes alone, so two files whose digests are equal had
// the walk visit the same page numbers holding the same bytes: the same tree,
// the same rows. Throwaway copies are made page for page (the backup API),
// so a table nothing wrote keeps its digest in every copy.
//
// The pages are read through the connection's own file handle (the file it
// holds locked, whatever its path names now), and only (else Open gives none)
// when the connection holds a read transaction and no write one (a SHARED
// lock, so no writer can change the file, and no page is waiting in the
// connection's cache), the database is a file of the default "unix" VFS, and
// it is in rollback-journal mode (in WAL mode the newest pages may be in the
// WAL). A tree that is not as the file format says (a page out of range,
// visited twice, of the wrong kind, a cell past its page) gives no digest
// either. Either way the rows are read.
#ifndef REHEARSE_STATE_SQLITE_TABLE_PAGES_H_
#define REHEARSE_STATE_SQLITE_TABLE_PAGES_H_

#include <cstdint>
#include <memory>
#include <string>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/state/digest.h"

struct sqlite3_file;

namespace rehearse {

class SqliteTablePages {
 public:
  // Pages of `db`'s main database, inside the read transaction the caller
  // holds; *out is null when they cannot be trusted (see above). Errors only
  // when a query fails.
  static Status Open(Database* db, std::unique_ptr<SqliteTablePages>* out);

  // The digest of the b-tree whose root page is `root`, or false when the
  // tree is not as expected (then the table must be read).
  bool HashTree(int64_t root, Digest* out);

 private:
  SqliteTablePages() = default;
  // Reads `page` into page_ (one read per page: reading runs of pages
  // around it copied more bytes than the walk needed, and cost more).
  bool ReadPage(uint32_t page);

  sqlite3_file* file_ = nullptr;
  uint32_t page_size_ = 0;
  uint32_t usable_ = 0;      // page size less the reserved bytes
  uint32_t page_count_ = 0;  // pages in the file
  std::string format_;       // page size, reserved bytes, encoding, schema format
  std::string page_;         // the page ReadPage read last
};

}  // namespace rehearse

#endif  // REHEARSE_STATE_SQLITE_TABLE_PAGES_H_
