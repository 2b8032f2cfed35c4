// RowArchive: a table's rows in canonical encoding, in key order, kept in a
// file so that two snapshots can be diffed row by row after the database that
// produced the first one has moved on. Reading and writing stream one row at a
// time: memory stays bounded whatever the table size.
//
// Format: a sequence of records, each a 4-byte little-endian length followed
// by that many bytes of concatenated canonical values (harness/db/value_encoding.h).
#ifndef REHEARSE_STATE_ROW_ARCHIVE_H_
#define REHEARSE_STATE_ROW_ARCHIVE_H_

#include <cstdio>
#include <string>

#include "harness/common/status.h"
#include "harness/db/value.h"

namespace rehearse {

class RowArchiveWriter {
 public:
  RowArchiveWriter() = default;
  ~RowArchiveWriter();  // closes without reporting errors; call Close() to see them
  RowArchiveWriter(const RowArchiveWriter&) = delete;
  RowArchiveWriter& operator=(const RowArchiveWriter&) = delete;

  Status Open(const std::string& path);
  // `encoded` is one row's concatenated canonical values.
  Status Append(std::string_view encoded);
  Status Close();

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
};

class RowArchiveReader {
 public:
  RowArchiveReader() = default;
  ~RowArchiveReader();
  RowArchiveReader(const RowArchiveReader&) = delete;
  RowArchiveReader& operator=(const RowArchiveReader&) = delete;

  Status Open(const std::string& path);
  // Reads the next row into *row. Returns false at the end; a truncated or
  // malformed file sets *status to kCorruption and returns false.
  bool Next(Row* row, Status* status);

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  std::string buffer_;
};

}  // namespace rehearse

#endif  // REHEARSE_STATE_ROW_ARCHIVE_H_
