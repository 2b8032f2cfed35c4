#include "harness/state/row_archive.h"

#include <cerrno>
#include <cstring>

#include "harness/db/value_encoding.h"

namespace rehearse {

namespace {

constexpr size_t kBufferSize = 1 << 20;

// Archives live in the run directory: a failure is the machine's (exit 3).
Status Errno(const std::string& what, const std::string& path) {
  return Status::Infrastructure(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

RowArchiveWriter::~RowArchiveWriter() {
  if (file_) std::fclose(file_);
}

Status RowArchiveWriter::Open(const std::string& path) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) return Errno("cannot create", path);
  std::setvbuf(file_, nullptr, _IOFBF, kBufferSize);
  return Status::OK();
}

Status RowArchiveWriter::Append(std::string_view encoded) {
  uint32_t n = static_cast<uint32_t>(encoded.size());
  unsigned char len[4] = {static_cast<unsigned char>(n), static_cast<unsigned char>(n >> 8),
                          static_cast<unsigned char>(n >> 16), static_cast<unsigned char>(n >> 24)};
  if (std::fwrite(len, 1, 4, file_) != 4 ||
      std::fwrite(encoded.data(), 1, encoded.size(), file_) != encoded.size()) {
    return Errno("cannot write", path_);
  }
  return Status::OK();
}

Status RowArchiveWriter::Close() {
  if (!file_) return Status::OK();
  int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) return Errno("cannot write", path_);
  return Status::OK();
}

RowArchiveReader::~RowArchiveReader() {
  if (file_) std::fclose(file_);
}

Status RowArchiveReader::Open(const std::string& path) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) return Errno("cannot read", path);
  std::setvbuf(file_, nullptr, _IOFBF, kBufferSize);
  return Status::OK();
}

bool RowArchiveReader::Next(Row* row, Status* status) {
  unsigned char len[4];
  size_t got = std::fread(len, 1, 4, file_);
  if (got == 0) return false;
  auto corrupt = [&] {
    *status = Status::Corruption("row archive " + path_ + " is truncated or malformed");
    return false;
  };
  if (got != 4) return corrupt();
  uint32_t n = len[0] | (len[1] << 8) | (len[2] << 16) | (uint32_t(len[3]) << 24);
  buffer_.resize(n);
  if (std::fread(buffer_.data(), 1, n, file_) != n) return corrupt();
  std::string_view in(buffer_);
  size_t i = 0;
  while (!in.empty()) {
    if (row->size() <= i) row->resize(i + 1);
    if (!ReadCanonical(&in, &(*row)[i++])) return corrupt();
  }
  row->resize(i);
  return true;
}

}  // namespace rehearse
