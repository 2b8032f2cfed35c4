#include "harness/state/sqlite_table_pages.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>
#include <utility>
#include <vector>

namespace rehearse {

namespace {

// The file format's header, at the start of page 1.
constexpr int kHeaderSize = 100;
constexpr char kMagic[] = "SQLite format 3";  // and its NUL: 16 bytes

uint32_t Get16(const unsigned char* p) { return uint32_t{p[0]} << 8 | p[1]; }
uint32_t Get32(const unsigned char* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

// SQLite's varint (1 to 9 bytes, big-endian, the ninth byte whole); false
// when it would run past `end`.
bool GetVarint(const unsigned char** p, const unsigned char* end, uint64_t* v) {
  *v = 0;
  for (int i = 0; i < 9; ++i) {
    if (*p >= end) return false;
    const unsigned char b = *(*p)++;
    if (i == 8) {
      *v = *v << 8 | b;
      return true;
    }
    *v = *v << 7 | (b & 0x7f);
    if (!(b & 0x80)) return true;
  }
  return true;
}

}  // namespace

Status SqliteTablePages::Open(Database* db, std::unique_ptr<SqliteTablePages>* out) {
  out->reset();
  sqlite3* conn = db->sqlite_connection();
  // A read transaction and no write one: a SHARED lock, no dirty page.
  if (conn == nullptr || sqlite3_txn_state(conn, "main") != SQLITE_TXN_READ) return Status::OK();
  const char* filename = sqlite3_db_filename(conn, "main");
  sqlite3_vfs* vfs = nullptr;
  sqlite3_file* file = nullptr;
  if (filename == nullptr || *filename == '\0' ||
      sqlite3_file_control(conn, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK ||
      vfs == nullptr || std::strcmp(vfs->zName, "unix") != 0 ||
      sqlite3_file_control(conn, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr)
    return Status::OK();
  ResultSet mode;
  REHEARSE_RETURN_IF_ERROR(db->Execute("PRAGMA main.journal_mode", {}, &mode));
  if (mode.rows.size() != 1 || mode.rows[0].size() != 1 || mode.rows[0][0].bytes == "wal")
    return Status::OK();

  unsigned char h[kHeaderSize];
  sqlite3_int64 file_size = 0;
  if (file->pMethods->xRead(file, h, kHeaderSize, 0) != SQLITE_OK ||
      std::memcmp(h, kMagic, sizeof kMagic) != 0 || h[18] != 1 || h[19] != 1 ||
      file->pMethods->xFileSize(file, &file_size) != SQLITE_OK)
    return Status::OK();  // not a rollback-journal file (18, 19: the WAL's 2)
  uint32_t page_size = Get16(h + 16);
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0 ||
      page_size - h[20] < 480)
    return Status::OK();
  std::unique_ptr<SqliteTablePages> pages(new SqliteTablePages());
  pages->file_ = file;
  pages->page_size_ = page_size;
  pages->usable_ = page_size - h[20];
  pages->page_count_ = static_cast<uint32_t>(
      std::min<sqlite3_int64>(file_size / page_size, sqlite3_int64{UINT32_MAX}));
  // Page size, format versions, reserved bytes; schema format (1..4: how
  // records encode); text encoding.
  pages->format_.assign(reinterpret_cast<const char*>(h + 16), 5);
  pages->format_.append(reinterpret_cast<const char*>(h + 44), 4);
  pages->format_.append(reinterpret_cast<const char*>(h + 56), 4);
  pages->page_.resize(page_size);
  *out = std::move(pages);
  return Status::OK();
}

bool SqliteTablePages::ReadPage(uint32_t page) {
  return page >= 2 && page <= page_count_ &&
         file_->pMethods->xRead(file_, page_.data(), static_cast<int>(page_size_),
                                sqlite3_int64{page - 1} * page_size_) == SQLITE_OK;
}

bool SqliteTablePages::HashTree(int64_t root, Digest* out) {
  // The most payload a cell keeps on its page before spilling to overflow
  // pages (leaf table cells; index cells), and the least it keeps when it
  // spills: the file format's formulas.
  const uint64_t max_leaf = usable_ - 35;
  const uint64_t max_index = (usable_ - 12) * 64 / 255 - 23;
  const uint64_t min_local = (usable_ - 12) * 32 / 255 - 23;
  DigestBuilder digest;
  digest.Update(format_);
  std::unordered_set<uint32_t> seen;
  // Reads and hashes a page not seen before in this tree (page 1 is never
  // one: it holds sqlite_schema's root).
  const unsigned char* p = nullptr;  // the page visited last
  auto visit = [&](uint32_t page) {
    if (!seen.insert(page).second || !ReadPage(page)) return false;
    p = reinterpret_cast<const unsigned char*>(page_.data());
    const char number[4] = {static_cast<char>(page >> 24), static_cast<char>(page >> 16),
                            static_cast<char>(page >> 8), static_cast<char>(page)};
    digest.Update(std::string_view(number, 4));
    digest.Update(page_);
    return true;
  };
  if (root < 2 || root > page_count_) return false;
  std::vector<uint32_t> todo = {static_cast<uint32_t>(root)};
  int index_tree = -1;  // whether this is an index b-tree (WITHOUT ROWID), once known
  while (!todo.empty()) {
    const uint32_t page = todo.back();
    todo.pop_back();
    if (!visit(page)) return false;
    const unsigned char* end = p + usable_;
    // The page's kind: 0x0d table leaf, 0x05 table interior, 0x0a index
    // leaf, 0x02 index interior (flags: 0x08 leaf, 0x02 index).
    if (p[0] != 0x0d && p[0] != 0x05 && p[0] != 0x0a && p[0] != 0x02) return false;
    const bool leaf = p[0] & 0x08, index = p[0] & 0x02;
    if (index_tree == -1) index_tree = index;
    if (index_tree != index) return false;
    const uint32_t header = leaf ? 8 : 12, cells = Get16(p + 3);
    const uint32_t first_cell = header + 2 * cells;
    if (first_cell > usable_) return false;
    if (!leaf) todo.push_back(Get32(p + 8));  // the right-most child
    // Overflow chains (first page, length), walked once this page is done.
    std::vector<std::pair<uint32_t, uint64_t>> chains;
    for (uint32_t i = 0; i < cells; ++i) {
      const uint32_t at = Get16(p + header + 2 * i);
      if (at < first_cell || at >= usable_) return false;
      const unsigned char* c = p + at;
      if (!leaf) {
        if (end - c < 4) return false;
        todo.push_back(Get32(c));  // the left child
        c += 4;
        if (!index) continue;  // a table interior cell holds only a rowid
      }
      uint64_t payload = 0, rowid = 0;
      if (!GetVarint(&c, end, &payload) || (!index && !GetVarint(&c, end, &rowid))) return false;
      const uint64_t max_local = index ? max_index : max_leaf;
      if (payload <= max_local) {
        if (static_cast<uint64_t>(end - c) < payload) return false;
        continue;
      }
      if (payload > 0x7fffffff) return false;
      uint64_t local = min_local + (payload - min_local) % (usable_ - 4);
      if (local > max_local) local = min_local;
      if (static_cast<uint64_t>(end - c) < local + 4) return false;
      chains.push_back({Get32(c + local), (payload - local + usable_ - 5) / (usable_ - 4)});
    }
    for (auto [next, length] : chains) {
      for (uint64_t k = 0; k < length; ++k) {
        if (!visit(next)) return false;
        next = Get32(p);
      }
    }
  }
  *out = digest.Finish();
  return true;
}

}  // namespace rehearse
